from django.db import models


class Product(models.Model):
    """The catalogue lives in PostgreSQL (users too: django.contrib.auth's User)."""

    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
