"""The course's environment: .env (or the real environment) read once, in one place.

Every other module (settings, services, runtime, tools, tests) takes ports, names and
credentials from here, so there is a single source of truth.

Instances: COURSE_INSTANCE=NAME picks a course instance of its own, with its own .env
(var/instances/NAME/.env), state folder and port block, so that several run side by side and
share no server. Unset, it is the checkout's own instance (.env, var/, .env.example's ports).
Under pytest-xdist each worker adds its id (NAME-gw0, NAME-gw1, ...).
"""

import os
import re
import secrets
from collections import ChainMap
from pathlib import Path

import environ

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
INSTANCES = PROJECT_ROOT / "var" / "instances"
PLACEHOLDER = "change-me"
PORT_KEYS = ("POSTGRES_PORT", "POSTGRES_REPLICA_PORT", "PGBOUNCER_PORT", "MARIADB_PORT", "MONGO_PORT")
SLOT_STEP, MAX_SLOTS = 10, 99  # the example's ports differ mod 10, so blocks never collide


def instance_name() -> str:
    name = os.environ.get("COURSE_INSTANCE", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{name or 'test'}-{worker}" if worker else name


INSTANCE = instance_name()
if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}|", INSTANCE):
    raise SystemExit(f"COURSE_INSTANCE={INSTANCE!r}: use lower-case letters, digits, - and _")
ENV_FILE = Path(
    os.environ.get("COURSE_ENV_FILE") or (INSTANCES / INSTANCE / ".env" if INSTANCE else PROJECT_ROOT / ".env")
)

env = environ.Env()


def used_slots() -> set:
    """Port blocks already taken by this checkout's instances."""
    taken = set()
    for path in INSTANCES.glob("*/.env"):
        match = re.search(r"^COURSE_INSTANCE_SLOT=(\d+)$", path.read_text(), re.M)
        taken |= {int(match.group(1))} if match else set()
    return taken


def free_slot() -> int:
    """COURSE_INSTANCE_SLOT if given (a workshop hub hands them out), else the lowest free block.

    COURSE_SLOT_FLOOR (default 1) is the lowest block to hand out: checkouts that run side by side on one
    machine (CI's legs, several work trees) each take blocks from a floor of their own."""
    if os.environ.get("COURSE_INSTANCE_SLOT"):
        return int(os.environ["COURSE_INSTANCE_SLOT"])
    floor = int(os.environ.get("COURSE_SLOT_FLOOR") or 1)
    free = [slot for slot in range(floor, MAX_SLOTS + 1) if slot not in used_slots()]
    if not free:
        raise SystemExit(f"all {MAX_SLOTS} instance port blocks are taken: remove one under {INSTANCES}")
    return free[0]


def render_env(slot: int = 0, state_dir: Path | None = None) -> str:
    """.env.example with a fresh secret for every placeholder, and ports moved to block `slot`."""
    lines = []
    for line in ENV_EXAMPLE.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            if value.strip() == PLACEHOLDER:
                line = f"{key}={secrets.token_urlsafe(18)}"
            elif key in PORT_KEYS and slot:
                line = f"{key}={int(value) + SLOT_STEP * slot}"
        lines.append(line)
    if slot:
        lines += [
            "",
            "# This course instance's own port block and state folder",
            f"COURSE_INSTANCE_SLOT={slot}",
            f"COURSE_STATE_DIR={state_dir}",
        ]
    return "\n".join(lines) + "\n"


def ensure_env_file() -> Path:
    """Create this instance's .env (random secrets; an instance also gets its own port block)."""
    import fcntl

    if ENV_FILE.exists():
        return ENV_FILE
    ENV_FILE.parent.mkdir(parents=True, exist_ok=True)
    INSTANCES.mkdir(parents=True, exist_ok=True)
    with open(INSTANCES / ".lock", "w") as lock:  # two instances made at once never share a block
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ENV_FILE.exists():
            text = render_env(free_slot(), ENV_FILE.parent) if INSTANCE else render_env()
            ENV_FILE.touch(mode=0o600)
            ENV_FILE.write_text(text)
            ENV_FILE.chmod(0o600)
    return ENV_FILE


FILE_VALUES = {}  # this instance's .env, read once; never copied into os.environ


def load() -> environ.Env:
    """Read .env (real environment variables win). Its values stay in this process: a child process
    of another instance (a test worker, a learner's kernel) starts from the real environment only."""
    reader = type("Reader", (environ.Env,), {"ENVIRON": {}})
    if ENV_FILE.exists():
        reader.read_env(ENV_FILE)
    FILE_VALUES.clear()
    FILE_VALUES.update(reader.ENVIRON)
    return env


env.ENVIRON = ChainMap(os.environ, FILE_VALUES)
load()
