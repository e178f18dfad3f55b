"""Notebook 11's exercises (reference answers: solutions.py).

unapply_target puts migrations_lab in a state of its own choosing (for two migrations it picks), runs
`migrate` with the learner's target, reads django_migrations, and migrates the app fully again
afterwards. It is also asked about two of Django's own apps; those are never unapplied: Django's
migration planner says what `migrate` would do, and so it is for a copy of migrations_lab's history whose
numbers skip. blocks_writers is given statements drawn from four lists (in two of them the keywords
mislead), and two calls of a function that LOCKs the table in a random mode (the text says nothing); the
checker measures each one's locks itself, watches that the answer measured them too (the
statement and a pg_locks read in one transaction), and checks that the learner's run left no trace.
"""

import random
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

from course_project.env import PROJECT_ROOT

from course_project.runtime.checker import Exercises

exercises = Exercises("11_migrations")
APP = "migrations_lab"


def _history() -> list:
    """The app's migrations, oldest first (its history is a line)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [name for app, name in loader.graph.forwards_plan((APP, loader.graph.leaf_nodes(APP)[0][1])) if app == APP]


def _applied() -> list:
    recorder = MigrationRecorder(connections["default"])
    return sorted(name for app, name in recorder.applied_migrations() if app == APP)


def _migrate(target: str, **options):
    call_command("migrate", APP, target, verbosity=0, **options)


def _migrate_app(app: str):
    call_command("migrate", app, verbosity=0)


def _picks(history) -> list:
    return random.sample(history, 2)  # two migrations: a fixed answer cannot fit both


def _planned_unapply(app: str, name: str, target: str, applied_up_to: str | None = None):
    """What `migrate app target` would unapply in `app`, asked of Django's planner (nothing runs). With
    `applied_up_to`, the planner assumes the app applied up to that migration (for a history not on disk)."""
    executor = MigrationExecutor(connections["default"])
    if applied_up_to:
        executor.loader.applied_migrations = {
            **{key: value for key, value in executor.loader.applied_migrations.items() if key[0] != app},
            **{
                node: executor.loader.graph.nodes[node]
                for node in executor.loader.graph.forwards_plan((app, applied_up_to))
            },
        }
    try:
        node = (app, None) if target == "zero" else (app, executor.loader.get_migration_by_prefix(app, target).name)
    except (KeyError, AmbiguityError):
        raise AssertionError(f"`migrate {app} {target}`: {app} has no single migration matching {target!r}") from None
    undone = [
        migration.name
        for migration, backwards in executor.migration_plan([node])
        if backwards and migration.app_label == app
    ]
    assert node[1] != name, (
        f"{name} is still applied: `migrate {app} {target}` migrates *to* {name}, which keeps it applied"
    )
    assert name in undone, f"{name} is still applied after `migrate {app} {target}`"
    assert undone == [name], f"`migrate {app} {target}` would unapply {undone}; unapplying only {name} is the task"


def _gap_case(answer):
    """migrations_lab's history as many teams' look: files deleted or squashed before they were shared, so the
    numbers skip. A copy of its migrations whose last one is numbered 0009 (it still builds on 0004), loaded in
    place of the app's own (MIGRATION_MODULES); the planner is asked, nothing is migrated."""
    package = f"unapply_gap_{secrets.token_hex(4)}"
    root = Path(tempfile.mkdtemp(prefix="course-gap-"))
    shutil.copytree(
        PROJECT_ROOT / "course_project/lessons/migrations/migrations",
        root / package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (root / package / "0005_rename_author_writer.py").rename(root / package / "0009_rename_author_writer.py")
    sys.path.insert(0, str(root))
    try:
        with override_settings(MIGRATION_MODULES={APP: package}):
            name = "0009_rename_author_writer"
            _planned_unapply(APP, name, str(answer(APP, name)), applied_up_to=name)
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[module]
        shutil.rmtree(root, ignore_errors=True)


DJANGOS_OWN = ("auth", "sessions")  # a long history, and an app whose only migration is its first


@exercises.add(
    "unapply_target",
    "unapply_target(app_label, name): the `migrate` target that unapplies only `name`",
    hint="`migrate app X` moves the app *to* X, so X stays applied: which migration should stay? "
    "Each migration lists what it builds on in its `dependencies` (MigrationLoader(None)"
    ".disk_migrations[(app, name)]). And an app's first migration builds on nothing in its app.",
)
def _(answer):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app in DJANGOS_OWN:
        ((_, leaf),) = loader.graph.leaf_nodes(app)
        _planned_unapply(app, leaf, str(answer(app, leaf)))
    _gap_case(answer)
    history = _history()
    try:
        for name in _picks(history):
            _migrate(name)  # the checker's state: `name` is the last applied migration
            target = answer(APP, name)
            _migrate(str(target))
            before = history[: history.index(name)]
            assert not (name in _applied() and name.startswith(str(target))), (
                f"{name} is still applied: `migrate {APP} {target}` migrates *to* {name}, which keeps it applied"
            )
            assert name not in _applied(), f"{name} is still applied after `migrate {APP} {target}`"
            assert _applied() == before, (
                f"after `migrate {APP} {target}`, the applied migrations end at "
                f"{(_applied() or ['none'])[-1]}; unapplying only {name} leaves "
                f"{(before or ['none'])[-1]}"
            )
    finally:
        _migrate(history[-1])


TABLE = "zero_downtime_edition"
CHECK = "edition_check_title"  # a NOT VALID check the checker adds, so that VALIDATE CONSTRAINT has one to scan
BLOCKING = [
    f"CREATE INDEX edition_check_idx ON {TABLE} (title)",
    f"REINDEX TABLE {TABLE}",
    f"ALTER TABLE {TABLE} ADD COLUMN note text",
    f"ALTER TABLE {TABLE} ADD CONSTRAINT edition_check_positive CHECK (id > 0) NOT VALID",
]
BLOCKING_BY_SURPRISE = [  # no ADD, no INDEX, yet writers wait
    f"CREATE TRIGGER edition_check_trigger BEFORE UPDATE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    f"ALTER TABLE {TABLE} ENABLE TRIGGER USER",
    f"ALTER TABLE {TABLE} ALTER COLUMN title SET DEFAULT 'x'",
]
NOT_BLOCKING = [
    f"SELECT count(*) FROM {TABLE}",
    f"UPDATE {TABLE} SET title = title WHERE id < 0",
    f"DELETE FROM {TABLE} WHERE id < 0",
    f"ANALYZE {TABLE}",
    f"COMMENT ON TABLE {TABLE} IS 'editions'",
    f"ALTER TABLE {TABLE} SET (fillfactor = 90)",
    f"ALTER TABLE {TABLE} ALTER COLUMN title SET STATISTICS 200",
    f"CREATE STATISTICS edition_check_stats ON id, title FROM {TABLE}",
]
NOT_BLOCKING_BY_SURPRISE = [  # ALTER TABLE, and a full scan, yet writers go on
    f"ALTER TABLE {TABLE} VALIDATE CONSTRAINT {CHECK}",
    f"ALTER TABLE {TABLE} SET (autovacuum_enabled = off)",
]
CONFLICT_WITH_WRITERS = {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}
# Statements whose text says nothing: a function that LOCKs the table in a mode drawn at random, one mode that
# makes writers wait and one that does not, so only a measurement can tell the two calls apart.
MODES_THAT_BLOCK = ["SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"]
MODES_THAT_DO_NOT = ["ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE"]


def _opaque_statements(rng) -> dict:
    """{`SELECT check_lock_<token>()`: its mode}, for one blocking and one non-blocking mode."""
    return {
        f"SELECT check_lock_{secrets.token_hex(4)}()": rng.choice(modes)
        for modes in (MODES_THAT_BLOCK, MODES_THAT_DO_NOT)
    }


def _create_functions(opaque: dict):
    with connections["default"].cursor() as cursor:
        for statement, mode in opaque.items():
            cursor.execute(
                f"CREATE FUNCTION {statement.split()[1]} RETURNS void LANGUAGE plpgsql AS "
                f"$$ BEGIN EXECUTE 'LOCK TABLE {TABLE} IN {mode} MODE'; END $$"
            )


def _drop_functions(opaque: dict):
    with connections["default"].cursor() as cursor:
        for statement in opaque:
            cursor.execute(f"DROP FUNCTION IF EXISTS {statement.split()[1]}")


def _locks_of(statement: str) -> set:
    """The checker's own measurement: the lock modes `statement` holds on the table (rolled back)."""
    connection = connections["default"]
    with transaction.atomic(using="default"), connection.cursor() as cursor:
        cursor.execute(statement)
        cursor.execute("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = %s::regclass", [TABLE])
        modes = {row[0] for row in cursor.fetchall()}
        transaction.set_rollback(True, using="default")
    return modes


def _measured_in_one_transaction(answer, statement):
    """Call the answer with connections["default"] watched (execute_wrapper): the statement and a read of
    pg_locks must run in one and the same transaction, the one that holds the statement's locks."""
    connection = connections["default"]
    seen = []

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        with connection.connection.cursor() as raw:  # same session: in a transaction, the same transaction
            raw.execute("SELECT transaction_timestamp()")
            seen.append((sql, raw.fetchone()[0]))
        return result

    with connection.execute_wrapper(watch):
        got = answer(statement)
    started = {when for sql, when in seen if statement.strip().rstrip(";") in sql}
    read = {
        when for sql, when in seen if all(word in sql.lower() for word in ("pg_locks", "pg_backend_pid", "relation"))
    }
    assert started and read and started & read, (
        f"blocks_writers({statement!r}): measure it. Run the statement and a read of pg_locks on "
        "connections['default'], in one transaction (transaction.atomic()): locks end with their transaction. "
        "Read your own backend's locks on the table: pid = pg_backend_pid() and relation = the table"
    )
    return got


def _fingerprint():
    """What the drawn statements could change: columns, statistics targets, defaults, indexes, constraints
    (and whether valid), options, comment, extended statistics, triggers (and whether enabled)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT array_agg(attname::text || ':' || coalesce(attstattarget::text, '') ORDER BY attnum) "
            "        FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped), "
            "       (SELECT array_agg(indexrelid::regclass::text ORDER BY 1) FROM pg_index WHERE indrelid = c.oid), "
            "       (SELECT array_agg(pg_get_expr(adbin, adrelid) ORDER BY adnum) FROM pg_attrdef WHERE adrelid = c.oid), "
            "       (SELECT array_agg(conname::text || ':' || convalidated::text ORDER BY 1) "
            "        FROM pg_constraint WHERE conrelid = c.oid), "
            "       (SELECT array_agg(tgname::text || ':' || tgenabled::text ORDER BY 1) "
            "        FROM pg_trigger WHERE tgrelid = c.oid AND NOT tgisinternal), "
            "       c.reloptions, obj_description(c.oid, 'pg_class'), "
            "       (SELECT array_agg(stxname::text ORDER BY 1) FROM pg_statistic_ext WHERE stxrelid = c.oid) "
            "FROM pg_class c WHERE c.oid = %s::regclass",
            [TABLE],
        )
        return cursor.fetchone()


@exercises.add(
    "blocks_writers",
    "blocks_writers(statement): does the statement hold a lock on zero_downtime_edition "
    "that makes INSERT/UPDATE/DELETE wait? Measured, then rolled back",
    hint="Run the statement inside transaction.atomic(), read the modes your own backend holds on the "
    "table from pg_locks (pg_backend_pid(), relation), then transaction.set_rollback(True). "
    "Writers take ROW EXCLUSIVE: which modes conflict with it? (PostgreSQL's docs, "
    "'Conflicting Lock Modes'.) The checker draws statements not shown in the notebook (indexes, statistics, "
    "comments, table options, and functions whose name says nothing of the lock they take), "
    "measures each one itself, and checks that your run changed nothing.",
)
def _(answer):
    _migrate_app("zero_downtime")
    rng = random.Random()
    statements = (
        rng.sample(BLOCKING, 2)
        + rng.sample(BLOCKING_BY_SURPRISE, 2)
        + rng.sample(NOT_BLOCKING, 3)
        + rng.sample(NOT_BLOCKING_BY_SURPRISE, 1)
    )
    opaque = _opaque_statements(rng)
    statements += list(opaque)
    rng.shuffle(statements)
    with connections["default"].cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {CHECK} CHECK (title <> '') NOT VALID")
    _create_functions(opaque)
    before = _fingerprint()
    try:
        for statement in statements:
            modes = _locks_of(statement)
            must_wait = bool(modes & CONFLICT_WITH_WRITERS)
            got = _measured_in_one_transaction(answer, statement)
            assert _fingerprint() == before, (
                f"after blocks_writers({statement!r}) its change is still there: measure it, then roll it back"
            )
            assert isinstance(got, bool), f"return True or False, not {got!r}"
            assert got == must_wait, (
                f"{statement!r} holds {sorted(modes)} on the table: writers "
                f"{'must wait' if must_wait else 'go on'}, but your answer was {got}"
            )
    finally:
        _drop_functions(opaque)
        if _fingerprint() != before:  # a change that was not rolled back: rebuild the table from its migrations
            call_command("migrate", "zero_downtime", "zero", verbosity=0)
            _migrate_app("zero_downtime")
        else:
            with connections["default"].cursor() as cursor:
                cursor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {CHECK}")
