"""Deploy 3c: NOT NULL, proven by the valid check so PostgreSQL skips the scan; the check is then redundant."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("zero_downtime", "0005_validate_slug_check")]
    operations = [
        migrations.AlterField(model_name="edition", name="slug", field=models.CharField(max_length=220)),
        migrations.RemoveConstraint(model_name="edition", name="edition_slug_not_null"),
    ]
