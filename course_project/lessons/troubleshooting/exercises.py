"""Notebook 13's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises

exercises = Exercises("13_troubleshooting")

CAUSES = {"Connection refused": "server down or wrong port",
          "password authentication failed": "wrong password",
          "pg_hba.conf rejects connection": "pg_hba.conf",
          "too many connections for role": "connection limit"}


@exercises.add("diagnosis", "error fragment -> cause")
def _(answer):
    wrong = sorted(k for k, v in CAUSES.items() if answer.get(k) != v)
    assert not wrong, f"look again at: {wrong}"


@exercises.add("merge_command", "manage.py arguments that merge two leaf migrations of app shop")
def _(answer):
    args = list(answer)
    assert args[:1] == ["makemigrations"] and "--merge" in args and "shop" in args, \
        "makemigrations, with --merge, for the app"
