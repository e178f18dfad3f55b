"""Notebook 17's exercises (reference answers: solutions.py). Each check makes fresh tables with random rows,
so only an answer that asks the database passes, and counts the queries the answer sends."""

import random
from decimal import Decimal

from django.core.exceptions import FieldFetchBlocked
from django.db import connections
from django.db.models import FETCH_RAISE
from django.test.utils import CaptureQueriesContext

from course_project.lessons.django6.catalog import Author, Book, LineItem, fresh_tables
from course_project.runtime.checker import Exercises

exercises = Exercises("17_django6")
SQL = ("default", "legacy", "sqlite")
WORDS = [
    "amber",
    "birch",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "grove",
    "harbor",
    "island",
    "juniper",
    "kestrel",
    "lagoon",
    "meadow",
]


def random_books(alias: str) -> list:
    """Fresh author and book tables on alias, 3-5 authors with 1-4 books each (the first 3-4) and one author with
    none; the books, by title."""
    fresh_tables(alias, [Author, Book])
    rng = random.Random()
    authors = Author.objects.using(alias).bulk_create(
        [Author(name=f"{word.title()} {rng.randint(10, 99)}") for word in rng.sample(WORDS, rng.randint(3, 5))]
    )
    titles = rng.sample([f"{a} {b}" for a in WORDS for b in WORDS if a != b], 20)
    books = [
        Book(title=titles.pop(), pages=rng.randint(50, 900), author=author)
        for i, author in enumerate(authors)
        for _ in range(rng.randint(3 if i == 0 else 1, 4))
    ]
    Book.objects.using(alias).bulk_create(books)
    Author.objects.using(alias).create(name=f"Unpublished {rng.randint(10, 99)}")
    return sorted(books, key=lambda book: book.title)


def queries_of(alias: str, call, *args):
    with CaptureQueriesContext(connections[alias]) as queries:
        result = call(*args)
    return result, len(queries)


@exercises.add(
    "book_labels",
    "book_labels(books): ['<title> by <author name>', ...] for a queryset of books, "
    "in its order, in at most 2 queries however many books",
    hint="Loop over the books as they come, and let each book that needs its author fetch it together "
    "with its peers: a fetch mode on the queryset (section 1).",
)
def _(answer):
    for alias in ("default", "legacy"):
        books = random_books(alias)
        got, count = queries_of(alias, answer, Book.objects.using(alias).order_by("title"))
        want = [f"{book.title} by {book.author.name}" for book in books]
        assert list(got) == want, (
            f"{alias}: got {list(got)[:2]}..., expected {want[:2]}...: title, ' by ', author's name"
        )
        assert count <= 2, (
            f"{alias}: {count} queries for {len(books)} books, each author fetched on its own (N+1): "
            "make the books fetch their authors together"
        )


@exercises.add(
    "titles_by_author",
    "titles_by_author(alias): {author name: 'title, title'} for every author with "
    "books, titles in alphabetical order, in ONE query, on any SQL database",
    hint="Group by author in the database: annotate each author with an aggregate that joins strings, "
    "ordered by title, with Value(', ') as the delimiter (section 3).",
)
def _(answer):
    for alias in SQL:
        books = random_books(alias)
        got, count = queries_of(alias, answer, alias)
        want = {}
        for book in books:
            want.setdefault(book.author.name, []).append(book.title)
        want = {name: ", ".join(titles) for name, titles in want.items()}
        assert dict(got) == want, f"{alias}: got {dict(got)}, expected {want} (authors with no books left out)"
        assert count == 1, f"{alias}: {count} queries: join the titles in the database, in one query"


@exercises.add(
    "save_quantity",
    "save_quantity(item, quantity): set a LineItem's quantity, save it, return its new "
    "total and leave the item with that total loaded; the item comes from a FETCH_RAISE "
    "queryset: one query on PostgreSQL, at most two on MariaDB",
    hint="Since Django 6.0, save() reads a stored GeneratedField back by itself where the database can "
    "return it from the UPDATE (section 4). Where it cannot, save() leaves the field unloaded "
    "(deferred), and this item refuses lazy fetches: load that one field yourself, only when it "
    "is missing.",
)
def _(answer):
    rng = random.Random()
    for alias, most in (("default", 1), ("legacy", 2)):
        fresh_tables(alias, [LineItem])
        price, quantity = Decimal(rng.randint(100, 999)) / 100, rng.randint(2, 9)
        item = LineItem.objects.using(alias).create(price=price, quantity=1)
        # price deferred: the database computes the total, and an answer that computes it in Python fails
        item = LineItem.objects.using(alias).fetch_mode(FETCH_RAISE).defer("price").get(pk=item.pk)
        try:
            got, count = queries_of(alias, answer, item, quantity)
        except FieldFetchBlocked as error:
            if str(error).endswith(".price blocked."):
                raise AssertionError(
                    f"{alias}: FieldFetchBlocked: {error}: the database computes the total; "
                    "do not compute it in Python: save() (or one refresh) brings it back"
                ) from None
            raise AssertionError(
                f"{alias}: FieldFetchBlocked: {error}: this database cannot return the new total "
                "from the UPDATE, so save() left it unloaded, and the item's queryset refuses a "
                "lazy fetch. Load the total explicitly where save() could not"
            ) from None
        stored = LineItem.objects.using(alias).get(pk=item.pk)
        assert stored.quantity == quantity, f"{alias}: the row's quantity is {stored.quantity}, not {quantity}: save()"
        assert got == stored.total == price * quantity, f"{alias}: returned {got}, the row's total is {stored.total}"
        assert item.quantity == quantity, (
            f"{alias}: the item still says quantity={item.quantity}: set it on the item and save() the item"
        )
        assert "total" not in item.get_deferred_fields(), (
            f"{alias}: the item's total is not loaded after your call: load it where save() could not"
        )
        assert item.total == stored.total, f"{alias}: the item's total is {item.total}, the row's {stored.total}"
        assert count <= most, (
            f"{alias}: {count} queries, expected at most {most}: where the database returns "
            "the total from the UPDATE, it is on the instance after save(): refresh_from_db only "
            "what is missing"
        )
