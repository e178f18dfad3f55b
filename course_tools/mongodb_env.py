"""The native MongoDB server's own environment, for a Python that SecantusDB has no wheel for.

SecantusDB 0.7.0b3 has wheels up to CPython 3.13 and none for 3.14. Its sdist compiles WiredTiger: it
needs swig, cmake and the lz4 headers, and takes minutes on two cores. So requirements.txt installs it
only where a wheel exists, and on 3.14 `./course setup` makes .venv-mongodb on the newest Python the
wheels cover (python3.13, else 3.12 or 3.11; on Debian and Ubuntu apt installs python3.13 when it can),
with the versions of the course's lock. The course starts `secantusd-py` from there; everything else
(pymongo, the notebooks) stays in .venv. The server talks to clients over TCP only, so the two
Pythons never meet.
"""

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT

NEWEST_FIRST = ("python3.13", "python3.12", "python3.11")
APT_PACKAGE = "python3.13-venv"
# The pin's form in requirements.txt (read before .venv has `packaging`; a test checks it against packaging's
# own reading): secantusdb==VERSION; python_version < "X.Y"
PIN = re.compile(r'^secantusdb==(?P<version>[^;\s]+)\s*;\s*python_version\s*<\s*"(?P<below>\d+\.\d+)"', re.I | re.M)


def pin() -> re.Match:
    found = PIN.search((PROJECT_ROOT / "requirements.txt").read_text())
    if not found:
        raise SystemExit('error: requirements.txt must pin secantusdb==VERSION; python_version < "X.Y"')
    return found


def pinned_version() -> str:
    return pin()["version"]


def below() -> tuple:
    """The first Python minor version SecantusDB's pin leaves out (it has no wheel for it)."""
    return tuple(map(int, pin()["below"].split(".")))


def needed() -> bool:
    """True when .venv's Python gets no SecantusDB (its pin's marker excludes it: no wheel)."""
    return sys.version_info[:2] >= below()


def server_python() -> tuple[str, str] | None:
    """(path, version) of the newest Python on PATH that SecantusDB has a wheel for, and that runs
    (a pyenv shim may name a version that is not installed)."""
    for name in NEWEST_FIRST:
        if found := shutil.which(name):
            run = subprocess.run(
                [found, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True
            )
            if run.returncode == 0:
                return found, run.stdout.strip()
    return None


def ensure(say, error) -> None:
    """Make .venv-mongodb when needed; say in one line what the native MongoDB runs on."""
    from course_project.services.native.mongodb import SERVER_VENV

    if not needed():
        return
    found = server_python()
    this = f"{sys.version_info.major}.{sys.version_info.minor}"
    if not found:
        raise error(
            f"SecantusDB {pinned_version()} (the native MongoDB) has no wheel for Python {this}, and no "
            f"Python 3.13, 3.12 or 3.11 was found for it: install python3.13 (Homebrew: `brew install "
            f"python@3.13`), run the course on it (`PYTHON=python3.13 ./course setup`), or use Docker "
            f"(COURSE_SERVICES=compose, README)."
        )
    python, version = found
    stamp_file = SERVER_VENV / ".course-requirements"
    lock = PROJECT_ROOT / "requirements-lab.lock"
    want = hashlib.sha256(f"{pin()[0]} {version}".encode() + lock.read_bytes()).hexdigest()[:16]
    if not (stamp_file.exists() and stamp_file.read_text().strip() == want):
        uv = Path(sys.executable).with_name("uv")
        target = str(SERVER_VENV / "bin" / "python")
        # The lock as constraints: the server's dependencies get the course's versions.
        package = ["-c", str(lock), f"secantusdb=={pinned_version()}"]
        if uv.exists():
            steps = [
                [str(uv), "venv", "--quiet", "--clear", "--python", python, str(SERVER_VENV)],
                [str(uv), "pip", "install", "--quiet", "--python", target, *package],
            ]
        else:
            steps = [
                [python, "-m", "venv", "--clear", str(SERVER_VENV)],
                [target, "-m", "pip", "install", "-q", "--disable-pip-version-check", *package],
            ]
        for cmd in steps:
            if subprocess.run(cmd).returncode != 0:
                shutil.rmtree(SERVER_VENV, ignore_errors=True)
                raise error(f"building .venv-mongodb on Python {version} failed (see above).")
        stamp_file.write_text(want + "\n")
    say(
        f"native MongoDB: SecantusDB {pinned_version()} has no wheel for Python {this}, so it runs from "
        f".venv-mongodb (Python {version})"
    )
