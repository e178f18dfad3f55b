"""Install what this machine lacks, then stop: system packages, the Python environment, .env.

    ./course setup

- System packages: on Debian and Ubuntu, apt installs what is missing (as root, or with sudo).
  The native servers need PostgreSQL 15+, pgBouncer and MariaDB 10.11+; mysqlclient's build needs
  a compiler, pkg-config, the MariaDB client headers and Python's. With Docker (compose) only the
  build needs remain. Elsewhere, or without root, one message names what is missing and how to get it.
- Python: .venv is synced to requirements-lab.lock with uv (pip when uv is missing); packages that
  left the lock are removed. A stamp of the lock and the Python version makes this instant when
  nothing changed.
- .env: created from .env.example, with a fresh random secret for every `change-me`.
- .venv-mongodb: only on Python 3.14, which SecantusDB (the native MongoDB) has no wheel for: it runs
  from an environment of its own on Python 3.13 (or 3.12, 3.11), and the set-up says so in one line.
- .venv-djongo: the legacy djongo route of notebook 08 (Django 3.1; on Python 3.12+ with setuptools
  for distutils, on 3.13 with legacy-cgi for cgi). Its failure never stops the set-up: notebook 08
  then says that route cannot run here.
- .venv-django6: notebook 17's kernel, Django 6.1 on Python 3.12+ (course_tools/django6_kernel.py). Where
  no such Python exists, one line says so and notebook 17 is skipped.
"""

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from course_project.env import ENV_FILE, PROJECT_ROOT, ensure_env_file, load
from course_tools import django6_kernel

LOCK = PROJECT_ROOT / "requirements-lab.lock"
DJONGO_REQUIREMENTS = PROJECT_ROOT / "requirements-djongo.txt"
DJONGO_VENV = PROJECT_ROOT / ".venv-djongo"


def say(text: str):
    print(f"\033[1m==> {text}\033[0m", file=sys.stderr, flush=True)


class SetupError(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"error: {message}")


@dataclass
class Need:
    what: str
    present: bool
    debian: str  # the Debian/Ubuntu package that provides it


def _which(name: str, *dirs: str) -> bool:
    return bool(shutil.which(name) or any(Path(d, name).exists() for d in dirs))


def _pkg_config(*names) -> bool:
    return _which("pkg-config") and any(
        subprocess.run(["pkg-config", "--exists", n], capture_output=True).returncode == 0 for n in names
    )


def build_needs() -> list:
    """What mysqlclient needs to compile (on every path: the course always installs it)."""
    headers = Path(sysconfig.get_paths()["include"], "Python.h").exists()
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    return [
        Need("a C compiler", _which("cc") or _which("gcc"), "gcc"),
        Need("pkg-config", _which("pkg-config"), "pkg-config"),
        Need("the MariaDB/MySQL client headers", _pkg_config("libmariadb", "mysqlclient", "mariadb"), "libmariadb-dev"),
        Need(f"Python {minor}'s headers (Python.h)", headers, f"python{minor}-dev"),
    ]


def native_needs() -> list:
    from course_project.services.native.mariadb import MIN_VERSION as MARIADB_MIN
    from course_project.services.native.mariadb import installed_version
    from course_project.services.native.postgres import MIN_VERSION, bin_dir

    try:
        pg_ok = bool(bin_dir())
    except Exception:  # too old: apt installs the distribution's current one
        pg_ok = False
    return [
        *server_python_needs(),
        Need(f"PostgreSQL {MIN_VERSION}+ server", pg_ok, "postgresql"),
        Need(
            "PostgreSQL contrib extensions",
            pg_ok and bool(list(Path("/usr/share/postgresql").glob("*/extension/pg_trgm.control"))),
            "postgresql-contrib",
        ),
        Need("pgBouncer", _which("pgbouncer", "/usr/sbin"), "pgbouncer"),
        Need(
            "MariaDB {}.{}+ server".format(*MARIADB_MIN),
            (installed_version() or (0, 0)) >= MARIADB_MIN,
            "mariadb-server",
        ),
        Need("MariaDB client tools", _which("mariadb") and _which("mariadb-admin"), "mariadb-client"),
    ]


def server_python_needs() -> list:
    """A Python that SecantusDB has a wheel for, when .venv's has none (course_tools/mongodb_env.py)."""
    from course_tools import mongodb_env

    if not mongodb_env.needed():
        return []
    return [
        Need(
            f"Python 3.13 for the native MongoDB (SecantusDB has no wheel for Python "
            f"{sys.version_info.major}.{sys.version_info.minor})",
            bool(mongodb_env.server_python()),
            mongodb_env.APT_PACKAGE,
        )
    ]


def test_needs() -> list:
    """What the test suite adds: Chromium for the browser test, docker-compose to validate the compose file."""
    if not _which("apt-get"):  # elsewhere the browser test and the compose-file check skip, saying why
        return []
    return [
        Need("Chromium (browser test)", _which("chromium"), "chromium"),
        Need("docker-compose (validates docker-compose.yml)", _which("docker-compose"), "docker-compose"),
    ]


