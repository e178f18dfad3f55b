from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)
    city = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name
