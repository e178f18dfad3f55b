"""Two developers' migrations on top of the same one: a graph with two leaves (notebook 13)."""

import importlib.util

INITIAL = """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.CreateModel("Note", [("id", models.BigAutoField(primary_key=True)),
                                                  ("text", models.CharField(max_length=50))])]
"""

ADD_FIELD = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("{label}", "0001_initial")]
    operations = [migrations.AddField("note", "{name}", models.IntegerField(default=0))]
"""


def make_conflict(app):
    """In a ThrowawayApp: 0001 creates Note; developer A's 0002 adds `likes`, developer B's 0002 adds `views`."""
    app.models(
        "class Note(models.Model):\n    text = models.CharField(max_length=50)\n"
        "    likes = models.IntegerField(default=0)\n    views = models.IntegerField(default=0)\n"
    )
    (app.migrations / "0001_initial.py").write_text(INITIAL)
    for name in ("likes", "views"):
        (app.migrations / f"0002_note_{name}.py").write_text(ADD_FIELD.format(label=app.label, name=name))


def operations(app, migration):
    """The operations of one of a ThrowawayApp's migration files, as Django reads them."""
    spec = importlib.util.spec_from_file_location(migration, app.migrations / f"{migration}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Migration.operations
