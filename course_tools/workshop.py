"""Workshop helpers for instructors.

./course workshop reset        every course database back to its starting state, in seconds
./course workshop check NN     run one notebook headlessly; say PASS or FAIL in plain words
"""

import subprocess
import sys
import time
from io import StringIO

from course_project.env import PROJECT_ROOT


def reset() -> float:
    """Wipe every server's data and start again from the provisioning scripts, then migrate."""
    import os

    from tqdm import tqdm

    from course_project import services

    start = time.monotonic()
    steps = ["stop servers and wipe their data", "start and provision servers", "migrate", "fresh SQLite files"]
    with tqdm(steps, desc="workshop reset", unit="step", file=sys.stdout) as bar:
        for step in bar:
            bar.set_postfix_str(step)
            if step.startswith("stop"):
                services.reset()
            elif step.startswith("start"):
                services.up(quiet=True)
            elif step == "migrate":
                os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course_project.settings")
                import django
                from django.core.management import call_command

                django.setup()
                call_command("migrate", verbosity=0, stdout=StringIO())
            else:
                from course_project.lessons.sqlite.files import fresh_database

                for alias in ("sqlite", "sqlite_wal"):
                    fresh_database(alias)
    return time.monotonic() - start


def check(selector: str) -> bool:
    """Run one notebook through nbval (strict, like CI) and report in plain words."""
    from course_tools.refresh import find

    (path,) = find([selector])
    start = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--tb=line",
            "-p",
            "no:warnings",
            "-c",
            str(PROJECT_ROOT / "pytest.ini"),
            "--rootdir",
            str(PROJECT_ROOT),
            str(path),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    took = time.monotonic() - start
    if result.returncode == 0:
        print(f"PASS: {path.name} ran on this machine and every output matched ({took:.0f} s).")
        return True
    failures = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    print(f"FAIL: {path.name} did not run cleanly on this machine ({took:.0f} s).")
    for line in failures[:5]:
        print("  " + line)
    print(f"  Next: `./course services status`, then `./course test notebooks/{path.name}` for the details.")
    return False


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("reset", help="every course database back to its starting state")
    checker = sub.add_parser("check", help="run one notebook headlessly and say PASS or FAIL")
    checker.add_argument("notebook", help="a number (01) or a path")


def run(args) -> int:
    from course_project.services import ServiceError
    from course_tools.install import setup
    from course_tools.services_cmd import up_all

    setup()
    if args.action == "reset":
        try:
            print(f"All course databases are back to their starting state ({reset():.0f} s).")
        except ServiceError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        return 0
    up_all(quiet=True)
    return 0 if check(args.notebook) else 1
