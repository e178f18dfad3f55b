"""Maintainers: recompile the locks from requirements*.txt after changing a pin.

    ./course lock

requirements-lab.lock: the course's environment, one lock for every platform and for Python 3.11 to 3.14
(`uv pip compile --universal`). requirements-django6.lock: notebook 17's kernel (.venv-django6), Python 3.12+.
tests/test_environment_files.py checks that each agrees with its pins.
"""

import subprocess
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT


def compile_command(source: str, lock: str, python: str) -> list:
    return ["pip", "compile", "--quiet", "--universal", "--python-version", python, source, "-o", lock]


# lock file -> the uv command that compiles it (its header repeats it)
COMMANDS = {
    "requirements-lab.lock": compile_command("requirements-lab.txt", "requirements-lab.lock", "3.11"),
    "requirements-django6.lock": compile_command("requirements-django6.txt", "requirements-django6.lock", "3.12"),
}


def add_arguments(parser):
    pass


def run(args) -> int:
    uv = Path(sys.executable).with_name("uv")
    for command in COMMANDS.values():
        if code := subprocess.run([str(uv), *command], cwd=PROJECT_ROOT).returncode:
            return code
    return 0
