"""SQLite is a file: helpers to start a lesson from a fresh one, and to try other OPTIONS on a file of their own."""

import copy
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connections

from course_project.env import PROJECT_ROOT


def database_file(alias: str) -> Path:
    return Path(connections[alias].settings_dict["NAME"])


def relative(path: Path) -> str:
    """A path as the learner sees it in the repository (never a machine path)."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return Path(path).name


def fresh_database(alias: str) -> str:
    """Delete the alias's file (and its -wal/-shm companions), then migrate a new one."""
    connections[alias].close()
    path = database_file(alias)
    _delete(path)
    call_command("migrate", database=alias, verbosity=0, stdout=StringIO())
    return relative(path)


def _delete(path: Path):
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def alias_with(name: str, options: dict, same_file_as: str | None = None) -> str:
    """Register the alias `sqlite_<name>`: the `sqlite` alias's settings with these OPTIONS, on a new
    file of its own next to it, holding only the Hit table (for locking.two_writers).
    With `same_file_as`, the new alias opens that alias's file instead (a second view of the same data)."""
    from course_project.lessons.sqlite.models import Hit

    alias = f"sqlite_{name}"
    if alias in connections.settings:
        connections[alias].close()
        del connections[alias]
    base = connections.settings["sqlite"]
    if same_file_as:
        path = connections.settings[same_file_as]["NAME"]
    else:
        path = Path(base["NAME"]).with_name(f"{Path(base['NAME']).stem}_{name}.sqlite3")
        _delete(path)
    connections.settings[alias] = {**copy.deepcopy(base), "NAME": path, "OPTIONS": options}
    if not same_file_as:
        with connections[alias].schema_editor() as editor:
            editor.create_model(Hit)
    return alias


def tables(alias: str) -> list:
    with connections[alias].cursor() as cursor:
        return sorted(connections[alias].introspection.table_names(cursor))
