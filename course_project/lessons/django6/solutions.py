"""Reference answers for notebook 17."""

from django.db.models import FETCH_PEERS, StringAgg, Value

from course_project.lessons.django6.catalog import Author


def book_labels(books):
    return [f"{book.title} by {book.author.name}" for book in books.fetch_mode(FETCH_PEERS)]


def titles_by_author(alias):
    authors = (
        Author.objects.using(alias)
        .filter(books__isnull=False)
        .annotate(titles=StringAgg("books__title", Value(", "), order_by="books__title"))
    )
    return dict(authors.values_list("name", "titles"))


def save_quantity(item, quantity):
    item.quantity = quantity
    item.save()
    if "total" in item.get_deferred_fields():  # no UPDATE ... RETURNING (MariaDB): save() dropped the old total
        item.refresh_from_db(fields=["total"])
    return item.total
