"""Notebook 08's exercises (reference answers: solutions.py).

Each check adds authors, a blog and entries of its own (random names, a country no one else uses,
random likes), calls the learner's function on them, and deletes them again."""
import random
import uuid
from datetime import datetime, timezone

from course_project.lessons.mongodb_django_orm.models import Address, Author, Blog, Comment, Entry
from course_project.runtime.checker import Exercises

exercises = Exercises("08_mongodb_django_orm")


def _checker_data(rng):
    """A blog, five authors in a new country (two of them elsewhere), and their entries."""
    tag = uuid.uuid4().hex[:6]
    country = f"C-{tag}"
    blog = Blog.objects.create(name=f"check-{tag}")
    names = rng.sample(["Zoe", "Ines", "Bob", "Mei", "Ravi", "Ugo", "Ana", "Lev"], 5)
    authors = [Author.objects.create(name=f"{name} {tag}", email=f"{name.lower()}-{tag}@example.com",
                                     address=Address(city="Town", country=country if i < 3 else f"other-{tag}"))
               for i, name in enumerate(names)]
    return tag, country, blog, authors


def _cleanup(tag):
    Blog.objects.filter(name=f"check-{tag}").delete()  # and its entries (on_delete=CASCADE)
    Author.objects.filter(email__endswith=f"-{tag}@example.com").delete()


@exercises.add("authors_in", "authors_in(country): sorted author names, by embedded address")
def _(answer):
    tag, country, _, authors = _checker_data(random.Random())
    try:
        for where in (country, f"other-{tag}", f"nowhere-{tag}"):
            expected = sorted(a.name for a in Author.objects.all() if a.address and a.address.country == where)
            got = list(answer(where))
            assert sorted(got) == expected, f"wrong authors for the checker's country {where!r}: expected {expected}"
            assert got == expected, "sort the names"
    finally:
        _cleanup(tag)


@exercises.add("liked_headlines", "liked_headlines(n): sorted headlines with a comment liked n+ times")
def _(answer):
    rng = random.Random()
    tag, _, blog, authors = _checker_data(rng)
    threshold = rng.randint(20, 60)
    # one comment exactly at the threshold, one entry with two liked comments, one just below, one with none
    likes = [[threshold], [threshold + 5, threshold + 9], [threshold - 1, 0], []]
    for i, counts in enumerate(likes):
        Entry.objects.create(blog=blog, author=authors[0], headline=f"{chr(90 - i)} {tag}",
                             published=datetime(2024, 6, 1, tzinfo=timezone.utc),
                             comments=[Comment(author_name="c", text="...", likes=n) for n in counts])
    try:
        for n in (threshold, threshold + 6, 10_000):
            expected = sorted(e.headline for e in Entry.objects.all() if any(c.likes >= n for c in e.comments))
            got = list(answer(n))
            if sorted(set(got)) == expected and len(got) > len(expected):
                raise AssertionError("each headline once, even when several comments qualify")
            if n == threshold and sorted(got) == [h for h in expected if not h.startswith(f"Z {tag}")]:
                raise AssertionError(f"at least {n}: a comment with exactly {n} likes counts")
            assert sorted(got) == expected, f"wrong headlines for {n}: expected {expected}"
            assert got == expected, "sort the headlines"
    finally:
        _cleanup(tag)
