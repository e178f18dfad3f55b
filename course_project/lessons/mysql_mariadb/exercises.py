"""Notebook 03's exercises (reference answers: solutions.py).

The checker applies what the learner wrote: the GRANT runs as root on a throwaway database and user,
the OPTIONS open a real connection (while the checker has made the server's default sql_mode
non-strict), and exact_names runs on customers the checker adds for the check.
"""

import random
import secrets
import string
from contextlib import contextmanager

import MySQLdb
import sqlparse
from django.conf import settings
from django.db import connections
from django.db.backends.mysql.base import DatabaseWrapper
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from course_project.lessons.mysql_mariadb.models import Customer
from course_project.lessons.mysql_mariadb.modes import MODES, STRICT
from course_project.runtime.checker import Exercises
from course_project.services.config import servers

exercises = Exercises("03_mysql_mariadb")

STORE, OTHER, CLERK = "course_tmp_store", "course_tmp_other", "course_tmp_clerk"


def _one_statement(answer) -> str:
    statements = [s for s in sqlparse.split(str(answer)) if s.strip()]
    assert len(statements) == 1, f"one SQL statement, not {len(statements)}"
    return statements[0]


@exercises.add(
    "shop_grant",
    f"one GRANT: {CLERK}@% may read id, name, price of {STORE}.item and change its price, nothing else",
    hint="A privilege can name columns: SELECT (a, b) or UPDATE (c). The ON part can name one table "
    "(database.table) instead of every table (database.*). Several privileges fit in one GRANT.",
)
def _(answer):
    statement = _one_statement(answer)
    assert statement.lstrip().upper().startswith("GRANT"), "answer with a GRANT statement"
    server, password = servers()["mariadb"], secrets.token_urlsafe(12)
    root = server.connect(admin=True, database="")
    cursor = root.cursor()
    try:
        _drop_throwaways(cursor)
        for database in (STORE, OTHER):
            cursor.execute(f"CREATE DATABASE {database}")
            cursor.execute(
                f"CREATE TABLE {database}.item (id INT PRIMARY KEY, name VARCHAR(20), "
                "price DECIMAL(6,2), cost DECIMAL(6,2))"
            )
            cursor.execute(f"INSERT INTO {database}.item VALUES (1, 'pen', 2.50, 0.80)")
        cursor.execute(f"CREATE TABLE {STORE}.supplier (id INT PRIMARY KEY, name VARCHAR(20))")
        cursor.execute(f"CREATE USER '{CLERK}'@'%' IDENTIFIED BY '{password}'")  # token_urlsafe: no quotes
        cursor.execute(statement)  # the learner's GRANT, as root
        clerk = server.connect(user=CLERK, password=password, database="")
        try:
            mine = clerk.cursor()
            for sql, what in (
                (f"SELECT id, name, price FROM {STORE}.item", "read id, name and price"),
                (f"UPDATE {STORE}.item SET price = 2.75 WHERE id = 1", "change the price"),
            ):
                try:
                    mine.execute(sql)
                except MySQLdb.MySQLError as error:
                    raise AssertionError(f"{CLERK} cannot {what} of {STORE}.item: {error.args[1]}") from None
            for sql, what in (
                (f"SELECT cost FROM {STORE}.item", "read the cost column"),
                (f"UPDATE {STORE}.item SET name = 'ink' WHERE id = 1", "change the name"),
                (f"INSERT INTO {STORE}.item (id, name) VALUES (2, 'ink')", "insert items"),
                (f"DELETE FROM {STORE}.item WHERE id = 1", "delete items"),
                (f"SELECT name FROM {STORE}.supplier", f"read {STORE}.supplier"),
                (f"SELECT name FROM {OTHER}.item", f"read {OTHER}.item"),
                (f"CREATE TABLE {STORE}.extra (id INT)", "create tables"),
            ):
                try:
                    mine.execute(sql)
                except MySQLdb.MySQLError:
                    continue
                raise AssertionError(f"{CLERK} can {what}: grant only what the task lists")
        finally:
            clerk.close()
        _assert_exact_privileges(cursor)
    finally:
        _drop_throwaways(cursor)
        root.close()


WANTED = {("id", "SELECT"), ("name", "SELECT"), ("price", "SELECT"), ("price", "UPDATE")}


