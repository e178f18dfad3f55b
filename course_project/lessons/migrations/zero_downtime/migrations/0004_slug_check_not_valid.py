"""Deploy 3a: promise "no NULL slug" for new and changed rows; old rows are not checked (no scan)."""

from django.contrib.postgres.operations import AddConstraintNotValid
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("zero_downtime", "0003_fill_slug")]
    operations = [
        AddConstraintNotValid(
            model_name="edition",
            constraint=models.CheckConstraint(condition=models.Q(slug__isnull=False), name="edition_slug_not_null"),
        ),
    ]
