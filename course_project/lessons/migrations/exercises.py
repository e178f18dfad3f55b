"""Notebook 11's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises

exercises = Exercises("11_migrations")


@exercises.add("undo_rename_target", "the target of `migrate migrations_lab <name>` that undoes only 0005")
def _(answer):
    assert str(answer).startswith("0004"), "migrating to a migration unapplies everything after it"


@exercises.add("record_without_running", "call_command keyword arguments that record a migration without running it")
def _(answer):
    assert answer == {"fake": True}, "one option: the one that only writes to django_migrations"
