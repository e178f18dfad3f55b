"""Notebook 14's database-default experiment: a throwaway Subscription table whose expires_at has a db_default,
a row inserted through Django and one through raw SQL, and how far ahead each row's expires_at lies."""

from datetime import UTC, timedelta

from django.apps.registry import Apps
from django.db import DatabaseError, connections, models, transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def subscription_model(expires_default):
    """A throwaway Subscription model whose expires_at has this database default."""

    class Subscription(models.Model):
        name = models.CharField(max_length=10)
        expires_at = models.DateTimeField(db_default=expires_default)

        class Meta:
            app_label = "modern_orm"
            apps = Apps()  # a fresh registry for each variant

    return Subscription


def insert_both_ways(alias, Subscription, how):
    """One row named `how`: through Django's create(), or a raw INSERT that leaves expires_at to the database."""
    if how == "Django":
        Subscription.objects.using(alias).create(name=how)
    else:
        with connections[alias].cursor() as cursor:
            cursor.execute(f"INSERT INTO {Subscription._meta.db_table} (name) VALUES (%s)", [how])


def days_ahead(alias, Subscription) -> dict:
    """Create the table, insert a row both ways, and say how far ahead each expires_at lies (or the error)."""
    rows, table = Subscription.objects.using(alias), Subscription._meta.db_table
    with connections[alias].cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    with connections[alias].schema_editor() as editor:
        editor.create_model(Subscription)
    outcome = {}
    try:
        for how in ("Django", "raw SQL"):
            try:
                with transaction.atomic(using=alias):
                    insert_both_ways(alias, Subscription, how)
            except DatabaseError as e:
                outcome[how] = f"{type(e).__name__} {e.args[0]}: {e.args[1].split(':')[0]}"
                continue
            stored = rows.filter(name=how).values_list(Cast("expires_at", CharField()), flat=True).get()
            when = parse_datetime(stored)
            if when is None:
                outcome[how] = "not a date at all"
            else:
                when = when if timezone.is_aware(when) else timezone.make_aware(when, UTC)
                outcome[how] = f"{round((when - timezone.now()) / timedelta(days=1))} days ahead"
    finally:
        with connections[alias].schema_editor() as editor:
            editor.delete_model(Subscription)
    return outcome
