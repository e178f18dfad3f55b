"""The notebooks' shared bootstrap: one call at the top of every notebook.

    from course_setup import setup
    setup("postgres", migrate=["default"])

It finds the project, sets DJANGO_SETTINGS_MODULE and DJANGO_ALLOW_ASYNC_UNSAFE (the
Jupyter kernel runs an event loop, so Django would otherwise raise
SynchronousOnlyOperation), calls django.setup(), checks the servers the notebook needs
(about three seconds at most), and migrates the given aliases. Safe to call twice.
"""

import os
import sys
from concurrent.futures import ThreadPoolExecutor

from course_project.env import PROJECT_ROOT


class ServersUnavailable(RuntimeError):
    """A server this notebook needs is not answering. Shown as one short message."""

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"\033[31mServersUnavailable\033[0m: {self}"]


def django_setup(settings: str = "course_project.settings"):
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")  # jupysql's telemetry off
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def require(*names):
    """Raise ServersUnavailable, naming each missing server and its fix, if any is down."""
    from course_project.services import probe
    from course_project.services.config import select

    chosen = select(names) if names else []
    with ThreadPoolExecutor(max_workers=max(1, len(chosen))) as pool:
        results = list(pool.map(probe, chosen))
    down = [r for r in results if not r.ok]
    if down:
        raise ServersUnavailable("\n".join(r.message for r in down))


def setup(*needs: str, migrate=(), quiet: bool = False):
    """Boot Django for a notebook, check the servers it needs, migrate the given aliases."""
    django_setup()
    require(*needs)
    if migrate:
        from django.core.management import call_command

        for alias in [migrate] if isinstance(migrate, str) else migrate:
            call_command("migrate", database=alias, verbosity=0, interactive=False)
    if not quiet:
        import django

        servers = ", ".join(needs) if needs else "none needed"
        print(f"Django {django.get_version().rsplit('.', 1)[0]} is set up. Servers checked: {servers}.")


def sqlalchemy_engine(alias: str = "default"):
    """A SQLAlchemy engine for a Django alias, for the %sql magic: `%sql engine --alias NAME`."""
    from django.conf import settings
    from sqlalchemy import URL, create_engine

    db = settings.DATABASES[alias]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return create_engine(f"sqlite:///{db['NAME']}")
    driver = {"postgresql": "postgresql+psycopg", "mysql": "mysql+mysqldb"}[engine]
    url = URL.create(
        driver, username=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=int(db["PORT"]), database=db["NAME"]
    )
    args = {"connect_timeout": 3}
    if engine == "mysql":
        args["charset"] = "utf8mb4"
    return create_engine(url, connect_args=args, pool_pre_ping=True)
