"""Maintainers: lint and format the course's code with ruff, configured once in ruff.toml.

    ./course lint          # ruff check (Python files and the notebooks' code cells), ruff format --check
    ./course lint --fix    # apply ruff's safe fixes and its formatting, then check again

CI runs `./course lint` before the test suite; ruff's own messages say what to change.
"""

import subprocess
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT


def ruff(*args) -> int:
    """Run the pinned ruff from the course environment in the project's root, which holds ruff.toml."""
    return subprocess.run([str(Path(sys.executable).with_name("ruff")), *args], cwd=PROJECT_ROOT).returncode


def add_arguments(parser):
    parser.add_argument("--fix", action="store_true", help="apply the safe fixes and the formatting first")


def run(args) -> int:
    from course_tools.install import setup

    setup()
    if args.fix:
        ruff("check", "--fix", "--quiet", ".")
        ruff("format", "--quiet", ".")
    checked = ruff("check", ".")
    formatted = ruff("format", "--check", ".")
    return checked or formatted
