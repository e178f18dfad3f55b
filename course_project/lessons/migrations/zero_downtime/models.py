from django.db import models, router, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Lower, Replace

# The slug migration 0003 gave every old row: the title, lower case, spaces as dashes, then "-<id>".
SLUG = Concat(Lower(Replace("title", Value(" "), Value("-"))), Value("-"), Cast("id", CharField()))


class Edition(models.Model):
    """The end of migrations 0001-0006: `slug` became required without a long lock (see 0002-0006)."""

    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=220)

    def save(self, *args, **kwargs):
        """Every new row gets its slug as the backfill made them (shipped from deploy 0002 on, so that no
        row written after the backfill lacks one)."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            if not self.slug:  # the slug needs the id, known only once the row is inserted
                type(self).objects.using(using).filter(pk=self.pk).update(slug=SLUG)
                self.refresh_from_db(using=using, fields=["slug"])

    def __str__(self):
        return self.title
