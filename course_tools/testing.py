"""Set up, start every server, migrate, and run the whole test suite: the tests and nbval over every notebook.

    ./course test                                    # everything (what CI runs)
    ./course test notebooks/01_sqlite.ipynb          # one notebook
    ./course test tests/test_01_sqlite.py -k wal     # any pytest arguments

Every argument goes to pytest. A run that collects no tests (pytest's exit code 5) is an error.
"""
import subprocess
import sys

from course_project.env import PROJECT_ROOT

PASSTHROUGH = True
NO_TESTS = 5


def add_arguments(parser):
    pass


def run(args) -> int:
    from course_tools.install import ready

    ready(test=True)
    code = subprocess.run([sys.executable, "-m", "pytest", *args.extra], cwd=PROJECT_ROOT).returncode
    if code == NO_TESTS:
        print("error: pytest collected no tests (exit 5): check the paths you gave.", file=sys.stderr)
    return code
