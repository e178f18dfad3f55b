"""Notebook 04's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises
from course_project.lessons.multiple_databases.models import Contact

exercises = Exercises("04_multiple_databases")


@exercises.add("copy_contact", "copy_contact(pk): copy a contact from default to analytics as a new row")
def _(answer):
    source = Contact.objects.using("default").order_by("pk").first()
    assert source, "run the notebook's section 3 first: it creates the contacts"
    before = {c.pk: (c.name, c.email) for c in Contact.objects.using("analytics")}
    new_pk = answer(source.pk)
    after = {c.pk: (c.name, c.email) for c in Contact.objects.using("analytics")}
    assert all(after.get(pk) == row for pk, row in before.items()), "an existing analytics row was changed"
    assert new_pk not in before and after.get(new_pk) == (source.name, source.email), \
        "return the id of a new analytics row holding the same name and email"
    Contact.objects.using("analytics").filter(pk=new_pk).delete()


@exercises.add("reads_from", "dict: model label -> alias it is read from")
def _(answer):
    expected = {"analytics.PageView": "analytics", "multidb.Book": "default", "multidb.LegacyOrder": "legacy"}
    assert answer == expected, f"expected {expected}"
