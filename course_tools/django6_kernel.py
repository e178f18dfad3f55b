"""Notebook 17's own kernel: .venv-django6 (Django 6.1, Python 3.12+), registered as the Jupyter kernel "django6".

The course environment stays on Django 5.2 LTS; this second environment boots the same course project
under Django 6.1. `./course setup` builds it with uv from requirements-django6.lock (compiled from
requirements-django6.txt by `./course lock`), on the first Python
3.12+ it finds (never a downloaded one), and installs the kernel's spec into .venv, where the course's
JupyterLab and nbval look for kernels. Where no Python 3.12+ exists (Debian 12 has only 3.11), set-up says
so in one line, and the notebook and its tests are reported as skipped with the same reason.
"""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT

NAME = "django6"
DISPLAY_NAME = "Python (Django 6.1)"
NOTEBOOK = "17_django6.ipynb"
LOCK = PROJECT_ROOT / "requirements-django6.lock"
VENV = PROJECT_ROOT / ".venv-django6"
PYTHON = VENV / "bin" / "python"
STAMP_NAME = ".course-requirements"  # in the environment: what it was built from
MINIMUM = (3, 12)


def _version(python: str) -> tuple | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True, timeout=20
        ).stdout.split()
    except OSError:
        return None
    return tuple(int(part) for part in out) if len(out) == 2 else None


def base_python() -> str | None:
    """The first Python 3.12+ here: the course's own interpreter if new enough, else python3.14 ... 3.12."""
    own = getattr(sys, "_base_executable", sys.executable)
    if sys.version_info[:2] >= MINIMUM:
        return own
    for name in ("python3.14", "python3.13", "python3.12"):
        found = shutil.which(name)
        if found and (_version(found) or (0,)) >= MINIMUM:
            return found
    return None


def kernel_spec(prefix: str = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "kernels" / NAME / "kernel.json"


def _stamp(python: str) -> str:
    return hashlib.sha256(LOCK.read_bytes() + repr(_version(python)).encode()).hexdigest()[:16]


def unavailable(venv: Path = VENV, prefix: str = sys.prefix) -> str:
    """Why notebook 17's kernel cannot run here, in one line; "" when it can.

    venv and prefix: where the kernel's environment lives and which Jupyter environment lists it
    (the course's own by default; the hub passes the learners' shared ones)."""
    python = base_python()
    if python is None:
        found = ".".join(map(str, sys.version_info[:2]))
        return (
            f"notebook 17 is skipped: Django 6.1 needs Python 3.12+, and this machine has only Python {found} "
            f"(with python3.12 or newer installed, `./course setup` builds its kernel, .venv-django6)"
        )
    stamp = venv / STAMP_NAME
    if not (stamp.exists() and stamp.read_text().strip() == _stamp(python) and kernel_spec(prefix).exists()):
        return f"notebook 17 is skipped: its kernel ({venv.name}, Django 6.1) is not built; `./course setup` builds it"
    return ""


def build(say, venv: Path = VENV, prefix: str = sys.prefix) -> bool:
    """Build the kernel's environment and register its kernel; quick when current. A failure is reported,
    never fatal."""
    python = base_python()
    if python is None:
        say(unavailable(venv, prefix))
        return False
    if not unavailable(venv, prefix):
        return True
    kernel_python = venv / "bin" / "python"
    say(f"creating {venv.name} (Django 6.1 on Python {'.'.join(map(str, _version(python)))}) for notebook 17")
    uv = Path(sys.executable).with_name("uv")
    if uv.exists():  # no ensurepip needed, and never a downloaded Python
        steps = [
            [str(uv), "venv", "--quiet", "--clear", "--no-python-downloads", "--python", python, str(venv)],
            [
                str(uv),
                "pip",
                "sync",
                "--quiet",
                "--compile-bytecode",
                "--python",
                str(kernel_python),
                str(LOCK),
            ],
        ]
    else:
        steps = [
            [python, "-m", "venv", "--clear", str(venv)],
            [str(kernel_python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(LOCK)],
        ]
    steps.append(
        [
            str(kernel_python),
            "-m",
            "ipykernel",
            "install",
            "--prefix",
            str(prefix),
            "--name",
            NAME,
            "--display-name",
            DISPLAY_NAME,
        ]
    )
    for cmd in steps:
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            say(f"warning: {venv.name} could not be built; notebook 17 will be skipped. " + " | ".join(tail))
            return False
    (venv / STAMP_NAME).write_text(_stamp(python) + "\n")
    return True


def run_python(*args, **kwargs) -> subprocess.CompletedProcess:
    """Run the kernel's Python (Django 6.1) in the project folder, with this process's environment."""
    return subprocess.run([str(PYTHON), *args], cwd=PROJECT_ROOT, capture_output=True, text=True, **kwargs)
