"""The hub's learners: an OS user each, their own copy of the course, their own course instance.

Everything here runs as root (the hub, or `./course hub ...`); whatever touches a learner's
course runs as that learner (`runuser`), with a clean environment, in their checkout.
"""

import fcntl
import grp
import json
import os
import pwd
import secrets
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from course_project.env import MAX_SLOTS, PROJECT_ROOT, used_slots
from course_tools.hub import hub_dir

GROUP = "course-learners"  # only members of this group are ever spawned: never root or a system user
NAME_PATTERN = r"[a-z][a-z0-9_-]{0,30}"  # a valid OS user name and course instance name


SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # useradd, runuser: in sbin


class LearnerError(Exception):
    pass


def tool(name: str) -> str:
    return shutil.which(name, path=SYSTEM_PATH) or name


@dataclass(frozen=True)
class Learner:
    name: str
    slot: int

    @property
    def home(self) -> Path:
        return Path(pwd.getpwnam(self.name).pw_dir)

    @property
    def checkout(self) -> Path:
        return self.home / "course"

    @property
    def state(self) -> Path:
        """Their course instance's state folder (see course_project/env.py)."""
        return self.checkout / "var" / "instances" / self.name

    def environment(self) -> dict:
        """What their single-user server, kernels and `./course` commands run with."""
        venv = self.checkout / ".venv"
        return {
            "COURSE_INSTANCE": self.name,
            "COURSE_INSTANCE_SLOT": str(self.slot),
            "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "PYTHON": str(venv / "bin" / "python"),
            "HOME": str(self.home),
            "USER": self.name,
            "LANG": "C.UTF-8",
        }


# --- the port blocks, one per learner, handed out once (hub_dir()/learners.json) ---


