from django.db import models


class Event(models.Model):
    """100,000 rows for the index lesson; no index on user_id or kind until the lesson adds one."""

    user_id = models.IntegerField()
    kind = models.CharField(max_length=20)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]


class Team(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]


class Player(models.Model):
    name = models.CharField(max_length=50)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="players")

    class Meta:
        ordering = ["name"]
