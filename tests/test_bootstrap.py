"""The notebooks' bootstrap: idempotent, and a dead server is one clear message within seconds."""

import subprocess
import sys

import pytest

from course_project.env import PROJECT_ROOT
from course_project.runtime.bootstrap import ServersUnavailable, require, setup
from course_project.services import ServiceError

NOTEBOOKS = PROJECT_ROOT / "notebooks"


def run_in_notebook_folder(code: str):
    return subprocess.run([sys.executable, "-c", code], cwd=NOTEBOOKS, capture_output=True, text=True, timeout=60)


def test_setup_twice_in_one_process():
    code = (
        "from course_setup import setup; setup('postgres'); setup('postgres'); "
        "import os; print(os.environ['DJANGO_SETTINGS_MODULE'], os.environ['DJANGO_ALLOW_ASYNC_UNSAFE'])"
    )
    result = run_in_notebook_folder(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Django 5.2 is set up") == 2
    assert "course_project.settings true" in result.stdout


def test_setup_inside_a_running_event_loop():
    """What Jupyter does: the ORM is called while an asyncio loop runs."""
    code = (
        "import asyncio\nfrom course_setup import setup\n"
        "async def cell():\n    setup('postgres', quiet=True)\n"
        "    from django.db import connection\n    cursor = connection.cursor()\n"
        "    cursor.execute('SELECT 1')\n    print(cursor.fetchone()[0] == 1)\n"
        "asyncio.run(cell())"
    )
    result = run_in_notebook_folder(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.timeout(60)
def test_a_stopped_server_is_one_clear_message(restore_servers):
    from course_project import services

    services.down("mariadb")
    result = run_in_notebook_folder("from course_setup import setup; setup('postgres', 'mariadb')")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ServersUnavailable" in last and "MariaDB" in last and "./course services up" in last
    with pytest.raises(ServersUnavailable) as info:
        require("postgres", "mariadb")
    assert str(info.value).count("\n") == 0, "only the stopped server is reported"
    assert info.value._render_traceback_() == [f"\033[31mServersUnavailable\033[0m: {info.value}"]


def test_unknown_server_name_is_refused():
    with pytest.raises(ServiceError, match="unknown server"):
        setup("oracle")
