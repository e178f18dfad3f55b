from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Hit(models.Model):
    """One row per write in the concurrent-writers demo."""

    writer = models.CharField(max_length=20)

    class Meta:
        ordering = ["writer"]
