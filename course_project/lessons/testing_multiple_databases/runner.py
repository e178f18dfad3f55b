"""Plumbing for notebook 15's checker and tests: run TestCase classes in this process, on test
databases of their own, and leave nothing behind.

The test databases get a suffix (`test_course_nb15check`, ...), so a run never collides with the
course's suite, whose pytest-django session may already hold `test_course`. The notebook writes
its own runner in a cell; this is the same idea, made safe to call from inside pytest.
"""

import copy
import io
import unittest

from django.db import connections
from django.test.utils import setup_databases, setup_test_environment, teardown_databases, teardown_test_environment

from course_project.env import env

SUFFIX = "nb15check"


class Outcomes(unittest.TestResult):
    """One line per test: `name: ok`, or `name: FAIL Type: message` (the message's first line)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []

    def record(self, test, outcome, err=None):
        if err is not None:
            message = str(err[1]).split("\n")[0]
            outcome += f" {type(err[1]).__name__}: {message}"
        self.lines.append(f"{getattr(test, '_testMethodName', test)}: {outcome}")

    def addSuccess(self, test):
        super().addSuccess(test)
        self.record(test, "ok")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.record(test, "FAIL", err)

    def addError(self, test, err):
        super().addError(test, err)
        self.record(test, "ERROR", err)


def test_names() -> dict:
    return {
        "default": f"test_{env('POSTGRES_DB')}_{SUFFIX}",
        "analytics": f"test_{env('POSTGRES_ANALYTICS_DB')}_{SUFFIX}",
    }


def run_quietly(*cases) -> Outcomes:
    """Run TestCase classes like `manage.py test` would, on PostgreSQL test databases only."""
    aliases = set()
    for case in cases:
        if case.databases == "__all__" or not set(case.databases) <= set(test_names()) | {"replica"}:
            raise ValueError(f"{case.__name__}.databases: use 'default', 'analytics' (and 'replica')")
        aliases |= set(case.databases)
    saved = {alias: copy.deepcopy(connections[alias].settings_dict) for alias in connections}
    for alias, name in test_names().items():
        connections[alias].settings_dict["TEST"]["NAME"] = name
    try:
        setup_test_environment()
        own_environment = True
    except RuntimeError:  # pytest-django (or a caller) has set it up already
        own_environment = False
    try:
        old_config = setup_databases(verbosity=0, interactive=False, aliases=aliases, serialized_aliases=set())
        try:
            suite = unittest.TestSuite(unittest.defaultTestLoader.loadTestsFromTestCase(c) for c in cases)
            return unittest.TextTestRunner(stream=io.StringIO(), resultclass=Outcomes, verbosity=0).run(suite)
        finally:
            connections.close_all()
            teardown_databases(old_config, verbosity=0)
    finally:
        if own_environment:
            teardown_test_environment()
        for alias, settings_dict in saved.items():
            connections[alias].settings_dict.clear()
            connections[alias].settings_dict.update(settings_dict)


def leftover_test_databases(marker: str = "nb15") -> list:
    """Test databases with the marker in their name still on the PostgreSQL server."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname", [f"test\\_%{marker}%"])
        return [row[0] for row in cursor.fetchall()]
