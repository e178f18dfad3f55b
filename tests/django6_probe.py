"""Run in notebook 17's kernel environment (.venv-django6, Django 6.1) by tests/test_17_django6.py.

    .venv-django6/bin/python tests/django6_probe.py < answers.json

Boots the course project under Django 6.1, tries each claim of notebook 17 against the live servers of
this process's course instance, and prints one JSON object of what happened (the tests assert on it).
stdin: {"answers": [[exercise, source], ...]}, exercise answers to judge with the notebook's checker.
"""

import json
import sys
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_project.runtime.bootstrap import django_setup  # noqa: E402

django_setup()

import django  # noqa: E402
from django.core.exceptions import FieldFetchBlocked  # noqa: E402
from django.db import NotSupportedError, connections, models  # noqa: E402
from django.db.models import FETCH_PEERS, FETCH_RAISE, AnyValue, Count, StringAgg, Value  # noqa: E402
from django.db.models.signals import post_delete, pre_delete  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from course_project.lessons.django6 import catalog, solutions  # noqa: E402
from course_project.lessons.django6.catalog import (  # noqa: E402
    DbFolder,
    DbNote,
    Folder,
    LineItem,
    MongoAuthor,
    MongoBook,
    MongoLineItem,
    Note,
    fresh_tables,
)
from course_project.lessons.django6.exercises import exercises  # noqa: E402
from course_project.lessons.django6.upgrade import outcome, outcome_on_django52  # noqa: E402

SQL = ("default", "legacy", "sqlite")
SHELF = {"Ada": ["B1", "B2", "B3"], "Bo": ["B4"], "Cy": ["B5", "B6"]}


def queries(alias, work):
    with CaptureQueriesContext(connections[alias]) as captured:
        result = work()
    return result, len(captured)


def first_line(error):
    return f"{type(error).__name__}: {str(error).splitlines()[0]}"


def seed(alias, author_model, book_model):
    for name, titles in SHELF.items():
        author = author_model.objects.using(alias).create(name=name)
        for title in titles:
            book_model.objects.using(alias).create(title=title, author=author)


def fetching(alias, author_model, book_model):
    books = book_model.objects.using(alias).order_by("title")
    labels = lambda qs: [f"{b.title}:{b.author.name}" for b in qs]  # noqa: E731
    facts = {
        "plain": queries(alias, lambda: labels(books)),
        "peers": queries(alias, lambda: labels(books.fetch_mode(FETCH_PEERS))),
        "select_related_raise": queries(alias, lambda: labels(books.select_related("author").fetch_mode(FETCH_RAISE))),
    }
    try:
        labels(books.fetch_mode(FETCH_RAISE))
        facts["raise"] = "no error"
    except FieldFetchBlocked as error:
        facts["raise"] = first_line(error)
    titles = (
        author_model.objects.using(alias)
        .annotate(titles=StringAgg("books__title", Value("|"), order_by="-books__title"))
        .order_by("name")
    )
    facts["string_agg"] = list(titles.values_list("name", "titles"))
    try:
        facts["any_value"] = sorted(
            book_model.objects.using(alias)
            .values("author__name")
            .annotate(n=Count("id"), any=AnyValue("title"))
            .values_list("author__name", "n", "any")
        )
    except NotSupportedError as error:
        facts["any_value"] = first_line(error)
    return facts


HEARD = []  # the senders of every delete signal, in order


def hear(sender, **kwargs):
    HEARD.append(sender.__name__)


for signal in (pre_delete, post_delete):
    for model in (Folder, Note, DbFolder, DbNote):
        signal.connect(hear, sender=model)


def deleting(alias):
    facts = {}
    for folder_model, note_model in ((Folder, Note), (DbFolder, DbNote)):
        folder = folder_model.objects.using(alias).create(name="f")
        note_model.objects.using(alias).bulk_create([note_model(text=str(i), folder=folder) for i in range(4)])
        HEARD.clear()
        (count, _), sent = queries(alias, folder.delete)
        facts[note_model.__name__] = {
            "count": count,
            "queries": sent,
            "signals": sorted(set(HEARD)),
            "signal_calls": len(HEARD),
            "left": note_model.objects.using(alias).count(),
        }
    return facts


def generated(alias, model=LineItem):
    item = model.objects.using(alias).create(price="1.50", quantity=2)
    item = model.objects.using(alias).get(pk=item.pk)
    item.quantity = 6
    total, sent = queries(alias, lambda: (item.save(), item.total)[1])
    return {"total": str(total), "queries": sent}


def main(answers):
    facts = {
        "django": django.get_version(),
        "python": list(sys.version_info[:2]),
        "mongodb_backend": metadata.version("django-mongodb-backend"),
    }
    for alias in SQL:
        fresh_tables(alias)
        seed(alias, catalog.Author, catalog.Book)
        facts[alias] = {
            **fetching(alias, catalog.Author, catalog.Book),
            "delete": deleting(alias),
            "generated": generated(alias),
            "minimum": list(connections[alias].features.minimum_database_version),
            "version": list(connections[alias].get_database_version()),
        }
    fresh_tables("mongodb", catalog.MONGO_MODELS)
    seed("mongodb", MongoAuthor, MongoBook)
    facts["mongodb"] = {
        **fetching("mongodb", MongoAuthor, MongoBook),
        "checks": sorted(
            problem.id for model in (DbNote, MongoLineItem) for problem in model.check(databases=["mongodb"])
        ),
        "generated": generated("mongodb", MongoLineItem),
        "minimum": list(connections["mongodb"].features.minimum_database_version),
    }
    facts["on_delete_checks"] = {
        alias: sorted(problem.id for problem in on_delete_checks(alias)) for alias in ("default", "legacy", "sqlite")
    }
    snippets = [
        "CheckConstraint(check=Q(price__gte=0), name='p')",
        "Group(name='g').save(False, False, None, [])",
        "result = 'ORDER BY' in str(Group.objects.annotate(n=ArrayAgg('name', ordering='name')).query)",
        "CheckConstraint(condition=Q(price__gte=0), name='p')",
        "from django.conf import global_settings\nresult = global_settings.DEFAULT_AUTO_FIELD",
    ]
    facts["upgrade"] = {snippet: [outcome_on_django52(snippet), outcome(snippet)] for snippet in snippets}
    facts["exercises"] = {
        "names": exercises.names,
        "hints": {name: exercises.hint(name) for name in exercises.names},
        "reference": {name: judged(name, getattr(solutions, name)) for name in exercises.names},
        "answers": [judged(name, define(name, source)) for name, source in answers],
    }
    return facts


def on_delete_checks(alias):
    from django.apps.registry import Apps

    registry = Apps(["course_project.lessons.django6"])

    class Parent(models.Model):
        class Meta:
            app_label, apps = "django6", registry

    class Child(models.Model):
        default = models.ForeignKey(Parent, on_delete=models.DB_SET_DEFAULT, db_default=1)
        null = models.ForeignKey(Parent, on_delete=models.DB_SET_NULL, related_name="+")

        class Meta:
            app_label, apps = "django6", registry

    return Child.check(databases=[alias])


def define(name, source):
    namespace = {
        "models": models,
        "FETCH_PEERS": FETCH_PEERS,
        "StringAgg": StringAgg,
        "Value": Value,
        "Author": catalog.Author,
        "Book": catalog.Book,
        "LineItem": LineItem,
    }
    exec(source, namespace)
    return namespace[name]


def judged(name, answer):
    result = exercises.verdict(name, answer)
    return {"passed": result.passed, "message": result.message}


if __name__ == "__main__":
    print(json.dumps(main(json.load(sys.stdin)["answers"]), default=str))
