"""Copying rows between databases, and writing to two databases as safely as Django allows."""

from django.db import connections, transaction

from course_project.lessons.multiple_databases.analytics.models import PageView
from course_project.lessons.multiple_databases.models import Contact


def reset(aliases=("default", "analytics")):
    """Empty the lesson's tables and restart their id sequences, so every run prints the same ids;
    drop the stand-in legacy table (section 7 creates it again) and the books table that an
    interrupted section 2 may have left in analytics."""
    with connections["legacy"].cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS legacy_orders")
    for alias in aliases:
        with connections[alias].cursor() as cursor:
            cursor.execute("TRUNCATE multidb_contact, multidb_author RESTART IDENTITY CASCADE")
            if alias == "analytics":
                cursor.execute("DROP TABLE IF EXISTS multidb_book")
                cursor.execute(
                    "TRUNCATE analytics_pageview, analytics_dailyreport, analytics_reportnote, "
                    "analytics_featuredauthor RESTART IDENTITY CASCADE"
                )


def contacts(alias: str) -> list:
    return [f"{c.pk}: {c}" for c in Contact.objects.using(alias).order_by("pk")]


def copy_as_new(contact: Contact, alias: str) -> Contact:
    """Insert a copy in `alias`; the target database picks the new primary key."""
    copy = Contact(name=contact.name, email=contact.email)
    copy.save(using=alias, force_insert=True)
    return copy


def signup(name: str, email: str, fail_in_analytics: bool = False) -> Contact:
    """Write the contact (default) and a page view (analytics), each in its own transaction.

    The analytics write is registered with on_commit, so it runs only once the main write has
    committed: a failure in the main database never leaves analytics rows behind.
    """
    with transaction.atomic(using="default"):
        contact = Contact.objects.create(name=name, email=email)

        def record_view():
            with transaction.atomic(using="analytics"):
                PageView.objects.create(path="/signup/", user_id=contact.pk)
                if fail_in_analytics:
                    raise RuntimeError("analytics is down")

        transaction.on_commit(record_view, using="default")
    return contact
