"""Notebook 14's models. The notebook prints each one's source where it is used."""

from django.db import models
from django.db.models import F
from django.db.models.functions import Now


class Enrollment(models.Model):
    """Composite primary key (Django 5.2): one row per (student, course)."""

    pk = models.CompositePrimaryKey("student_id", "course_code")
    student_id = models.IntegerField()
    course_code = models.CharField(max_length=10)
    grade = models.CharField(max_length=2, blank=True)


class LineItem(models.Model):
    """A stored generated column: computed on write, kept on disk (every SQL backend)."""

    price = models.DecimalField(max_digits=8, decimal_places=2)
    quantity = models.IntegerField()
    total = models.GeneratedField(
        expression=F("price") * F("quantity"),
        output_field=models.DecimalField(max_digits=10, decimal_places=2),
        db_persist=True,
    )


class VirtualLineItem(models.Model):
    """A virtual generated column: computed on read. PostgreSQL before 18 cannot, and Django 5.2 refuses it on
    every PostgreSQL version, so only MariaDB and SQLite."""

    databases = ("legacy",)  # where migrate creates the table (course_project/routers.py)
    database = "legacy"  # where the ORM reads and writes unless told .using(...)

    price = models.DecimalField(max_digits=8, decimal_places=2)
    quantity = models.IntegerField()
    total = models.GeneratedField(
        expression=F("price") * F("quantity"),
        output_field=models.DecimalField(max_digits=10, decimal_places=2),
        db_persist=False,
    )


class Ticket(models.Model):
    """`default` lives in Python; `db_default` lives in the table's DDL."""

    title = models.CharField(max_length=50)
    status = models.CharField(max_length=10, default="new")
    priority = models.IntegerField(db_default=3)
    opened_at = models.DateTimeField(db_default=Now())
