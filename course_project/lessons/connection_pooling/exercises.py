"""Notebook 10's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises

exercises = Exercises("10_connection_pooling")


@exercises.add("pool_options", "OPTIONS giving Django's pool at most 10 connections, connect_timeout 3")
def _(answer):
    assert answer.get("connect_timeout") == 3, "keep connect_timeout at 3"
    pool = answer.get("pool")
    assert isinstance(pool, dict), "the pool's settings go in a dict under the 'pool' key"
    assert pool.get("max_size") == 10, "the pool's max_size should be 10"
    assert "MAX_CONNS" not in answer, "MAX_CONNS is not a connection option"


@exercises.add("bouncer_settings", "{'CONN_MAX_AGE': ..., 'DISABLE_SERVER_SIDE_CURSORS': ...} behind pgBouncer")
def _(answer):
    assert answer == {"CONN_MAX_AGE": 0, "DISABLE_SERVER_SIDE_CURSORS": True}, \
        "a new connection per request, and no server-side cursors"
