"""Deploy 3b: check the old rows, under a lock that lets reads and writes go on."""

from django.contrib.postgres.operations import ValidateConstraint
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("zero_downtime", "0004_slug_check_not_valid")]
    operations = [ValidateConstraint(model_name="edition", name="edition_slug_not_null")]
