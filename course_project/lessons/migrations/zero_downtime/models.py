from functools import partial

from django.db import models, router, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Lower, Replace

# The slug migration 0003 gave every old row: the title, lower case, spaces as dashes, then "-<id>".
SLUG = Concat(Lower(Replace("title", Value(" "), Value("-"))), Value("-"), Cast("id", CharField()))


def save_with_slug(edition, save, using=None):
    """The code shipped from deploy 0002 on: `save()` the edition, and give a new row its slug as the backfill
    made them. The slug needs the id, known only after the INSERT, so the INSERT writes '' and an UPDATE in the
    same transaction replaces it. Never NULL: while the model says `null=True` (deploys 0002 to 0005), an unset
    slug is None, and from 0004 on the check refuses a NULL in every new row."""
    using = using or router.db_for_write(type(edition), instance=edition)
    with transaction.atomic(using=using):
        if edition.slug is None:
            edition.slug = ""
        save()
        if not edition.slug:
            type(edition).objects.using(using).filter(pk=edition.pk).update(slug=SLUG)
            edition.refresh_from_db(using=using, fields=["slug"])


class Edition(models.Model):
    """The end of migrations 0001-0006: `slug` became required without a long lock (see 0002-0006)."""

    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=220)

    def save(self, *args, **kwargs):
        save_with_slug(self, partial(super().save, *args, **kwargs), kwargs.get("using"))

    def __str__(self):
        return self.title
