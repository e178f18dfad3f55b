"""Notebook 13's exercises (reference answers: solutions.py).

`diagnosis` is called with the error messages of faults the checker causes itself, in an order of
its own; `merge_command` is run on a throwaway app (a label the checker picks) whose migration
graph has two leaves, and the graph is read again afterwards.
"""
import random
import secrets
import socket
from dataclasses import replace

import psycopg

from course_project.env import env
from course_project.lessons.migrations.throwaway import ThrowawayApp
from course_project.lessons.troubleshooting.conflicts import make_conflict
from course_project.lessons.troubleshooting.faults import PG, pg_hba_rule, throwaway_role
from course_project.runtime.checker import Exercises

exercises = Exercises("13_troubleshooting")

CAUSES = ("server down or wrong port", "wrong password or unknown user", "pg_hba.conf", "connection limit")


def _refused(user: str, password: str, port: int | None = None) -> str:
    """The message of the connection error a client gets (the connection must fail)."""
    try:
        replace(PG, port=port or PG.port).connect(user=user, password=password).close()
    except psycopg.OperationalError as error:
        return str(error).strip()
    raise RuntimeError(f"{user} connected: the fault was not caused")


def _closed_port() -> int:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there now
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _faults() -> list:
    """Cause each fault for real: [(its cause, the error message the client got)], shuffled."""
    faults = [("wrong password or unknown user", _refused(PG.user, secrets.token_urlsafe(9))),
              ("wrong password or unknown user", _refused(f"course_tmp_nobody_{secrets.token_hex(3)}", "x")),
              ("server down or wrong port", _refused(PG.user, env("POSTGRES_PASSWORD"), port=_closed_port()))]
    name = f"course_tmp_check_{secrets.token_hex(3)}"
    with throwaway_role(name, connection_limit=1) as password:
        with PG.connect(user=name, password=password):
            faults.append(("connection limit", _refused(name, password)))
        with pg_hba_rule(f"host {PG.database} {name} all reject"):
            faults.append(("pg_hba.conf", _refused(name, password)))
    random.shuffle(faults)
    return faults


@exercises.add("diagnosis", "diagnosis(message): the cause of a PostgreSQL connection error",
               hint="Each fault has a phrase of its own in the client's message: compare the outputs of "
                    "sections 1 to 5 and look for the words that differ, not for the user or the port.")
def _(answer):
    for cause, message in _faults():
        said = answer(message)
        assert said in CAUSES, f"answer with one of {list(CAUSES)}, not {said!r}"
        assert said == cause, f"a client got {message.splitlines()[0]!r}; diagnosis() said {said!r}"


@exercises.add("merge_command", "merge_command(app_label): the manage.py arguments that merge two leaf migrations",
               hint="migrate's error names the command; a script cannot answer questions, so add the option "
                    "that turns them off, and name the app.")
def _(answer):
    label = f"shop_{secrets.token_hex(2)}"
    args = answer(label)
    assert isinstance(args, (list, tuple)) and all(isinstance(a, str) for a in args), "a list of strings"
    assert not {"python", "manage.py", "django-admin"} & set(args), "only the arguments after `manage.py`"
    app = ThrowawayApp(label)
    try:
        make_conflict(app)
        assert len(app.leaves()) == 2
        out = app.manage(*args)
        command = " ".join(["manage.py", *args])
        assert "EOFError" not in out, f"`{command}` stopped to ask a question: a script needs --no-input"
        assert not out.startswith("[exit"), f"`{command}` failed: {out}"
        leaves = app.leaves()
        assert len(leaves) == 1, f"after `{command}`, {label} still has the leaf migrations {leaves}"
        applied = app.manage("migrate", label)
        assert not applied.startswith("[exit"), f"after `{command}`, migrate failed: {applied}"
    finally:
        app.close()