def missing_help(missing) -> str:
    names = ", ".join(n.what for n in missing)
    system = platform.system()
    if system == "Darwin":
        return (
            f"missing: {names}. On macOS: `brew install pkg-config mysql-client`, then "
            '`export PKG_CONFIG_PATH="$(brew --prefix mysql-client)/lib/pkgconfig"` and run again; '
            "the servers run in Docker Desktop (COURSE_SERVICES=compose)."
        )
    packages = " ".join(sorted({n.debian for n in missing}))
    if shutil.which("apt-get"):
        return (
            f"missing: {names}. Install them with `sudo apt-get install {packages}`, or, with no root "
            f"access, use the Docker route: install Docker, set COURSE_SERVICES=compose in .env (README)."
        )
    return (
        f"missing: {names} (Debian/Ubuntu packages: {packages}). Install them with your system's package "
        f"manager, or use the Docker route (COURSE_SERVICES=compose, README). On Windows, use WSL 2."
    )


def _can_sudo() -> list | None:
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo"]
    return None


def system_packages(native: bool, test: bool = False, build: bool = True):
    needs = (build_needs() if build else []) + (native_needs() if native else []) + (test_needs() if test else [])
    missing = [n for n in needs if not n.present]
    if not missing:
        return
    sudo = _can_sudo()
    if not shutil.which("apt-get") or sudo is None:
        raise SetupError(missing_help(missing))
    packages = sorted({n.debian for n in missing})
    say(f"installing system packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    for cmd in (["apt-get", "update", "-qq"], install):
        if subprocess.run(sudo + cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            raise SetupError(f"`{' '.join(cmd)}` failed. " + missing_help(missing))
    still = [n.what for n in (build_needs() if build else []) + (native_needs() if native else []) if not n.present]
    if still:  # installed, yet too old (Ubuntu 22.04 packages PostgreSQL 14 and MariaDB 10.6)
        raise SetupError(
            f"this system's packages do not provide {', '.join(still)}. Use the Docker route: "
            f"install Docker and set COURSE_SERVICES=compose in .env (README, Platforms)."
        )


def _stamp() -> str:
    return hashlib.sha256(LOCK.read_bytes() + sys.version.encode()).hexdigest()[:16]


def _venv_current() -> bool:
    stamp_file = Path(sys.prefix) / ".course-requirements"
    return stamp_file.exists() and stamp_file.read_text().strip() == _stamp()


def python_packages(force: bool = False) -> bool:
    """Sync .venv with the lock; True if anything had to be done."""
    if not force and _venv_current():
        return False
    stamp_file = Path(sys.prefix) / ".course-requirements"
    uv = Path(sys.executable).with_name("uv")
    if uv.exists():
        say("syncing .venv with requirements-lab.lock (uv)")
        # bytecode now, like pip: a first import on Python 3.12+ would otherwise print a library's
        # SyntaxWarnings (jupysql's docstrings) into a notebook's output
        cmd = [str(uv), "pip", "sync", "--quiet", "--compile-bytecode", "--python", sys.executable, str(LOCK)]
    else:
        say("installing requirements-lab.lock with pip (uv is not available: slower)")
        cmd = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(LOCK)]
    if subprocess.run(cmd).returncode != 0:
        raise SetupError(
            "installing the Python packages failed (see above). `./course preflight` lists what the machine lacks."
        )
    stamp_file.write_text(_stamp() + "\n")
    return True


def djongo_env():
    """The legacy route's own environment; a failure is reported, never fatal."""
    stamp_file = DJONGO_VENV / ".course-requirements"
    want = hashlib.sha256(DJONGO_REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()[:16]
    if stamp_file.exists() and stamp_file.read_text().strip() == want:
        return
    say("creating .venv-djongo (djongo 1.3.7, Django 3.1, pymongo 3.11 built from source)")
    python = DJONGO_VENV / "bin" / "python"
    uv = Path(sys.executable).with_name("uv")
    steps = [
        [sys._base_executable, "-m", "venv", "--clear", str(DJONGO_VENV)],
        [str(uv), "pip", "install", "--quiet", "--python", str(python), "-r", str(DJONGO_REQUIREMENTS)]
        if uv.exists()
        else [str(python), "-m", "pip", "install", "-q", "-r", str(DJONGO_REQUIREMENTS)],
    ]
    for cmd in steps:
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            # No half-made environment: notebook 08 takes a missing .venv-djongo as "could not be built".
            shutil.rmtree(DJONGO_VENV, ignore_errors=True)
            say(
                "warning: .venv-djongo could not be built; notebook 08's djongo section will say so. "
                + " | ".join(tail)
            )
            return
    stamp_file.write_text(want + "\n")


def ensure_env():
    """.env first: every command reads its ports, names and credentials."""
    if not ENV_FILE.exists():
        ensure_env_file()
        load()
        say("created .env from .env.example, with fresh random passwords")


def setup(test: bool = False):
    """Everything `./course setup` does; quick when nothing is missing."""
    from course_project import services

    ensure_env()
    native = services.backend() == "native"
    system_packages(native, test, build=not _venv_current())
    python_packages()
    if native:
        from course_tools import mongodb_env

        mongodb_env.ensure(say, SetupError)
    djongo_env()
    django6_kernel.build(say)


def ready(test: bool = False):
    """Set up, start every server and migrate: what lab, test and refresh do first."""
    from course_tools import services_cmd

    setup(test=test)
    services_cmd.up_all()
    migrate = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "manage.py"), "migrate", "--verbosity", "0"], cwd=PROJECT_ROOT
    )
    if migrate.returncode != 0:
        raise SetupError("`manage.py migrate` failed (see above); `./course services doctor` checks the servers.")


def add_arguments(parser):
    parser.add_argument("--force", action="store_true", help="re-sync the Python environment even if it is current")


def run(args) -> int:
    setup()
    if args.force:
        python_packages(force=True)
    print("Set-up complete: `./course lab` opens the course.")
    return 0
