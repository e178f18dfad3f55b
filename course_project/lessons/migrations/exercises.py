"""Notebook 11's exercises (reference answers: solutions.py).

unapply_target puts migrations_lab in a state of its own choosing (for two migrations it picks), runs
`migrate` with the learner's target, reads django_migrations, and migrates the app fully again
afterwards. It is also asked about two of Django's own apps; those are never unapplied: Django's
migration planner says what `migrate` would do. blocks_writers is given statements drawn from two
pools; the checker measures each one's locks itself, and checks that the learner's run left no trace.
"""
import random

from django.core.management import call_command
from django.db import connections, transaction
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


def _migrate_app(app: str):
    call_command("migrate", app, verbosity=0)


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


TABLE = "zero_downtime_edition"
BLOCKING = [f"CREATE INDEX edition_check_idx ON {TABLE} (title)",
            f"REINDEX TABLE {TABLE}",
            f"ALTER TABLE {TABLE} ADD COLUMN note text",
            f"ALTER TABLE {TABLE} ADD CONSTRAINT edition_check_positive CHECK (id > 0) NOT VALID"]
NOT_BLOCKING = [f"SELECT count(*) FROM {TABLE}",
                f"UPDATE {TABLE} SET title = title WHERE id < 0",
                f"DELETE FROM {TABLE} WHERE id < 0",
                f"ANALYZE {TABLE}",
                f"COMMENT ON TABLE {TABLE} IS 'editions'",
                f"ALTER TABLE {TABLE} SET (fillfactor = 90)",
                f"ALTER TABLE {TABLE} ALTER COLUMN title SET STATISTICS 200",
                f"CREATE STATISTICS edition_check_stats ON id, title FROM {TABLE}"]
CONFLICT_WITH_WRITERS = {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}


def _locks_of(statement: str) -> set:
    """The checker's own measurement: the lock modes `statement` holds on the table (rolled back)."""
    connection = connections["default"]
    with transaction.atomic(using="default"), connection.cursor() as cursor:
        cursor.execute(statement)
        cursor.execute("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = %s::regclass", [TABLE])
        modes = {row[0] for row in cursor.fetchall()}
        transaction.set_rollback(True, using="default")
    return modes


def _fingerprint():
    """What the pool's statements could change: columns, statistics targets, indexes, constraints, options,
    comment, extended statistics."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT array_agg(attname::text || ':' || coalesce(attstattarget::text, '') ORDER BY attnum) "
            "        FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped), "
            "       (SELECT array_agg(indexrelid::regclass::text ORDER BY 1) FROM pg_index WHERE indrelid = c.oid), "
            "       (SELECT array_agg(conname::text ORDER BY 1) FROM pg_constraint WHERE conrelid = c.oid), "
            "       c.reloptions, obj_description(c.oid, 'pg_class'), "
            "       (SELECT array_agg(stxname::text ORDER BY 1) FROM pg_statistic_ext WHERE stxrelid = c.oid) "
            "FROM pg_class c WHERE c.oid = %s::regclass", [TABLE])
        return cursor.fetchone()


@exercises.add("blocks_writers", "blocks_writers(statement): does the statement hold a lock on zero_downtime_edition "
                                 "that makes INSERT/UPDATE/DELETE wait? Measured, then rolled back",
               hint="Run the statement inside transaction.atomic(), read the modes your own backend holds on the "
                    "table from pg_locks (pg_backend_pid(), relation), then transaction.set_rollback(True). "
                    "Writers take ROW EXCLUSIVE: which modes conflict with it? (PostgreSQL's docs, "
                    "'Conflicting Lock Modes'.)")
def _(answer):
    _migrate_app("zero_downtime")
    rng = random.Random()
    statements = rng.sample(BLOCKING, 3) + rng.sample(NOT_BLOCKING, 4)
    rng.shuffle(statements)
    before = _fingerprint()
    try:
        for statement in statements:
            modes = _locks_of(statement)
            must_wait = bool(modes & CONFLICT_WITH_WRITERS)
            got = answer(statement)
            assert _fingerprint() == before, \
                f"after blocks_writers({statement!r}) its change is still there: measure it, then roll it back"
            assert isinstance(got, bool), f"return True or False, not {got!r}"
            assert got == must_wait, (f"{statement!r} holds {sorted(modes)} on the table: writers "
                                      f"{'must wait' if must_wait else 'go on'}, but your answer was {got}")
    finally:
        if _fingerprint() != before:  # a change that was not rolled back: rebuild the table from its migrations
            call_command("migrate", "zero_downtime", "zero", verbosity=0)
            _migrate_app("zero_downtime")
