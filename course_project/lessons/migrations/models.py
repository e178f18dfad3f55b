from django.db import models


class Book(models.Model):
    """The end of a real history: 0001 create, 0002 add isbn, 0003 fill it (data), 0004 index, 0005 rename."""

    title = models.CharField(max_length=200)
    writer = models.CharField(max_length=100)  # was `author` until 0005
    isbn = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["title"], name="book_title_idx")]

    def __str__(self):
        return self.title