@contextmanager
def registry():
    """The learners' port blocks {name: slot}, locked while in use."""
    path = hub_dir() / "learners.json"
    with open(hub_dir() / "learners.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        slots = json.loads(path.read_text()) if path.exists() else {}
        before = dict(slots)
        yield slots
        if slots != before:
            path.write_text(json.dumps(slots, indent=1, sort_keys=True))


def registered() -> list:
    with registry() as slots:
        return sorted(slots)


def learner(name: str, allocate: bool = False) -> Learner:
    with registry() as slots:
        if name not in slots:
            if not allocate:
                raise LearnerError(f"{name} is not a learner of this hub (./course hub status lists them)")
            # unique across learners, clear of this checkout's own instances (./course test's), and from
            # COURSE_SLOT_FLOOR up (checkouts side by side on one machine each keep a range of their own)
            taken = set(slots.values()) | used_slots()
            free = [s for s in range(slot_floor(), MAX_SLOTS + 1) if s not in taken]
            if not free:
                raise LearnerError(f"all {MAX_SLOTS} port blocks are taken: remove learners first")
            slots[name] = free[0]
        return Learner(name, slots[name])


def slot_floor() -> int:
    return int(os.environ.get("COURSE_SLOT_FLOOR") or 1)


# --- OS accounts ---


def is_learner_account(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return name in grp.getgrnam(GROUP).gr_mem
    except KeyError:
        return False


def ensure_account(name: str, password: str | None = None):
    """The learner's OS user (group course-learners, home 0700); an existing non-learner is refused."""
    import re

    if not re.fullmatch(NAME_PATTERN, name):
        raise LearnerError(f"{name!r} cannot be a learner's name: use lower-case letters, digits, - and _")
    if subprocess.run([tool("getent"), "group", GROUP], capture_output=True).returncode != 0:
        _root(["groupadd", "--system", GROUP])
    try:
        pwd.getpwnam(name)
    except KeyError:
        _root(["useradd", "--create-home", "--user-group", "--groups", GROUP, "--shell", "/bin/bash", name])
    if not is_learner_account(name):
        raise LearnerError(f"{name} is an OS account that is not a workshop learner (not in group {GROUP})")
    Path(pwd.getpwnam(name).pw_dir).chmod(0o700)
    if password:
        _root(["chpasswd"], input=f"{name}:{password}\n")


def _root(cmd, input=None, cwd=None):
    result = subprocess.run([tool(cmd[0]), *cmd[1:]], input=input, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise LearnerError(f"`{' '.join(cmd)}` failed: {(result.stderr or result.stdout).strip()}")
    return result.stdout


# --- their copy of the course and their instance ---


def ensure_checkout(person: Learner):
    """A clone of this checkout in ~/course, theirs; .venv is the learners' shared environment."""
    from course_tools.hub.install import learner_env_dir

    if (person.checkout / ".git").exists():
        return
    # --no-hardlinks: chown must never reach this checkout's own object files
    _root(["git", "clone", "--quiet", "--no-hardlinks", str(PROJECT_ROOT), str(person.checkout)])
    (person.checkout / ".venv").symlink_to(learner_env_dir())
    _root(["chown", "-R", "--no-dereference", f"{person.name}:{person.name}", str(person.checkout)])


def course(person: Learner, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`./course ARGS` in the learner's checkout, as the learner, on their instance."""
    try:
        result = subprocess.run(
            [tool("runuser"), "-u", person.name, "--", str(person.checkout / "course"), *args],
            cwd=person.checkout,
            env=person.environment(),
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        raise LearnerError(f"{person.name}'s course servers: `./course {' '.join(args)}` took over 600 s") from None
    if check and result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise LearnerError(f"{person.name}'s course servers: `./course {' '.join(args)}` failed: " + " | ".join(last))
    return result


def migrations_stamp(person: Learner) -> str:
    """What their databases were last migrated from: the course's migration files, and the identity of
    each server's data folder (a reset makes a new one, so it is migrated again)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(person.checkout.glob("course_project/**/migrations/*.py")):
        digest.update(str(path.relative_to(person.checkout)).encode() + b"\0" + path.read_bytes())
    for server in ("postgres", "mariadb", "mongodb"):
        data = person.state / "native" / server / "data"
        digest.update(f"{server}:{data.stat().st_ino if data.exists() else '-'}".encode())
    return digest.hexdigest()


def migrate(person: Learner):
    """`./course manage migrate` on their servers, only when the course's migrations (or their databases)
    changed since their last run: a returning login skips it."""
    stamp_file = person.state / ".migrated"
    stamp = migrations_stamp(person)
    if stamp_file.exists() and stamp_file.read_text().strip() == stamp:
        return
    course(person, "manage", "migrate", "--verbosity", "0")
    stamp_file.write_text(stamp + "\n")
    shutil.chown(stamp_file, person.name, person.name)


def ensure_learner(name: str) -> Learner:
    """Their account, port block and copy of the course (quick when they exist)."""
    ensure_account(name)
    person = learner(name, allocate=True)
    ensure_checkout(person)
    return person


def start_servers(person: Learner):
    """Their servers up (created and provisioned the first time), then migrated if need be."""
    course(person, "services", "up")
    migrate(person)


def prepare(name: str, keep_running: bool = True) -> Learner:
    """Everything a learner needs before JupyterLab opens: the account, the clone, the instance with its
    servers created, provisioned and migrated. At a login the hub's spawner does the same while JupyterLab
    starts (then only the servers start, when `hub prepare` did the rest ahead of time). Idempotent."""
    person = ensure_learner(name)
    start_servers(person)
    if not keep_running:
        course(person, "services", "down")
    return person


def prepare_all(names) -> int:
    """`./course hub prepare`: learners made ready before the room opens (two at a time), their servers
    stopped again so that only their logins start them."""
    from course_tools.hub.install import learner_env

    learner_env()  # their shared environment, as `hub up` makes it

    def one(name):
        prepare(name, keep_running=False)
        return name

    with ThreadPoolExecutor(2) as pool:
        for name in pool.map(one, names):
            print(
                f"{name}: prepared (account, course copy, databases created and migrated; servers stopped)", flush=True
            )
    return 0


def stop_servers(name: str):
    """Stop the learner's database servers (the hub's post_stop_hook; their .env knows the ports)."""
    if is_learner_account(name) and (Path(pwd.getpwnam(name).pw_dir) / "course" / ".git").exists():
        with registry() as slots:
            person = Learner(name, slots.get(name, 0))
        course(person, "services", "down", check=False)


def processes_of(name: str) -> list:
    """PIDs of every process running as the learner's OS user."""
    uid = pwd.getpwnam(name).pw_uid
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if proc.stat().st_uid == uid:
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def stop_processes(name: str, grace: float = 15):
    """Whatever still runs as the learner (a JupyterLab, a kernel, a server an interruption left):
    SIGTERM (and SIGCONT, for a suspended one), then SIGKILL after `grace` seconds."""
    from course_tools.hub import terminate

    if is_learner_account(name) and not terminate(lambda: processes_of(name), grace):
        raise LearnerError(
            f"{name}'s processes {processes_of(name)} survived SIGKILL: see `ps -u {name}` and stop them by hand"
        )


def stop_all(everything: bool = False):
    """Every learner's database servers (and, with everything, whatever else they still run)."""

    def stop(name):
        stop_servers(name)
        if everything:
            stop_processes(name)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(stop, registered()))


# --- instructors' commands ---


def reset(names) -> int:
    from course_tools.hub import api

    for name in names:
        person = learner(name)
        api.stop_server(name)
        course(person, "services", "down", check=False)
        stop_processes(name)
        course(person, "services", "reset", "--yes")
        (person.state / ".migrated").unlink(missing_ok=True)
        for cmd in (["git", "checkout", "--", "notebooks"], ["git", "clean", "-fdxq", "--", "notebooks"]):
            subprocess.run([tool("runuser"), "-u", name, "--", *cmd], cwd=person.checkout, check=True)
        shutil.rmtree(person.state / "progress", ignore_errors=True)
        print(f"{name}: reset (databases wiped, notebooks restored); the next login starts afresh")
    return 0


def add_from_file(path: Path, then_prepare: bool = False) -> int:
    """Create learners' accounts from `name [password]` lines; missing passwords are made and printed.
    With then_prepare, each is also prepared (`hub prepare`) so that their first login is quick."""
    rows = [line.split() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    for name, *given in rows:
        password = given[0] if given else secrets.token_urlsafe(9)
        ensure_account(name, password)
        learner(name, allocate=True)
        print(f"{name}\t{'(password from the file)' if given else password}")
    return prepare_all([name for name, *_ in rows]) if then_prepare else 0


def remove(names) -> int:
    from course_tools.hub import api

    for name in names:
        if not is_learner_account(name):
            raise LearnerError(f"{name} is not a learner's account: nothing removed")
        api.stop_server(name)
        stop_servers(name)
        stop_processes(name)  # userdel refuses an account that still runs anything
        api.call("DELETE", f"/users/{name}", missing_ok=True)
        _root(["userdel", "--remove", name])
        with registry() as slots:
            slots.pop(name, None)
        print(f"{name}: removed (account, home, course copy and databases)")
    return 0


def progress(person: Learner) -> dict:
    """{lesson: report} from the checker's records in the learner's instance."""
    reports = {}
    for path in sorted((person.state / "progress").glob("*.json")):
        try:
            reports[path.stem] = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
    return reports


def print_status() -> int:
    from course_project.env import SLOT_STEP

    with registry() as slots:
        rows = sorted(slots.items())
    if not rows:
        print("no learners yet")
    for name, slot in rows:
        done = progress(Learner(name, slot)) if is_learner_account(name) else {}
        summary = (
            ", ".join(
                f"{lesson} {r['passed']}/{r['total']}"
                + (f" ({len(r['solutions_viewed'])} solutions viewed)" if r.get("solutions_viewed") else "")
                for lesson, r in done.items()
            )
            or "no checks yet"
        )
        print(f"{name}\tslot {slot} (ports +{SLOT_STEP * slot})\t{summary}")
    return 0
