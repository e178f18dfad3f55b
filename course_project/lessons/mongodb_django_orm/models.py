"""The syllabus's Blog/Entry/Author ideas for django-mongodb-backend: related collections where
data is shared, embedded models and arrays where it belongs to one document."""

from django.db import models
from django_mongodb_backend.fields import ArrayField, EmbeddedModelArrayField, EmbeddedModelField
from django_mongodb_backend.models import EmbeddedModel


class Address(EmbeddedModel):
    city = models.CharField(max_length=50)
    country = models.CharField(max_length=50)


class Comment(EmbeddedModel):
    author_name = models.CharField(max_length=50)
    text = models.TextField()
    likes = models.IntegerField(default=0)


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    address = EmbeddedModelField(Address, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Blog(models.Model):
    name = models.CharField(max_length=100, unique=True)
    tagline = models.TextField(blank=True)

    def __str__(self):
        return self.name


class Entry(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="entries")
    headline = models.CharField(max_length=255)
    body_text = models.TextField(blank=True)
    tags = ArrayField(models.CharField(max_length=30), default=list)
    comments = EmbeddedModelArrayField(Comment, default=list)
    views = models.IntegerField(default=0)
    published = models.DateTimeField()

    class Meta:
        ordering = ["headline"]
        indexes = [models.Index(fields=["-published"]), models.Index(fields=["blog", "views"])]

    def __str__(self):
        return self.headline
