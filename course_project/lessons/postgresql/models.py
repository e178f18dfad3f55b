from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Article(models.Model):
    """The syllabus's Article, corrected: JSON comes from django.db.models, not contrib.postgres."""

    title = models.CharField(max_length=200)
    content = models.TextField()
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    metadata = models.JSONField(default=dict)
    search_vector = SearchVectorField(null=True, editable=False)  # kept current by a trigger

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["title"]),
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            GinIndex(fields=["tags"], name="article_tags_gin"),
            GinIndex(fields=["title"], name="article_title_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.title


class SearchDoc(models.Model):
    """A bigger, plain copy of the corpus, for EXPLAIN: is the GIN index used?"""

    body = models.TextField()

    class Meta:
        ordering = ["id"]
