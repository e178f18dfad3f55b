"""The syllabus's djongo models (Option 1), unchanged but for a unique blog name."""

from djongo import models


class Blog(models.Model):
    name = models.CharField(max_length=100, unique=True)
    tagline = models.TextField()

    class Meta:
        db_table = "blogs"


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()

    class Meta:
        db_table = "authors"


class Entry(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE)
    headline = models.CharField(max_length=255)
    body_text = models.TextField()
    authors = models.ManyToManyField(Author)
    published_date = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "entries"
