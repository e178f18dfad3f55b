"""Notebook 08's exercises (reference answers: solutions.py).

Each check adds authors, a blog and entries of its own (names with a random tag, random likes), calls
the learner's function on them, and deletes them again. The data is built so that the traps fail:
a commenter counted twice, a lookup that stops at the wrong author, and two conditions on one array
met by two different comments."""

import random
import uuid
from datetime import UTC, datetime

from course_project.lessons.mongodb_django_orm.models import Address, Author, Blog, Comment, Entry
from course_project.runtime.checker import Exercises

exercises = Exercises("08_mongodb_django_orm")


def _checker_data(rng):
    """A blog and three authors whose names carry a tag no one else uses."""
    tag = uuid.uuid4().hex[:6]
    blog = Blog.objects.create(name=f"check-{tag}")
    names = rng.sample(["Zoe", "Ines", "Bob", "Mei", "Ravi", "Ugo", "Ana", "Lev"], 3)
    authors = [
        Author.objects.create(
            name=f"{name} {tag}",
            email=f"{name.lower()}-{tag}@example.com",
            address=Address(city="Town", country="Somewhere"),
        )
        for name in names
    ]
    return tag, blog, authors


def _entry(blog, author, headline, comments):
    return Entry.objects.create(
        blog=blog,
        author=author,
        headline=headline,
        published=datetime(2024, 6, 1, tzinfo=UTC),
        comments=[Comment(author_name=name, text="...", likes=likes) for name, likes in comments],
    )


def _cleanup(tag):
    Blog.objects.filter(name=f"check-{tag}").delete()  # and its entries (on_delete=CASCADE)
    Author.objects.filter(email__endswith=f"-{tag}@example.com").delete()


@exercises.add(
    "commenters_of",
    "commenters_of(author_name): sorted names of everyone who commented on that author's entries, each once",
    hint="Two steps the notebook showed apart: follow the foreign key from Entry to its author "
    "(`author__name`), then read each entry's embedded `comments` list. A set removes repeats.",
)
def _(answer):
    rng = random.Random()
    tag, blog, (writer, other, silent) = _checker_data(rng)
    fans = [f"{name}-{tag}" for name in rng.sample(["Kim", "Lou", "Max", "Noa", "Pat", "Rui"], 4)]
    # writer: two entries, one fan commenting on both; other: comments by a fan and by the writer's own name
    _entry(blog, writer, f"W1 {tag}", [(fans[0], 1), (fans[1], 3)])
    _entry(blog, writer, f"W2 {tag}", [(fans[1], 0), (fans[2], 5)])
    _entry(blog, other, f"O1 {tag}", [(fans[3], 2), (writer.name, 4)])
    try:
        for author in (writer, other, silent):
            expected = sorted({c.author_name for e in Entry.objects.filter(author=author) for c in e.comments})
            got = list(answer(author.name))
            if sorted(set(got)) == expected and len(got) > len(expected):
                raise AssertionError("each commenter once, even when they commented on several entries")
            if author is writer and writer.name in got:
                raise AssertionError(
                    f"{writer.name!r} only commented on someone else's entry: look for entries "
                    "*written by* the author (the foreign key), not comments *by* them"
                )
            assert sorted(got) == expected, f"wrong commenters for {author.name!r}: expected {expected}"
            assert got == expected, "sort the names"
    finally:
        _cleanup(tag)


@exercises.add(
    "liked_by",
    "liked_by(commenter, min_likes): sorted headlines with ONE comment by `commenter` that has min_likes+ likes",
    hint="Two lookups on the same list are each met by *any* element, as Mary's entry showed. "
    "MongoDB's $elemMatch asks for one element that meets every condition; the collection "
    "is connections['mongodb'].database[Entry._meta.db_table].",
)
def _(answer):
    rng = random.Random()
    tag, blog, authors = _checker_data(rng)
    who, n = f"Fan-{tag}", rng.randint(20, 60)
    shapes = {
        "exact": [(who, n)],  # at the threshold: counts
        "split": [(who, n - 1), (f"Other-{tag}", n + 10)],  # the trap: two comments meet one condition each
        "twice": [(who, n + 4), (who, n + 9)],  # two qualifying comments: one headline
        "other": [(f"Other-{tag}", n + 3)],
        "plain": [(who, n + 2), ("x", 0)],
    }
    headlines = {}
    for key, comments in shapes.items():
        headlines[key] = f"{rng.choice('ABCDEFGH')}{key} {tag}"
        _entry(blog, rng.choice(authors), headlines[key], comments)
    try:
        for threshold in (n, n + 5, 10_000):
            expected = sorted(
                e.headline
                for e in Entry.objects.filter(blog=blog)
                if any(c.author_name == who and c.likes >= threshold for c in e.comments)
            )
            got = list(answer(who, threshold))
            if threshold == n and headlines["split"] in got:
                raise AssertionError(
                    f"{headlines['split']!r} has {who}'s comment with {n - 1} likes and another "
                    f"person's with {n + 10}: one and the same comment must meet both conditions"
                )
            if sorted(set(got)) == expected and len(got) > len(expected):
                raise AssertionError("each headline once, even when several comments qualify")
            if threshold == n and sorted(set(got)) == [h for h in expected if h != headlines["exact"]]:
                raise AssertionError(f"at least {n}: a comment with exactly {n} likes counts")
            assert sorted(got) == expected, f"wrong headlines for ({who!r}, {threshold}): expected {expected}"
            assert got == expected, "sort the headlines"
    finally:
        _cleanup(tag)
