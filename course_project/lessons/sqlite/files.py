"""SQLite is a file: helpers to start a lesson from a fresh one."""
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
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    call_command("migrate", database=alias, verbosity=0, stdout=StringIO())
    return relative(path)


def tables(alias: str) -> list:
    with connections[alias].cursor() as cursor:
        return sorted(connections[alias].introspection.table_names(cursor))
