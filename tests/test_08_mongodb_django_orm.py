"""django-mongodb-backend models in a test database, and the djongo legacy route."""

import io
import json
from contextlib import redirect_stdout
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connections, transaction
from django_mongodb_backend import transaction as mongo_transaction
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.env import PROJECT_ROOT
from course_project.lessons.mongodb_django_orm import solutions
from course_project.lessons.mongodb_django_orm.exercises import exercises
from course_project.lessons.mongodb_django_orm.legacy import declared_requirements, run_legacy_project
from course_project.lessons.mongodb_django_orm.models import Address, Author, Blog, Comment, Entry

pytestmark = pytest.mark.django_db(databases=["mongodb"])
WHEN = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def data():
    ada = Author.objects.create(name="Ada", email="ada@example.com", address=Address(city="London", country="UK"))
    blog = Blog.objects.create(name="Engines")
    Entry.objects.create(
        blog=blog,
        author=ada,
        headline="A",
        tags=["x", "y"],
        views=10,
        published=WHEN,
        comments=[Comment(author_name="c", text="t", likes=6)],
    )
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


def test_commenters_of_reference_passes(data):
    accepts(exercises, "commenters_of", solutions.commenters_of)


def test_commenters_of_constant_and_wrong_answers_fail(data):
    rejects(exercises, "commenters_of", lambda name: ["Ada"], hint="wrong commenters")
    rejects(
        exercises,
        "commenters_of",
        lambda name: sorted(c.author_name for e in Entry.objects.filter(author__name=name) for c in e.comments),
        hint="each commenter once",
    )
    rejects(
        exercises,
        "commenters_of",
        lambda name: sorted(
            {c.author_name for e in Entry.objects.filter(comments__author_name=name) for c in e.comments}
        ),
        hint="*written by* the author",
    )
    rejects(
        exercises,
        "commenters_of",
        lambda name: sorted(
            {c.author_name for e in Entry.objects.filter(author__name=name) for c in e.comments}, reverse=True
        ),
        hint="sort the names",
    )


def test_liked_by_reference_passes(data):
    accepts(exercises, "liked_by", solutions.liked_by)


def test_liked_by_constant_and_wrong_answers_fail(data):
    rejects(exercises, "liked_by", lambda who, n: ["A"], hint="wrong headlines")
    rejects(
        exercises,
        "liked_by",
        lambda who, n: sorted(
            Entry.objects.filter(comments__author_name=who, comments__likes__gte=n).values_list("headline", flat=True)
        ),
        hint="one and the same comment",
    )
    rejects(
        exercises,
        "liked_by",
        lambda who, n: sorted(
            e.headline
            for e in Entry.objects.filter(comments__author_name=who)
            for c in e.comments
            if c.author_name == who and c.likes >= n
        ),
        hint="each headline once",
    )
    rejects(
        exercises,
        "liked_by",
        lambda who, n: sorted(
            {e.headline for e in Entry.objects.all() for c in e.comments if c.author_name == who and c.likes > n}
        ),
        hint="a comment with exactly",
    )
    rejects(
        exercises,
        "liked_by",
        lambda who, n: sorted(
            {e.headline for e in Entry.objects.all() for c in e.comments if c.author_name == who and c.likes >= n},
            reverse=True,
        ),
        hint="sort the headlines",
    )


def test_checks_leave_no_data_behind(data):
    accepts(exercises, "commenters_of", solutions.commenters_of)
    accepts(exercises, "liked_by", solutions.liked_by)
    assert list(Author.objects.values_list("name", flat=True)) == ["Ada"] and Entry.objects.count() == 2


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "08_mongodb_django_orm.ipynb")


def test_get_or_create_recovers_from_a_lost_race(data):
    """django-mongodb-backend raises IntegrityError, so get_or_create's race handling works."""
    from django.db.models.signals import pre_save

    armed = [True]

    def another_request(sender, instance, **kwargs):
        if armed and armed.pop():
            Blog.objects.create(name=instance.name, tagline="theirs")

    pre_save.connect(another_request, sender=Blog)
    try:
        blog, created = Blog.objects.get_or_create(name="Races", defaults={"tagline": "ours"})
    finally:
        pre_save.disconnect(another_request, sender=Blog)
    assert (blog.tagline, created, Blog.objects.filter(name="Races").count()) == ("theirs", False, 1)


def test_values_list_across_a_foreign_key_is_right_or_the_known_secantus_bug(data):
    right = sorted((e.headline, e.author.name) for e in Entry.objects.select_related("author"))
    got = sorted(Entry.objects.values_list("headline", "author__name"))
    probe = next(
        connections["mongodb"]
        .database["mongo_orm_author"]
        .aggregate([{"$project": {"_id": 0, "address": {"city": 1}}}])
    )
    assert got == (right if probe["address"]["city"] != 1 else [(h, 1) for h, _ in right])


def test_without_the_djongo_environment_the_djongo_cells_print_one_line(monkeypatch, tmp_path):
    from course_project.lessons.mongodb_django_orm import legacy

    monkeypatch.setattr(legacy, "PYTHON", tmp_path / "no-venv" / "bin" / "python")
    assert ".venv-djongo" in legacy.missing()
    with pytest.raises(RuntimeError, match="venv-djongo"):
        legacy.run_legacy_project()
    cells = [
        c
        for c in json.loads((PROJECT_ROOT / "notebooks" / "08_mongodb_django_orm.ipynb").read_text())["cells"]
        if c["cell_type"] == "code" and "legacy.missing()" in "".join(c["source"])
    ]
    assert len(cells) >= 2
    for cell in cells:
        out = io.StringIO()
        with redirect_stdout(out):
            exec("".join(cell["source"]), {})
        assert out.getvalue().strip() == legacy.missing(), out.getvalue()


@pytest.mark.timeout(120)
def test_djongo_pins_and_its_legacy_project_run_against_the_same_server():
    from course_project.lessons.mongodb_django_orm import legacy
    from course_project.runtime.mongo import client

    if legacy.missing():
        pytest.skip(legacy.missing())
    meta = declared_requirements()
    assert meta["installed"]["django"] == "3.1.12" and meta["installed"]["pymongo"] == "3.11.4"
    assert any(r.replace(" ", "").startswith("django<=3.1.12") for r in meta["requires"])
    report = run_legacy_project()
    assert report["migrate"] == "ok" and report["entries"] == 3
    assert report["many-to-many: entries by Ada"] == ["Bernoulli numbers", "Looms"]
    assert report["unique violation raises"] == "django.db.utils.DatabaseError"
    assert report["is IntegrityError"] is False
    assert report["get_or_create, lost race"].startswith("DatabaseError")
    assert "E11000 duplicate key" in report["raised from"]
    assert report["embedded, as the syllabus writes it"] == (
        "ValidationError: {'_id': ['Value for field \"embedapp.BlogEntry._id\" not supplied']}"
    )
    assert report["embedded: entries"] == ["Looms", "Bernoulli numbers"]
    assert report["embedded: metadata"] == {"views": 3, "likes": 1}
    assert report["embedded: one document holds"] == ["entries", "metadata", "name"]
    assert report["embedded: mongo_count on entries.headline"] == 1
    assert client()[legacy.DATABASE].list_collection_names() == []  # run_legacy_project dropped it


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)
