"""Notebook 13's exercises (reference answers: solutions.py).

`diagnosis` is called with the error messages of faults the checker causes itself, in an order of
its own; `clashes` is called with migration operations on model and field names made up for each check.
"""

import random
import secrets
import socket
from dataclasses import replace

import psycopg
from django.db import migrations, models

from course_project.env import env
from course_project.lessons.troubleshooting import faults
from course_project.lessons.troubleshooting.faults import PG, throwaway_role
from course_project.runtime.checker import Exercises

exercises = Exercises("13_troubleshooting")

CAUSES = (
    "server down or wrong port",
    "server not answering",
    "wrong password or unknown user",
    "pg_hba.conf",
    "connection limit",
    "no such database",
)


def _refused(user: str, password: str, port: int | None = None, database: str | None = None) -> str:
    """The message of the connection error a client gets (the connection must fail)."""
    try:
        replace(PG, port=port or PG.port).connect(user=user, password=password, database=database, timeout=1).close()
    except psycopg.OperationalError as error:
        return str(error).strip()
    raise RuntimeError(f"{user} connected: the fault was not caused")


def _closed_port() -> int:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there now
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _faults() -> list:
    """Cause each fault for real: [(its cause, the error message the client got)], shuffled."""
    app_password = env("POSTGRES_PASSWORD")
    caused = [
        ("wrong password or unknown user", _refused(PG.user, secrets.token_urlsafe(9))),
        ("wrong password or unknown user", _refused(f"course_tmp_nobody_{secrets.token_hex(3)}", "x")),
        ("server down or wrong port", _refused(PG.user, app_password, port=_closed_port())),
        ("no such database", _refused(PG.user, app_password, database=f"shop_{secrets.token_hex(3)}")),
    ]
    with faults.silent_port() as port:
        caused.append(("server not answering", _refused(PG.user, "x", port=port)))
    name = f"course_tmp_check_{secrets.token_hex(3)}"
    with throwaway_role(name, connection_limit=1) as password:
        with PG.connect(user=name, password=password):
            caused.append(("connection limit", _refused(name, password)))
        with faults.pg_hba_rule(f"host {PG.database} {name} all reject"):
            caused.append(("pg_hba.conf", _refused(name, password)))
        with faults.pg_hba_without(name):
            caused.append(("pg_hba.conf", _refused(name, password)))
    random.shuffle(caused)
    return caused


@exercises.add(
    "diagnosis",
    "diagnosis(message): the cause of a PostgreSQL connection error",
    hint="Each fault has a phrase of its own in the client's message: compare the outputs of "
    "sections 1 to 5 and look for the words that differ, not for the user, database or port. "
    "Both pg_hba.conf messages name the file.",
)
def _(answer):
    for cause, message in _faults():
        said = answer(message)
        assert said in CAUSES, f"answer with one of {list(CAUSES)}, not {said!r}"
        assert said == cause, f"a client got {message.splitlines()[0]!r}; diagnosis() said {said!r}"


def _branches():
    """Two branches' operations on names made up for this check; the (model, field) pairs both touch."""
    tag = secrets.token_hex(2)
    order, item, log = f"Order{tag}", f"Item{tag}", f"Log{tag}"
    price, code, old, new, solo = (f"{name}_{tag}" for name in ("price", "code", "old", "new", "solo"))
    ours = [
        migrations.AddField(order, code, models.IntegerField(default=0)),
        migrations.AlterField(order, price, models.DecimalField(max_digits=8, decimal_places=2)),
        migrations.RenameField(item, old, new),
        migrations.CreateModel(log, [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddIndex(order, models.Index(fields=[code], name=f"order_code_{tag}")),
        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),
    ]
    theirs = [
        migrations.AlterField(order.lower(), price, models.DecimalField(max_digits=10, decimal_places=2)),
        migrations.RemoveField(item.lower(), old),
        migrations.AddField(item.lower(), new, models.IntegerField(default=0)),
        migrations.AddField(item.lower(), code, models.IntegerField(default=0)),
        migrations.AddField(order.lower(), solo, models.IntegerField(default=0)),
        migrations.CreateModel(log, [("id", models.BigAutoField(primary_key=True))]),
        migrations.RemoveIndex(order.lower(), f"order_price_{tag}"),
    ]
    both = {(order.lower(), price), (item.lower(), old), (item.lower(), new)}
    return (
        ours,
        theirs,
        both,
        {
            "case": (order.lower(), price),
            "renamed": (item.lower(), new),
            "other model": (order.lower(), code),
            "created": (log.lower(), "id"),
        },
    )


@exercises.add(
    "clashes",
    "clashes(ours, theirs): the (model, field) pairs, lower case, that the field operations of both branches touch",
    hint="Only the four field operations count, and they share a base class: "
    "django.db.migrations.operations.fields.FieldOperation, with model_name_lower and name_lower. "
    "Collect the pairs of each branch in a set and intersect the sets. Look at what a RenameField "
    "touches. Index and constraint operations have a model_name_lower too, but no field name.",
)
def _(answer):
    ours, theirs, both, trap = _branches()
    for first, second in ((ours, theirs), (theirs, ours)):
        said = answer(list(first), list(second))
        assert all(isinstance(pair, tuple) and len(pair) == 2 for pair in said), (
            f"a set of (model, field) tuples, not {said!r}"
        )
        got = set(said)
        assert trap["created"] not in got, (
            f"{trap['created']}: only field operations count; a model both branches create is a clash of its own"
        )
        assert trap["other model"] not in got, (
            f"{trap['other model']}: the same field name on another model is another column"
        )
        assert trap["case"] in got, f"missed {trap['case']}: 'Order…' and 'order…' are the same model in migrations"
        assert trap["renamed"] in got, f"missed {trap['renamed']}: a RenameField touches its old and its new name"
        assert got == both, f"expected {len(both)} pairs, got {sorted(got)}"
