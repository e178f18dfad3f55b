"""The syllabus's djongo embedded documents, unchanged but for the table name ('blogs' is Option 1's)."""

from djongo import models


class BlogEntry(models.Model):
    _id = models.ObjectIdField()
    headline = models.CharField(max_length=255)
    body_text = models.TextField()

    class Meta:
        abstract = True


class MetaData(models.Model):
    views = models.IntegerField(default=0)
    likes = models.IntegerField(default=0)

    class Meta:
        abstract = True


class Blog(models.Model):
    _id = models.ObjectIdField()
    name = models.CharField(max_length=100)
    entries = models.ArrayField(
        model_container=BlogEntry,
    )
    metadata = models.EmbeddedField(
        model_container=MetaData,
    )

    objects = models.DjongoManager()

    class Meta:
        db_table = "embedded_blogs"
