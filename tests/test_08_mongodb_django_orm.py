"""django-mongodb-backend models in a test database, and the djongo legacy route."""
from datetime import datetime, timezone

import pytest
from django.db import IntegrityError, connections, transaction
from django_mongodb_backend import transaction as mongo_transaction

from course_project.lessons.mongodb_django_orm import solutions
from course_project.lessons.mongodb_django_orm.exercises import exercises
from course_project.lessons.mongodb_django_orm.legacy import declared_requirements, run_legacy_project
from course_project.lessons.mongodb_django_orm.models import Address, Author, Blog, Comment, Entry

pytestmark = pytest.mark.django_db(databases=["mongodb"])
WHEN = datetime(2024, 5, 1, tzinfo=timezone.utc)


@pytest.fixture
def data():
    ada = Author.objects.create(name="Ada", email="ada@example.com", address=Address(city="London", country="UK"))
    blog = Blog.objects.create(name="Engines")
    Entry.objects.create(blog=blog, author=ada, headline="A", tags=["x", "y"], views=10, published=WHEN,
                         comments=[Comment(author_name="c", text="t", likes=6)])
    Entry.objects.create(blog=blog, author=ada, headline="B", tags=[], views=5, published=WHEN)
    return ada


def test_embedded_and_array_lookups(data):
    assert list(Author.objects.filter(address__country="UK").values_list("name", flat=True)) == ["Ada"]
    assert list(Entry.objects.filter(comments__likes__gte=5).values_list("headline", flat=True)) == ["A"]
    assert list(Entry.objects.filter(tags__contains=["y"]).values_list("headline", flat=True)) == ["A"]
    assert type(data.pk).__name__ == "ObjectId"


def test_unique_violation_is_integrity_error(data):
    with pytest.raises(IntegrityError):
        Author.objects.create(name="Other", email="ada@example.com")


def test_django_atomic_is_a_no_op_and_the_backends_atomic_rolls_back(data):
    assert connections["mongodb"].features.supports_transactions is False
    with pytest.raises(RuntimeError), transaction.atomic(using="mongodb"):
        Blog.objects.create(name="kept")
        raise RuntimeError
    assert Blog.objects.filter(name="kept").exists()
    with pytest.raises(RuntimeError), mongo_transaction.atomic(using="mongodb"):
        Blog.objects.create(name="undone")
        raise RuntimeError
    assert not Blog.objects.filter(name="undone").exists()


def test_migrations_made_the_indexes():
    info = connections["mongodb"].database["mongo_orm_entry"].index_information()
    assert any(name.startswith("mongo_orm_e_publish") for name in info)


def test_solutions_pass_and_wrong_answers_fail(data):
    report = exercises.check(vars(solutions))
    assert report.all_passed, str(report)
    assert exercises.check({}).passed == 0
    assert exercises.check({"authors_in": lambda c: ["Ada"], "liked_headlines": lambda n: ["A", "B"]}).passed == 0


@pytest.mark.timeout(120)
def test_djongo_pins_and_its_legacy_project_run_against_the_same_server():
    meta = declared_requirements()
    assert meta["installed"]["django"] == "3.1.12" and meta["installed"]["pymongo"] == "3.11.4"
    assert any(r.replace(" ", "").startswith("django<=3.1.12") for r in meta["requires"])
    report = run_legacy_project()
    try:
        assert report["migrate"] == "ok" and report["entries"] == 3
        assert report["many-to-many: entries by Ada"] == ["Bernoulli numbers", "Looms"]
        assert report["unique violation raises"] == "django.db.utils.DatabaseError"
        assert report["is IntegrityError"] is False
    finally:
        from course_project.runtime.mongo import client
        from course_project.lessons.mongodb_django_orm.legacy import DATABASE

        client().drop_database(DATABASE)
