"""Deploy 1: the column arrives nullable, so no row has to be written (instant on PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("zero_downtime", "0001_initial")]
    operations = [
        migrations.AddField(model_name="edition", name="slug", field=models.CharField(max_length=220, null=True)),
    ]