def _assert_exact_privileges(cursor):
    """The server's own record of the grant: exactly WANTED on STORE.item, none of it passable to others."""
    grantee = [f"'{CLERK}'@'%'"]
    cursor.execute(
        "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, PRIVILEGE_TYPE, IS_GRANTABLE "
        "FROM information_schema.COLUMN_PRIVILEGES WHERE GRANTEE = %s",
        grantee,
    )
    columns = cursor.fetchall()
    cursor.execute(
        "SELECT CONCAT(PRIVILEGE_TYPE, ' on ', TABLE_SCHEMA, '.', TABLE_NAME), IS_GRANTABLE "
        "FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = %s UNION ALL "
        "SELECT CONCAT(PRIVILEGE_TYPE, ' on ', TABLE_SCHEMA, '.*'), IS_GRANTABLE "
        "FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = %s UNION ALL "
        "SELECT CONCAT(PRIVILEGE_TYPE, ' on *.*'), IS_GRANTABLE FROM information_schema.USER_PRIVILEGES "
        "WHERE GRANTEE = %s AND PRIVILEGE_TYPE <> 'USAGE'",
        grantee * 3,
    )
    wider = cursor.fetchall()
    extra = sorted(f"{p} ({c})" for d, t, c, p, _ in columns if (d, t) != (STORE, "item") or (c, p) not in WANTED)
    extra += sorted(what for what, _ in wider)
    assert not extra, f"{CLERK} also has {', '.join(extra)}: grant only what the task lists"
    grantable = [row for row in columns if row[4] == "YES"] + [row for row in wider if row[1] == "YES"]
    assert not grantable, f"WITH GRANT OPTION lets {CLERK} pass its rights on to others: leave it out"


def _drop_throwaways(cursor):
    for database in (STORE, OTHER):
        cursor.execute(f"DROP DATABASE IF EXISTS {database}")
    cursor.execute(f"DROP USER IF EXISTS '{CLERK}'@'%'")


def _on_customers(captured) -> list:
    return [query for query in captured.captured_queries if Customer._meta.db_table in query["sql"]]


def _as_pattern(probe: str, names: list) -> str:
    """The note for an answer that read the name as a pattern: it found other names, not just other cases."""
    special = [c for c in ".%_+()" if c in probe]
    other = [n for n in names if n is not None and n.lower().rstrip() != probe.lower().rstrip()]
    if not (special and other):
        return ""
    return (
        f": a name is not a pattern, its {special[0]!r} matches only {special[0]!r}, not other characters as in "
        "a regex or a LIKE: escape the name (re.escape(name) in a __regex) or compare it with = in a "
        "case-sensitive collation"
    )


