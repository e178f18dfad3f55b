from django.db import models


class BenchRow(models.Model):
    """Rows for the bulk-loading benchmark (PostgreSQL and MariaDB)."""

    name = models.CharField(max_length=50)
    value = models.IntegerField()
