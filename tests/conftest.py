"""Shared test set-up: the live servers the suite talks to (no mocks anywhere)."""

import pytest

from course_project import services


def pytest_report_header(config):
    from course_project.env import INSTANCE

    workers = getattr(config.option, "numprocesses", None)
    if workers:  # the controller: each worker runs on its own instance (course_project/env.py)
        return f"course instances: {INSTANCE or 'test'}-gw0 ... (one per worker, {workers} workers)"
    down = [r for r in services.status() if not r.ok]
    where = f"instance {INSTANCE}" if INSTANCE else "the checkout's own instance"
    if not down:
        return f"servers: all up ({services.backend()}, {where})"
    return [f"servers DOWN ({where}), tests that need them will fail:"] + [f"  {r.message}" for r in down]


@pytest.fixture
def restore_servers():
    """Bring every server back after a test that stopped one, even if the test failed."""
    yield
    services.up(quiet=True)


@pytest.fixture(autouse=True)
def _close_mirror_connections():
    """Mirror aliases (replica, bouncer) share the test database; close them so it can be dropped."""
    yield
    from django.db import connections

    for alias in ("replica", "bouncer"):
        connections[alias].close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, plus: let pgBouncer go of them before they are dropped."""
    from django.db import connections

    from course_project.services.bouncer_admin import release

    yield
    release(connections["default"].settings_dict["NAME"])


def pytest_sessionstart(session):
    """An interrupted run may have left pgBouncer holding the test database: let it go."""
    from course_project.env import env
    from course_project.services.bouncer_admin import release

    release("test_" + env("POSTGRES_DB"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix():
    """pytest-django renames test databases per xdist worker (test_course_gw0); every worker here has
    servers of its own (its course instance), so the names stay, and so do the app users' grants."""


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """TEST['MIRROR'] only renames the database: the replica and pgBouncer aliases would still
    connect to their own servers. In tests they must reach the primary itself, so that a read
    through them sees exactly what the test wrote (committed, in transactional tests)."""
    from django.conf import settings

    from course_project.runtime.discover_runner import point_mirrors_at_their_primary

    point_mirrors_at_their_primary(settings.DATABASES)  # as `manage.py test` does (settings.TEST_RUNNER)


def pytest_runtest_setup(item):
    """Under xdist a notebook may have restarted a server earlier on this worker: Django connections that
    died with it are dropped before the next test, which then connects afresh."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor in ("postgresql", "mysql")
            and connection.connection is not None
            and not connection.in_atomic_block
            and not connection.is_usable()
        ):
            connection.close()
