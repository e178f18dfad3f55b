"""What every native server shares: the base class, paths, users, processes and bounded waits.

Like Django's db/backends/base/, NativeServer carries the behaviour common to every vendor
(its folder, its PID, stop and wipe); each vendor's module adds how it is created and started.
"""

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from course_project.services.config import servers, state_dir
from course_project.services.errors import ServiceError
from course_project.services.probes import port_open

IS_ROOT = os.geteuid() == 0


def os_user(name: str) -> str | None:
    """The unprivileged user a server runs as when root starts it (they refuse to run as root)."""
    return name if IS_ROOT else None


class NativeServer:
    name = ""  # the server's name in services.config.servers()
    user = None  # OS user that owns its files and runs it (root only)
    dir_mode = 0o700
    log_name = "server.log"
    pid_name = "server.pid"
    stop_signal = signal.SIGTERM

    def __init__(self):
        self.server = servers()[self.name]
        self.dir = owned_dir(home() / self.name, self.user, self.dir_mode)
        self.log = self.dir / self.log_name
        self.pidfile = self.dir / self.pid_name

    def running(self) -> int | None:
        """The server's PID if it is alive."""
        return read_pid(self.pidfile)

    def start(self):
        """Create the server on first use, then start it and wait until it answers. Idempotent."""
        raise NotImplementedError

    def stop(self):
        stop_pid(self.running(), self.stop_signal, what=self.server.title)

    # A server is made in steps (create its data, start, provision). A marker stands while they run,
    # so that a set-up cut short (a taken port, Ctrl-C, a crash) is made again, never used half-made.
    @property
    def _marker(self) -> Path:
        return self.dir / ".being-created"

    def discard_half_made(self, data: Path):
        if self._marker.exists() and not self.running():
            shutil.rmtree(data, ignore_errors=True)
            self._marker.unlink()

    def creating(self):
        self._marker.touch()

    def created(self):
        self._marker.unlink(missing_ok=True)

    def wipe(self):
        """Delete the server's data, config and logs (stop it first)."""
        shutil.rmtree(self.dir, ignore_errors=True)


def home() -> Path:
    """Where native servers keep data, logs and PIDs (state_dir()/native).

    The servers run as `postgres` and `mysql`, so when root runs the course from a folder those
    users cannot enter (under /root, say), the data goes to /var/tmp instead, one folder per checkout.
    """
    path = state_dir() / "native"
    if IS_ROOT and not _others_can_enter(path):
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:10]
        path = Path("/var/tmp") / f"django-db-course-{digest}" / "native"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o755)
    return path


def _others_can_enter(path: Path) -> bool:
    return all(not folder.exists() or folder.stat().st_mode & 0o001 for folder in [path, *path.parents])


def owned_dir(path: Path, user: str | None, mode: int = 0o700) -> Path:
    """Create a folder that the server's own (non-root) user owns."""
    path.mkdir(parents=True, exist_ok=True)
    if IS_ROOT and user:
        shutil.chown(path, user, user)
    path.chmod(mode)
    return path


def write_private(path: Path, text: str, user: str | None = None) -> Path:
    """Write a file readable only by its owner (configs holding passwords)."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)
    if IS_ROOT and user:
        shutil.chown(path, user, user)
    return path


def find_binary(name: str, *dirs: str) -> str:
    for folder in dirs:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise ServiceError(
            f"`{name}` is not installed. Run `./course setup` (installs the native "
            f"servers from Debian's packages), or install Docker and use compose."
        )
    return found


def run(cmd, user=None, env=None, input=None, what=None) -> str:
    """Run a command (as the server's user when we are root); fail with its own last words."""
    cmd = [str(c) for c in cmd]
    if IS_ROOT and user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, input=input, timeout=120
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise ServiceError(f"{what or cmd[0]} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def spawn(cmd, log: Path) -> int:
    """Start a long-running server in its own session, detached from this process."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [str(c) for c in cmd],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return proc.pid


def wait_until(check, what: str, log: Path | None = None, timeout: float = 30.0):
    """Poll a readiness check with a bound; never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    hint = f"; its log: {log}" if log else ""
    raise ServiceError(f"{what} was not ready after {timeout:.0f} s{hint}")


def read_pid(pidfile: Path) -> int | None:
    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if pid_alive(pid) else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours is not alive.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def stop_pid(pid: int | None, sig=signal.SIGTERM, timeout: float = 30.0, what="server"):
    if not pid:
        return
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    resume(pid)  # a suspended server (SIGSTOP, Ctrl-Z) must wake to handle it
    wait_until(lambda: not pid_alive(pid), f"stopping {what} (pid {pid})", timeout=timeout)


def resume(pid: int):
    """Wake a suspended process (SIGSTOP, Ctrl-Z); harmless on a running one."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGCONT)


def ensure_port_free(server):
    if port_open(server.host, server.port):
        raise ServiceError(
            f"{server.title}: port {server.port} on {server.host} is already taken by "
            f"another program. Stop that program, or choose another port in .env."
        )
