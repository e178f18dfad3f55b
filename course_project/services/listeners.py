"""Which process listens on a local TCP port (Linux's /proc): it tells a hung server from another program.

Only what this user may see is found: an unprivileged user sees their own processes, root sees all.
Anywhere else (macOS, no /proc) every answer is None, and the probes fall back to what the driver said.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
LISTEN = "0A"  # the TCP state LISTEN in /proc/net/tcp


@dataclass(frozen=True)
class Listener:
    pid: int
    program: str  # the process's name (comm), e.g. postgres, mariadbd, secantusd-py
    state: str  # R, S, T (stopped by a signal: SIGSTOP, Ctrl-Z), ...

    @property
    def suspended(self) -> bool:
        return self.state in ("T", "t")


def _socket_inodes(port: int) -> set:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def _holds(pid: Path, targets: set) -> bool:
    try:
        for fd in (pid / "fd").iterdir():
            try:
                link = os.readlink(fd)
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in targets:
                return True
    except OSError:
        pass
    return False


def listeners(port: int) -> list:
    """Every process holding a listening socket on `port` (that this user may see)."""
    targets = _socket_inodes(port)
    found = []
    if not targets:
        return found
    for pid in PROC.glob("[0-9]*"):
        if _holds(pid, targets):
            try:
                program = (pid / "comm").read_text().strip()
                state = (pid / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            found.append(Listener(int(pid.name), program, state))
    return sorted(found, key=lambda listener: listener.pid)
