"""Notebook 11's exercises (reference answers: solutions.py).

Each check puts migrations_lab in a state of its own choosing (for two migrations it picks), runs
what the learner's function returns or does, reads django_migrations, and migrates the app fully
again afterwards. unapply_target is also asked about two of Django's own apps; those are never
unapplied: Django's migration planner says what `migrate` would do.
"""
import random

from django.core.management import call_command
from django.db import DatabaseError, connections
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from course_project.runtime.checker import Exercises

exercises = Exercises("11_migrations")
APP = "migrations_lab"


def _history() -> list:
    """The app's migrations, oldest first (its history is a line)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [name for app, name in loader.graph.forwards_plan((APP, loader.graph.leaf_nodes(APP)[0][1]))
            if app == APP]


def _applied() -> list:
    recorder = MigrationRecorder(connections["default"])
    return sorted(name for app, name in recorder.applied_migrations() if app == APP)


def _migrate(target: str, **options):
    call_command("migrate", APP, target, verbosity=0, **options)


def _forget_history():
    MigrationRecorder(connections["default"]).migration_qs.filter(app=APP).delete()


def _picks(history) -> list:
    return random.sample(history, 2)  # two migrations: a fixed answer cannot fit both


def _planned_unapply(app: str, name: str, target: str):
    """What `migrate app target` would unapply in `app`, asked of Django's planner (nothing runs)."""
    executor = MigrationExecutor(connections["default"])
    try:
        node = (app, None) if target == "zero" else (app, executor.loader.get_migration_by_prefix(app, target).name)
    except (KeyError, AmbiguityError):
        raise AssertionError(f"`migrate {app} {target}`: {app} has no single migration matching {target!r}") from None
    undone = [migration.name for migration, backwards in executor.migration_plan([node])
              if backwards and migration.app_label == app]
    assert not (node[1] == name), \
        f"{name} is still applied: `migrate {app} {target}` migrates *to* {name}, which keeps it applied"
    assert name in undone, f"{name} is still applied after `migrate {app} {target}`"
    assert undone == [name], f"`migrate {app} {target}` would unapply {undone}; unapplying only {name} is the task"


DJANGOS_OWN = ("auth", "sessions")  # a long history, and an app whose only migration is its first


@exercises.add("unapply_target", "unapply_target(app_label, name): the `migrate` target that unapplies only `name`",
               hint="`migrate app X` moves the app *to* X, so X stays applied: which migration should stay? "
                    "Each migration lists what it builds on in its `dependencies` (MigrationLoader(None)"
                    ".disk_migrations[(app, name)]). And an app's first migration builds on nothing in its app.")
def _(answer):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app in DJANGOS_OWN:
        (_, leaf), = loader.graph.leaf_nodes(app)
        _planned_unapply(app, leaf, str(answer(app, leaf)))
    history = _history()
    try:
        for name in _picks(history):
            _migrate(name)  # the checker's state: `name` is the last applied migration
            target = answer(APP, name)
            _migrate(str(target))
            before = history[:history.index(name)]
            assert not (name in _applied() and name.startswith(str(target))), \
                f"{name} is still applied: `migrate {APP} {target}` migrates *to* {name}, which keeps it applied"
            assert name not in _applied(), f"{name} is still applied after `migrate {APP} {target}`"
            assert _applied() == before, (f"after `migrate {APP} {target}`, the applied migrations end at "
                                          f"{(_applied() or ['none'])[-1]}; unapplying only {name} leaves "
                                          f"{(before or ['none'])[-1]}")
    finally:
        _migrate(history[-1])


@exercises.add("record_without_running", "record_without_running(app_label, name): mark `name` (and what it "
                                         "depends on) applied without running it",
               hint="One of `migrate`'s options writes to django_migrations and runs nothing; "
                    "call_command passes options as keyword arguments.")
def _(answer):
    history = _history()
    schema_at = history[-1]
    try:
        for name in _picks(history):
            _migrate(name)
            schema_at = name
            _forget_history()  # the schema is at `name`, but django_migrations knows nothing of it
            try:
                answer(APP, name)
            except DatabaseError as error:
                raise AssertionError(f"it ran the migrations: {type(error).__name__}: {error}".strip()) from None
            expected = history[:history.index(name) + 1]
            assert _applied() == expected, \
                f"recorded {_applied() or 'nothing'}; the schema is at {name}, so record {expected[0]} to {name}"
    finally:  # a failed migration rolls back on PostgreSQL: the schema is still at `schema_at`
        _forget_history()
        _migrate(schema_at, fake=True)
        _migrate(history[-1])
