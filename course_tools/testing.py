"""Set up, start the test instances' servers, migrate, and run the whole test suite: the tests and
nbval over every notebook, in parallel (pytest-xdist, --dist loadscope: a notebook stays on one worker).

    ./course test                                    # everything (what CI runs)
    ./course test notebooks/01_sqlite.ipynb          # one notebook
    ./course test tests/test_01_sqlite.py -k wal     # any pytest arguments

Every argument goes to pytest. The suite runs on course instances of its own (test-gw0, test-gw1:
their own ports, data and servers), so a learner's databases and notebooks are never touched; their
servers are stopped at the end. COURSE_TEST_WORKERS=1 runs serially on one instance (`test`).
A run that collects no tests (pytest's exit code 5) is an error.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from course_project.env import PROJECT_ROOT

PASSTHROUGH = True
NO_TESTS = 5


def add_arguments(parser):
    pass


def workers() -> int:
    return max(1, int(os.environ.get("COURSE_TEST_WORKERS", "2")))


def instances(base: str, n: int) -> list:
    return [f"{base}-gw{i}" for i in range(n)] if n > 1 else [base]


def in_instance(name: str, *command: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `./course COMMAND` for one instance, in its own process (an instance is chosen per process)."""
    env = {**os.environ, **(env or {}), "COURSE_INSTANCE": name}
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [sys.executable, "-m", "course_tools", *command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise SystemExit(
            f"error: instance {name}: `./course {' '.join(command)}` failed:\n"
            + (result.stderr or result.stdout).strip()[-2000:]
        )
    return result


def start(names):
    """Servers up and migrated on every instance, side by side."""

    def prepare(name):
        in_instance(name, "services", "up")
        in_instance(name, "manage", "migrate", "--verbosity", "0")

    with ThreadPoolExecutor(len(names)) as pool:
        list(pool.map(prepare, names))


def stop(names):
    with ThreadPoolExecutor(len(names)) as pool:
        list(pool.map(lambda name: in_instance(name, "services", "down", check=False), names))


def run(args) -> int:
    from course_tools.install import say, setup

    setup(test=True)
    base, n = os.environ.get("COURSE_INSTANCE") or "test", workers()
    names = instances(base, n)
    say(f"test instances: {', '.join(names)}")
    try:
        if n > 1:
            in_instance(base, "help")  # the pytest controller reads settings too: give it an .env
        start(names)
        parallel = ["-n", str(n), "--dist", "loadscope"] if n > 1 else []
        code = subprocess.run(
            [sys.executable, "-m", "pytest", *parallel, *args.extra],
            cwd=PROJECT_ROOT,
            env={**os.environ, "COURSE_INSTANCE": base},
        ).returncode
    finally:
        stop(names)
    if code == NO_TESTS:
        print("error: pytest collected no tests (exit 5): check the paths you gave.", file=sys.stderr)
    return code
