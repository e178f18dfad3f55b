from django.db import models


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20, default="new")

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} ({self.status})"
