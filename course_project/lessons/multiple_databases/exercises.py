"""Notebook 04's exercises (reference answers: solutions.py).

archive_contact runs on contacts of its own, once normally and once with analytics refusing the
insert (connection.execute_wrapper), so that the order of the two writes matters; LegacyRouter is
asked every question a router gets, with the hints Django passes, for its model and for others, alone
and installed first in DATABASE_ROUTERS.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import DatabaseError, connections, router
from django.test import override_settings

from course_project.lessons.multiple_databases.analytics.models import PageView
from course_project.lessons.multiple_databases.models import Author, Book, Contact, LegacyOrder
from course_project.runtime.checker import Exercises

exercises = Exercises("04_multiple_databases")


def _sync_sequence(alias):
    """After a row was inserted with an explicit id, move the id sequence past it."""
    with connections[alias].cursor() as cursor:
        for sql in connections[alias].ops.sequence_reset_sql(no_style(), [Contact]):
            cursor.execute(sql)


def _refuse_contact_inserts(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("INSERT") and "multidb_contact" in sql:
        raise DatabaseError("the checker made analytics refuse this insert")
    return execute(sql, params, many, context)


def _new_contact(tag: str) -> Contact:
    return Contact.objects.using("default").create(name=f"Check {tag}", email=f"{tag}@example.com")


@exercises.add(
    "archive_contact",
    "archive_contact(pk): move a contact from default to analytics as a new row; if the copy fails, the original stays",
    hint="Two databases, two transactions: nothing makes them one. Do the write you can afford to "
    "repeat first (the copy, as a new row: no pk), and delete the original only once the copy "
    "has succeeded.",
)
def _(answer):
    tag = uuid.uuid4().hex[:8]
    source, failing = _new_contact(tag), _new_contact(f"{tag}f")
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
        assert new_pk not in before and after.get(new_pk) == (source.name, source.email), (
            "return the id of a new analytics row holding the same name and email"
        )
        assert not Contact.objects.using("default").filter(pk=source.pk).exists(), (
            "the original must leave default once it is copied"
        )
        with connections["analytics"].execute_wrapper(_refuse_contact_inserts):
            try:
                answer(failing.pk)
            except Exception:  # noqa: BLE001 (any error the failed copy raised, passed on)
                pass
            else:
                raise AssertionError("the copy failed, and your function said nothing: let the error propagate")
        assert Contact.objects.using("default").filter(pk=failing.pk).exists(), (
            "the copy to analytics failed and the original is gone from default: copy first, delete after"
        )
    finally:
        Contact.objects.using("default").filter(pk__in=[source.pk, failing.pk]).delete()
        Contact.objects.using("analytics").filter(name__in=[source.name, failing.name]).delete()
        if bystander is not None:
            Contact.objects.using("analytics").filter(pk=bystander.pk).delete()


def _instances():
    return {
        "legacy": (LegacyOrder(order_no=1), LegacyOrder(order_no=2)),
        "other": (Book(title="b"), Contact(name="c"), Author(name="a"), PageView(path="/")),
    }


def _ask(router_, method, *args, **hints):
    """Call a router method the way Django does, hints included; a method without **hints is a clear failure."""
    try:
        return getattr(router_, method)(*args, **hints)
    except TypeError as error:
        if "unexpected keyword argument" not in str(error):
            raise
        raise AssertionError(
            f"{method} got {sorted(hints)} and failed ({error}): Django passes hints such as "
            "instance= and model=, so every router method takes **hints"
        ) from None


@exercises.add(
    "LegacyRouter",
    "LegacyRouter: multidb.LegacyOrder to 'legacy'; relations only between legacy orders; "
    "nothing migrated on 'legacy'; None for everything else; every method takes **hints",
    hint="Compare the model itself (model is LegacyOrder, or model._meta.label == 'multidb.LegacyOrder'), "
    "not its app: Book and Contact are in the same app. Return None whenever the task does not "
    "ask for an answer, so the next router decides. Django calls every method with hints "
    "(instance=..., model=...): keep **hints in each signature, as AnalyticsRouter does.",
)
def _(answer):
    assert isinstance(answer, type), (
        "define a class: Django makes one instance of each router class named by a dotted path in DATABASE_ROUTERS"
    )
    r = answer()
    (order1, order2), others = _instances()["legacy"], _instances()["other"]
    for method in ("db_for_read", "db_for_write"):
        for hints in ({}, {"instance": order2}):
            got = _ask(r, method, LegacyOrder, **hints)
            assert got == "legacy", f"{method}(LegacyOrder) should be 'legacy', not {got!r}"
        for other, instance in zip((Book, Contact, Author, PageView, User), (*others, None), strict=True):
            got = _ask(r, method, other, **({"instance": instance} if instance is not None else {}))
            assert got is None, (
                f"{method}({other._meta.label}) gave {got!r}: return None for every other model "
                "(even in the same app), so that the next router decides"
            )
    assert _ask(r, "allow_relation", order1, order2, instance=order1) is True, "two legacy orders may be related: True"
    for other in others:
        for pair in ((order1, other), (other, order1)):
            got = _ask(r, "allow_relation", *pair, instance=pair[1])
            assert got is False, (
                f"allow_relation between a legacy order and a {type(other).__name__}: False, not {got!r}"
            )
    assert _ask(r, "allow_relation", others[0], others[1], instance=others[1]) is None, (
        "allow_relation between two other objects: None"
    )
    for model in (LegacyOrder, Book, User, PageView):
        got = _ask(r, "allow_migrate", "legacy", model._meta.app_label, model_name=model._meta.model_name, model=model)
        assert got is False, f"allow_migrate('legacy', ...) for {model._meta.label} should be False, not {got!r}"
    got = _ask(r, "allow_migrate", "legacy", "analytics")
    assert got is False, f"allow_migrate('legacy', 'analytics') (a whole app, no model) should be False, not {got!r}"
    for db, model in (("default", Book), ("analytics", PageView), ("default", LegacyOrder)):
        got = _ask(r, "allow_migrate", db, model._meta.app_label, model_name=model._meta.model_name, model=model)
        assert got is None, f"allow_migrate({db!r}, ...) for {model._meta.label}: None, not {got!r}"
    # installed first in Django's own chain, as a project would: migrate, reads, writes and an assignment
    with override_settings(DATABASE_ROUTERS=[r, *settings.DATABASE_ROUTERS]):
        assert not router.allow_migrate_model("legacy", Book) and router.allow_migrate_model("default", Book), (
            "installed first, your router must refuse 'legacy' and leave 'default' to the others"
        )
        assert router.db_for_read(Book) == "default" and router.db_for_write(PageView) == "analytics", (
            "with your router first, the others must still decide for their models"
        )
        book = Book(title="b")
        try:
            book.author = Author(name="a")  # Django asks db_for_write(..., instance=...) and allow_relation
        except TypeError as error:
            raise AssertionError(f"assigning book.author failed ({error}): give each method **hints") from None
        assert book._state.db == "default", f"a new book should be written to 'default', not {book._state.db!r}"