@exercises.add(
    "exact_names",
    "exact_names(name, alias): a QuerySet of the ids, in order, of the customers whose name equals `name` "
    "exactly (case and trailing spaces count), filtered in the database, on legacy and on default",
    hint="Each database compares with its own rules: check connections[alias].vendor, or find one lookup "
    "that is case-sensitive on both. MariaDB's column collation ignores case; its _bin collations "
    "compare bytes but, like most of its collations, pad with spaces ('a' = 'a '): the "
    "nopad collations do not. PostgreSQL compares varchar exactly. A name is not a pattern: a regex "
    "or LIKE built from it must escape its . % _ + ( characters. Return the QuerySet itself "
    "(values_list('id', flat=True)), not a list built in Python.",
)
def _(answer):
    token = "".join(random.choices(string.ascii_lowercase, k=6))
    probes = [
        f"chk{token}",
        f"Chk{token}",
        f"CHK{token}",
        f"chk{token} ",  # case and a trailing space count
        f"chk.{token}",
        f"chk%{token}",
        f"chk_{token}",
        f"chk+{token}",
        f"chk({token})",
    ]  # no pattern
    # decoys: chk.<t> and chk_<t> (regex, LIKE) match chkx<t>, chk%<t> (LIKE) chkxy<t>, chk+<t> (regex) chkk<t>,
    # and chk(<t>) (regex) chk<t>; chk<t> chk<t> starts and ends with chk<t> (startswith + endswith)
    spellings = probes + [f"chk{token}x", f"chkx{token}", f"chkxy{token}", f"chkk{token}", f"chk{token} chk{token}"]
    for alias in random.sample(["legacy", "default"], 2):
        # each spelling twice, interleaved, so that the order of the ids matters
        added = Customer.objects.using(alias).bulk_create([Customer(name=name, city="check") for name in spellings * 2])
        spelling_of = {c.pk: c.name for c in added}
        try:
            for probe in random.sample(probes, len(probes)):
                with CaptureQueriesContext(connections[alias]) as inside:
                    result = answer(probe, alias)
                early = _on_customers(inside)
                assert not early, (
                    f"exact_names({probe!r}, {alias!r}) queried {Customer._meta.db_table} "
                    f"{len(early)} time(s) before returning: filter in the database, in one query, "
                    "and return the QuerySet unevaluated (no rows fetched to compare in Python)"
                )
                assert isinstance(result, QuerySet), (
                    f"exact_names({probe!r}, {alias!r}) returned a "
                    f"{type(result).__name__}: return the QuerySet, so that the "
                    "database does the comparison"
                )
                where = str(result.query).partition(" WHERE ")[2]
                assert "name" in where, (
                    "filter in the database: the query's WHERE clause must compare the name "
                    "column (not a list of ids picked in Python)"
                )
                with CaptureQueriesContext(connections[alias]) as evaluating:
                    got = [getattr(row, "pk", row) for row in result]
                ran = len(_on_customers(evaluating))
                assert ran == 1, f"exact_names({probe!r}, {alias!r}): its QuerySet ran {ran} queries, not one"
                expected = sorted(pk for pk, name in spelling_of.items() if name == probe)
                padded = (
                    " a trailing space counts (MariaDB's _bin collations ignore it)"
                    if any(
                        spelling_of.get(pk, "").rstrip() == probe.rstrip() and spelling_of.get(pk) != probe
                        for pk in got
                    )
                    else ""
                )
                why = (
                    _as_pattern(probe, [spelling_of.get(pk) for pk in got])
                    or f" (MariaDB's default collation ignores case);{padded}"
                )
                assert sorted(got) == expected, (
                    f"exact_names({probe!r}, {alias!r}) returned the ids of "
                    f"{[spelling_of.get(pk, pk) for pk in got]}: only that exact "
                    f"spelling{why}"
                )
                assert got == expected, f"exact_names({probe!r}, {alias!r}): the right ids, but order them by id"
        finally:
            Customer.objects.using(alias).filter(pk__in=list(spelling_of)).delete()


@contextmanager
def server_default_mode(modes: str):
    """Set the server's default sql_mode for new connections, for the length of a check only."""
    root = servers()["mariadb"].connect(admin=True, database="")
    cursor = root.cursor()
    cursor.execute("SELECT @@GLOBAL.sql_mode")
    (saved,) = cursor.fetchone()
    cursor.execute("SET GLOBAL sql_mode = %s", [modes])
    try:
        yield
    finally:
        cursor.execute("SET GLOBAL sql_mode = %s", [saved])
        root.close()


@exercises.add(
    "strict_options",
    "OPTIONS for MariaDB: strict and utf8mb4 on any server, keeping exactly the server's other modes",
    hint="init_command runs after connecting, so it can read the server's list: SET accepts an expression, "
    "and @@sql_mode is the current list. What must your expression give when that list is empty?",
)
def _(answer):
    assert isinstance(answer, dict), "answer with a dict, like DATABASES[...]['OPTIONS']"
    not_strict = [mode for mode in MODES if mode not in STRICT]
    for keep in (set(random.sample(not_strict, 3)), set()):  # a non-strict server default, then an empty one
        connection = DatabaseWrapper(
            {**settings.DATABASES["legacy"], "OPTIONS": {"connect_timeout": 3, **answer}}, "strict_options_check"
        )
        try:
            with server_default_mode(",".join(sorted(keep))):
                connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT @@SESSION.sql_mode, @@character_set_connection")
                mode, charset = cursor.fetchone()
        finally:
            connection.close()
        modes = set(mode.split(",")) - {""}
        assert modes & set(STRICT), (
            f"on a server whose default sql_mode is {sorted(keep) or 'empty'}, the session is not strict: {mode!r}"
        )
        assert keep <= modes, (
            f"the session lost the server's {sorted(keep - modes)}: add strict mode to @@sql_mode, do not replace it"
        )
        assert modes - set(STRICT) <= keep, (
            f"on a server whose default sql_mode is {sorted(keep) or 'empty'}, the "
            f"session added {sorted(modes - set(STRICT) - keep)}: keep the server's "
            "list as it is, plus strict mode"
        )
        assert charset == "utf8mb4", f"the connection's character set is {charset}, not utf8mb4"
