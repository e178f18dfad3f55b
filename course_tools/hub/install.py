"""What the hub installs before it starts: its proxy (npm) and the learners' shared environment.

The learners' environment is a copy of .venv's packages (requirements-lab.lock, jupyterhub included)
on a Python every user can run (/usr/bin/python3: .venv's own may live under /root), owned by root
and read-only for learners; each learner's ~/course/.venv is a symlink to it. Notebook 17's kernel
(Django 6.1, Python 3.12+) gets a shared environment of its own beside it, learner-env-django6.
"""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT
from course_tools.hub import HERE, PROXY_DIR

LOCK = PROJECT_ROOT / "requirements-lab.lock"
SYSTEM_PYTHON = "/usr/bin/python3"


def proxy() -> Path:
    """configurable-http-proxy from npm, as pinned by course_tools/hub/package-lock.json (npm ci)."""
    binary = PROXY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    lock = (HERE / "package-lock.json").read_bytes()
    installed = PROXY_DIR / "package-lock.json"
    if binary.exists() and installed.exists() and installed.read_bytes() == lock:
        return binary
    PROXY_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        (PROXY_DIR / name).write_bytes((HERE / name).read_bytes())
    npm = subprocess.run(
        ["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PROXY_DIR,
        capture_output=True,
        text=True,
    )
    if npm.returncode != 0:
        installed.unlink(missing_ok=True)
        raise SystemExit(
            "error: `npm ci` could not install configurable-http-proxy (it needs Node.js, npm and, "
            f"the first time, the network):\n{(npm.stderr or npm.stdout).strip()[-1500:]}"
        )
    return binary


def learner_env_dir() -> Path:
    """var/learner-env, or a folder under /var/lib when learners cannot enter this checkout."""
    from course_project.services.native.base import _others_can_enter

    path = PROJECT_ROOT / "var" / "learner-env"
    if not _others_can_enter(path.parent):
        digest = hashlib.sha256(str(PROJECT_ROOT).encode()).hexdigest()[:10]
        path = Path("/var/lib") / f"django-db-course-{digest}" / "learner-env"
    return path


def learner_env() -> Path:
    """The learners' shared environment, synced to the lock (quick when it is current)."""
    path = learner_env_dir()
    python = shutil.which("python3", path="/usr/bin:/usr/local/bin") or SYSTEM_PYTHON
    stamp = hashlib.sha256(LOCK.read_bytes() + python.encode() + b"overrides").hexdigest()[:16]
    stamp_file = path / ".course-requirements"
    if not (stamp_file.exists() and stamp_file.read_text().strip() == stamp):
        _build(path, python, stamp_file, stamp)
    _django6_kernel(path)
    return path


def _build(path: Path, python: str, stamp_file: Path, stamp: str):
    uv = str(Path(sys.executable).with_name("uv"))
    print(
        f"==> building the learners' environment in {path} (uv, from requirements-lab.lock)",
        file=sys.stderr,
        flush=True,
    )
    for cmd in (
        [uv, "venv", "--quiet", "--allow-existing", "--python", python, str(path)],
        [uv, "pip", "sync", "--quiet", "--compile-bytecode", "--python", str(path / "bin" / "python"), str(LOCK)],
    ):  # read-only for learners: compile now, or every first import warns on 3.12+
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(
                f"error: the learners' environment could not be built (`{' '.join(cmd[:3])}`; "
                f"the first time it needs the network):\n{result.stderr.strip()[-1500:]}"
            )
    from course_tools.lab import write_overrides

    write_overrides(str(path))  # JupyterLab's defaults for the course (no news pop-up), as `./course lab` has
    subprocess.run(["chmod", "-R", "go-w", str(path)], check=True)
    for folder in (path, path.parent):
        folder.chmod(folder.stat().st_mode | 0o755)
    stamp_file.write_text(stamp + "\n")


def _django6_kernel(path: Path):
    """Notebook 17's kernel for every learner: learner-env-django6 beside the shared environment, listed in it
    (where the machine has Python 3.12+; otherwise one line says why notebook 17 cannot run)."""
    from course_tools import django6_kernel
    from course_tools.install import say

    venv = path.with_name("learner-env-django6")
    if django6_kernel.build(say, venv, str(path)):
        subprocess.run(["chmod", "-R", "go-w", str(venv)], check=True)
