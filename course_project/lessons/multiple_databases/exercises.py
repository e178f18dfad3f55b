"""Notebook 04's exercises (reference answers: solutions.py).

archive_contact runs on contacts of its own, once normally and once with analytics refusing the
insert (connection.execute_wrapper), so that the order of the two writes matters; LegacyRouter is
asked every question a router gets, for its model and for others, alone and in Django's chain.
"""
import uuid

from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import DatabaseError, connections
from django.db.utils import ConnectionRouter

from course_project.lessons.multiple_databases.analytics.models import PageView
from course_project.lessons.multiple_databases.models import Author, Book, Contact, LegacyOrder
from course_project.lessons.multiple_databases.routers import AnalyticsRouter
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


@exercises.add("archive_contact",
               "archive_contact(pk): move a contact from default to analytics as a new row; if the copy fails, "
               "the original stays",
               hint="Two databases, two transactions: nothing makes them one. Do the write you can afford to "
                    "repeat first (the copy, as a new row: no pk), and delete the original only once the copy "
                    "has succeeded.")
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
        assert new_pk not in before and after.get(new_pk) == (source.name, source.email), \
            "return the id of a new analytics row holding the same name and email"
        assert not Contact.objects.using("default").filter(pk=source.pk).exists(), \
            "the original must leave default once it is copied"
        with connections["analytics"].execute_wrapper(_refuse_contact_inserts):
            try:
                answer(failing.pk)
            except Exception:  # noqa: BLE001 (any error the failed copy raised, passed on)
                pass
            else:
                raise AssertionError("the copy failed, and your function said nothing: let the error propagate")
        assert Contact.objects.using("default").filter(pk=failing.pk).exists(), \
            "the copy to analytics failed and the original is gone from default: copy first, delete after"
    finally:
        Contact.objects.using("default").filter(pk__in=[source.pk, failing.pk]).delete()
        Contact.objects.using("analytics").filter(name__in=[source.name, failing.name]).delete()
        if bystander is not None:
            Contact.objects.using("analytics").filter(pk=bystander.pk).delete()


def _instances():
    return {"legacy": (LegacyOrder(order_no=1), LegacyOrder(order_no=2)),
            "other": (Book(title="b"), Contact(name="c"), Author(name="a"), PageView(path="/"))}


@exercises.add("LegacyRouter",
               "LegacyRouter: multidb.LegacyOrder to 'legacy'; relations only between legacy orders; "
               "nothing migrated on 'legacy'; None for everything else",
               hint="Compare the model itself (model is LegacyOrder, or model._meta.label == 'multidb.LegacyOrder'), "
                    "not its app: Book and Contact are in the same app. Return None whenever the task does not "
                    "ask for an answer, so the next router decides.")
def _(answer):
    assert isinstance(answer, type), "define a class: Django makes one instance of each router class it is given"
    r = answer()
    for method in ("db_for_read", "db_for_write"):
        assert getattr(r, method)(LegacyOrder) == "legacy", f"{method}(LegacyOrder) should be 'legacy'"
        for other in (Book, Contact, Author, PageView, User):
            got = getattr(r, method)(other)
            assert got is None, (f"{method}({other._meta.label}) gave {got!r}: return None for every other model "
                                 "(even in the same app), so that the next router decides")
    (order1, order2), others = _instances()["legacy"], _instances()["other"]
    assert r.allow_relation(order1, order2) is True, "two legacy orders may be related: True"
    for other in others:
        for pair in ((order1, other), (other, order1)):
            got = r.allow_relation(*pair)
            assert got is False, f"allow_relation between a legacy order and a {type(other).__name__}: False, not {got!r}"
    assert r.allow_relation(others[0], others[1]) is None, "allow_relation between two other objects: None"
    for app_label, model_name in (("multidb", "legacyorder"), ("multidb", "book"), ("auth", "user"), ("analytics", None)):
        got = r.allow_migrate("legacy", app_label, model_name=model_name)
        assert got is False, f"allow_migrate('legacy', {app_label!r}, model_name={model_name!r}) should be False, not {got!r}"
    for db, app_label, model_name in (("default", "multidb", "book"), ("analytics", "analytics", "pageview"),
                                      ("default", "multidb", "legacyorder")):
        got = r.allow_migrate(db, app_label, model_name=model_name)
        assert got is None, f"allow_migrate({db!r}, {app_label!r}, model_name={model_name!r}): None, not {got!r}"
    chain = ConnectionRouter([r, AnalyticsRouter()])  # Django's own router object, yours asked first
    assert chain.db_for_read(Book) == "default" and chain.db_for_write(PageView) == "analytics", \
        "with your router first, the others must still decide for their models"
