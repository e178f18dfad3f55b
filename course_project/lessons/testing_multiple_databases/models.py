from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AuditEntry(models.Model):
    """Lives on `analytics`. Its table also exists on `default` (like notebook 04's Contact), so a
    router that sends it to the wrong database fails silently: the kind of bug only a test sees."""

    database = "analytics"
    databases = ("default", "analytics")

    account = models.CharField(max_length=50)
    action = models.CharField(max_length=20)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.account}: {self.action}"
