from django.db import models


class PageView(models.Model):
    """One page view. `user_id` is a plain integer: the users live in another database."""

    path = models.CharField(max_length=200)
    user_id = models.IntegerField(null=True)

    class Meta:
        ordering = ["id"]


class DailyReport(models.Model):
    day = models.DateField(unique=True)
    views = models.PositiveIntegerField(default=0)
    note = models.ForeignKey("analytics.ReportNote", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["day"]


class ReportNote(models.Model):
    text = models.CharField(max_length=200)


class FeaturedAuthor(models.Model):
    """An author picked for the analytics dashboard: a foreign key to multidb.Author, whose table
    also exists in the analytics database (section 5 shows what a too-generous router does here)."""

    author = models.ForeignKey("multidb.Author", on_delete=models.CASCADE, related_name="+")
