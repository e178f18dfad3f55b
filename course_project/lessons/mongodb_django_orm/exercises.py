"""Notebook 08's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises
from course_project.lessons.mongodb_django_orm.models import Author, Entry

exercises = Exercises("08_mongodb_django_orm")


@exercises.add("authors_in", "authors_in(country): sorted author names, by embedded address")
def _(answer):
    for country in ("UK", "US", "FR"):
        expected = sorted(a.name for a in Author.objects.all() if a.address and a.address.country == country)
        assert sorted(answer(country)) == expected and list(answer(country)) == expected, f"wrong for {country}"


@exercises.add("liked_headlines", "liked_headlines(n): sorted headlines with a comment liked n+ times")
def _(answer):
    for n in (5, 1, 100):
        expected = sorted(e.headline for e in Entry.objects.all() if any(c.likes >= n for c in e.comments))
        assert list(answer(n)) == expected, f"wrong for {n}"
