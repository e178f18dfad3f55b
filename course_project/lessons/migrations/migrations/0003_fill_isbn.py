"""A data migration: give every book a placeholder ISBN. Reversible (the reverse clears it)."""

from django.db import migrations


def fill(apps, schema_editor):
    Book = apps.get_model("migrations_lab", "Book")  # the historical model, as of this migration
    for book in Book.objects.using(schema_editor.connection.alias).filter(isbn=""):
        book.isbn = f"TMP-{book.pk:06d}"
        book.save(update_fields=["isbn"])


def clear(apps, schema_editor):
    Book = apps.get_model("migrations_lab", "Book")
    Book.objects.using(schema_editor.connection.alias).filter(isbn__startswith="TMP-").update(isbn="")


class Migration(migrations.Migration):
    dependencies = [("migrations_lab", "0002_book_isbn")]
    operations = [migrations.RunPython(fill, clear)]
