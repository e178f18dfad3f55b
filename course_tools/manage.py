"""Django's manage.py for the course project, e.g. `./course manage showmigrations sqlitelab`."""

import subprocess
import sys

from course_project.env import PROJECT_ROOT

PASSTHROUGH = True


def add_arguments(parser):
    pass


def run(args) -> int:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "manage.py"), *args.extra], cwd=PROJECT_ROOT).returncode
