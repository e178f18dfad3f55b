"""Notebook 16's models. The notebook prints each one's source where it is used."""

from django.db import models


class Account(models.Model):
    """Rows that two threads fight over: lost updates and deadlocks."""

    name = models.CharField(max_length=20, unique=True)
    balance = models.IntegerField(default=0)


class Job(models.Model):
    """A job queue in a table: workers claim rows with SELECT ... FOR UPDATE SKIP LOCKED."""

    name = models.CharField(max_length=20)
    status = models.CharField(max_length=10, default="queued")
    worker = models.CharField(max_length=20, null=True, blank=True)

    class Meta:
        ordering = ["id"]
