"""Notebook 17's models (Django 6.1: DB_CASCADE), in a model registry of their own, and their tables.

The notebook prints each model where it is used. fresh_tables(alias) drops and creates the tables on one
database, so every run starts from the same empty state.
"""

from django.apps.registry import Apps
from django.db import connections, models
from django.db.models import F
from django_mongodb_backend.fields import ObjectIdAutoField

registry = Apps(["course_project.lessons.django6"])


class LessonModel(models.Model):
    class Meta:
        abstract = True
        app_label = "django6"
        apps = registry


class Author(LessonModel):
    name = models.CharField(max_length=40)


class Book(LessonModel):
    title = models.CharField(max_length=60)
    pages = models.IntegerField(default=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")


class Folder(LessonModel):
    name = models.CharField(max_length=20)


class Note(LessonModel):
    """Deleted with its folder by Django: it collects the notes, sends signals, deletes them."""

    text = models.CharField(max_length=40)
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE)


class DbFolder(LessonModel):
    name = models.CharField(max_length=20)


class DbNote(LessonModel):
    """Deleted with its folder by the database: ON DELETE CASCADE in the foreign key (Django 6.1)."""

    text = models.CharField(max_length=40)
    folder = models.ForeignKey(DbFolder, on_delete=models.DB_CASCADE)


class LineItem(LessonModel):
    price = models.DecimalField(max_digits=8, decimal_places=2)
    quantity = models.IntegerField()
    total = models.GeneratedField(
        expression=F("price") * F("quantity"),
        db_persist=True,
        output_field=models.DecimalField(max_digits=10, decimal_places=2),
    )


MODELS = [Author, Book, Folder, Note, DbFolder, DbNote, LineItem]  # parents before children


class MongoAuthor(LessonModel):
    """The same models on MongoDB, whose documents are keyed by an ObjectId `_id`."""

    id = ObjectIdAutoField(primary_key=True)
    name = models.CharField(max_length=40)


class MongoBook(LessonModel):
    id = ObjectIdAutoField(primary_key=True)
    title = models.CharField(max_length=60)
    pages = models.IntegerField(default=100)
    author = models.ForeignKey(MongoAuthor, on_delete=models.CASCADE, related_name="books")


class MongoLineItem(LessonModel):
    id = ObjectIdAutoField(primary_key=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    quantity = models.IntegerField()
    total = models.GeneratedField(
        expression=F("price") * F("quantity"),
        db_persist=True,
        output_field=models.DecimalField(max_digits=10, decimal_places=2),
    )


MONGO_MODELS = [MongoAuthor, MongoBook, MongoLineItem]


def fresh_tables(alias: str, chosen=MODELS) -> list:
    """Drop (children first) and create (parents first) the chosen models' tables on one database."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in reversed(chosen):
            if model._meta.db_table in existing:
                editor.delete_model(model)
        for model in chosen:
            editor.create_model(model)
    return [model._meta.db_table for model in chosen]
