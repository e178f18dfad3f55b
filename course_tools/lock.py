"""Maintainers: recompile requirements-lab.lock from requirements*.txt after changing a pin.

    ./course lock

One lock for every platform and for Python 3.11 to 3.14 (`uv pip compile --universal`);
tests/test_environment_files.py checks that it agrees with the pins.
"""

import subprocess
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT

COMMAND = [
    "pip",
    "compile",
    "--quiet",
    "--universal",
    "--python-version",
    "3.11",
    "requirements-lab.txt",
    "-o",
    "requirements-lab.lock",
]


def add_arguments(parser):
    pass


def run(args) -> int:
    uv = Path(sys.executable).with_name("uv")
    return subprocess.run([str(uv), *COMMAND], cwd=PROJECT_ROOT).returncode
