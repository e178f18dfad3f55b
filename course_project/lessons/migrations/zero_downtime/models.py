from django.db import models


class Edition(models.Model):
    """The end of migrations 0001-0006: `slug` became required without a long lock (see 0002-0006)."""

    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=220)

    def __str__(self):
        return self.title
