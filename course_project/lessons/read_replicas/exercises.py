"""Notebook 05's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises
from course_project.lessons.read_replicas.lag import in_recovery

exercises = Exercises("05_read_replicas")


@exercises.add("in_recovery_map", "{'default': bool, 'replica': bool}, asked from the servers")
def _(answer):
    assert answer == {"default": in_recovery("default"), "replica": in_recovery("replica")}, \
        "ask each alias: SELECT pg_is_in_recovery()"


@exercises.add("lag_bytes", "lag_bytes(): WAL bytes the replica has not replayed, from pg_stat_replication")
def _(answer):
    value = answer()
    assert isinstance(value, int) and not isinstance(value, bool), f"return an int, not {type(value).__name__}"
    assert value >= 0, "a lag cannot be negative"
