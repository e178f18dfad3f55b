"""Deploy 2: backfill in batches, each its own short transaction (the migration itself is not atomic)."""

from django.db import migrations, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Lower, Replace

BATCH = 5000


def fill(apps, schema_editor):
    Edition = apps.get_model("zero_downtime", "Edition")  # the historical model, as of this migration
    editions = Edition.objects.using(schema_editor.connection.alias)
    slug = Concat(Lower(Replace("title", Value(" "), Value("-"))), Value("-"), Cast("id", CharField()))
    last_id = 0
    while True:
        with transaction.atomic(using=schema_editor.connection.alias):
            ids = list(editions.filter(id__gt=last_id).order_by("id").values_list("id", flat=True)[:BATCH])
            if not ids:
                return
            editions.filter(id__gt=last_id, id__lte=ids[-1], slug__isnull=True).update(slug=slug)
        last_id = ids[-1]


class Migration(migrations.Migration):
    atomic = False  # without this, every batch would sit in one long transaction
    dependencies = [("zero_downtime", "0002_edition_slug")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
