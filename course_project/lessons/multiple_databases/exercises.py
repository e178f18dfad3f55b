"""Notebook 04's exercises (reference answers: solutions.py).

Each check makes its own data or changes the routing, so only an answer that really copies a row,
or really asks the router, can pass.
"""
import uuid

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, router
from django.test import override_settings

from course_project.runtime.checker import Exercises
from course_project.lessons.multiple_databases.models import Contact

exercises = Exercises("04_multiple_databases")


def _sync_sequence(alias):
    """After a row was inserted with an explicit id, move the id sequence past it."""
    with connections[alias].cursor() as cursor:
        for sql in connections[alias].ops.sequence_reset_sql(no_style(), [Contact]):
            cursor.execute(sql)


@exercises.add("copy_contact", "copy_contact(pk): copy a contact from default to analytics as a new row")
def _(answer):
    tag = uuid.uuid4().hex[:8]
    source = Contact.objects.using("default").create(name=f"Check {tag}", email=f"{tag}@example.com")
    bystander = None
    try:
        if not Contact.objects.using("analytics").filter(pk=source.pk).exists():
            # a different contact with the same id in analytics, so that a copy that keeps the id collides
            bystander = Contact(pk=source.pk, name=f"Bystander {tag}", email=f"b{tag}@example.com")
            bystander.save(using="analytics", force_insert=True)
            _sync_sequence("analytics")
        before = {c.pk: (c.name, c.email) for c in Contact.objects.using("analytics")}
        new_pk = answer(source.pk)
        after = {c.pk: (c.name, c.email) for c in Contact.objects.using("analytics")}
        changed = [pk for pk, row in before.items() if after.get(pk) != row]
        assert not changed, f"an existing analytics row was changed (id {changed[0]}): clear the pk or use force_insert"
        assert new_pk not in before and after.get(new_pk) == (source.name, source.email), \
            "return the id of a new analytics row holding the same name and email"
        assert Contact.objects.using("default").filter(pk=source.pk).exists(), "the original must stay in default"
    finally:
        Contact.objects.using("default").filter(pk=source.pk).delete()
        Contact.objects.using("analytics").filter(name=source.name).delete()
        if bystander is not None:
            Contact.objects.using("analytics").filter(pk=bystander.pk).delete()


class _MultidbReadsFromAnalytics:
    """The checker's own router change: multidb reads go to `analytics`, writes are not touched."""

    def db_for_read(self, model, **hints):
        return "analytics" if model._meta.app_label == "multidb" and model.__name__ != "LegacyOrder" else None


def _expected(labels):
    return {label: router.db_for_read(apps.get_model(label)) for label in labels}


def _compare(answer, labels, when):
    got = answer(list(labels))
    assert isinstance(got, dict), f"return a dict, not {type(got).__name__}"
    for label, alias in _expected(labels).items():
        assert got.get(label) == alias, (f"{when}, {label} is read from {alias!r}, not {got.get(label)!r}: "
                                         "ask django.db.router.db_for_read(model) each time")


@exercises.add("reads_from", "reads_from(labels): {model label: the alias Django reads it from}")
def _(answer):
    labels = ["analytics.DailyReport", "multidb.Contact", "multidb.LegacyOrder", "auth.User"]
    _compare(answer, labels, "with the project's routers")
    with override_settings(DATABASE_ROUTERS=[_MultidbReadsFromAnalytics(), *settings.DATABASE_ROUTERS]):
        _compare(answer, ["multidb.Book", "multidb.Author", "analytics.PageView"], "after the routers changed")
