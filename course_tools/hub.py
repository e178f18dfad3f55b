"""Instructors: a workshop hub (JupyterHub) where every learner has their own servers.

    ./course hub up [--auth shared|pam] [--port 8000] [--ip 127.0.0.1]   # start it (Ctrl-C stops it)
    ./course hub learners add FILE [--prepare]  # OS accounts with passwords, one name (and password) a line
    ./course hub prepare NAME ... | --all   # before the room opens: account, clone, databases made and migrated
    ./course hub learners remove NAME ...   # stop their servers, delete the account and its home
    ./course hub reset NAME | --all         # stop, wipe their databases, restore their notebooks
    ./course hub status                     # learners, their port blocks, their progress

At first login a learner gets an OS user (home 0700), a clone of this checkout in ~/course whose .venv
is one environment shared by all learners (read-only for them; `hub install` builds it), and a course
instance of their own (COURSE_INSTANCE=their name, a port block handed out by the hub); `hub prepare` does
all that ahead of time. At every login their servers start while JupyterLab starts (migrated only when the
course's migrations changed), and the hub calls them ready when both are.
Idle learners are stopped after --idle seconds and come back on their next login.

Log-in: --auth shared (the default) takes any name with the workshop password COURSE_HUB_PASSWORD;
the instructor (COURSE_HUB_ADMIN, default `instructor`) logs in with COURSE_HUB_ADMIN_PASSWORD.
Both come from the environment or .env, and `hub up` writes fresh ones to .env when they are missing.
--auth pam takes the accounts `hub learners add` made, and the instructor's own OS account.
Admins see every learner's exercise progress at /services/progress/.
"""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from course_project.env import ENV_FILE, PROJECT_ROOT, env

# course_tools/hub/ holds the hub's parts (config, learners, progress page, client): this module is
# their package too, so `course_tools.hub.learners` imports from there.
__path__ = [str(Path(__file__).with_name("hub"))]
HERE = Path(__path__[0])
PROXY_DIR = PROJECT_ROOT / "var" / "hub"  # the proxy's node_modules, and the hub's state by default


def hub_dir() -> Path:
    """The hub's state: its database, secrets, the learners' port blocks (COURSE_HUB_DIR moves it)."""
    path = Path(os.environ.get("COURSE_HUB_DIR") or PROXY_DIR)
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def processes_of_hub(state: Path) -> list:
    """PIDs of every process a hub with this state folder started and that still runs: `hub up`, JupyterHub,
    its proxy and services (they all carry COURSE_HUB_DIR=state; learners' processes run as the learner)."""
    marker = f"COURSE_HUB_DIR={state}".encode()
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc.name) != os.getpid() and marker in (proc / "environ").read_bytes().split(b"\0"):
                pids.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return pids


def hub_running(state: Path) -> int | None:
    """The PID of a JupyterHub still running from this state folder."""
    from course_project.services.native.base import read_pid

    return read_pid(state / "jupyterhub.pid")


def terminate(find, grace: float) -> bool:
    """SIGTERM (with SIGCONT, so a suspended process sees it), then SIGKILL after `grace` seconds, to every
    PID that find() returns; True when none is left."""
    import time

    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in find():
            for each in (sig, signal.SIGCONT):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, each)
        deadline = time.monotonic() + grace
        while find() and time.monotonic() < deadline:
            time.sleep(0.2)
        if not find():
            return True
    return False


def stop_hub_processes(state: Path, grace: float = 20) -> list:
    """Stop what an earlier hub of this folder left running; returns their PIDs."""
    found = processes_of_hub(state)
    terminate(lambda: processes_of_hub(state), grace)
    return found


def clear_leftovers(state: Path):
    """Before a hub starts: a hub still running from this folder is in the way (one line says how to clear
    it); what an interrupted one left (its proxy, culler, progress page, learners' servers) is stopped."""
    from course_tools.hub import learners

    running = hub_running(state)
    if running:
        raise SystemExit(
            f"error: a hub is already running from {state} (pid {running}): stop it with Ctrl-C "
            f"in its terminal or `kill {running}`, then start again"
        )
    left = stop_hub_processes(state)
    if left:  # its learners' JupyterLab and servers too: their next login starts them afresh
        learners.stop_all(everything=True)
        print(
            f"==> stopped what an interrupted hub left running ({len(left)} process(es) of its own, and its learners')",
            file=sys.stderr,
            flush=True,
        )


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    up = sub.add_parser("up", help="start the hub (in the foreground; Ctrl-C stops it and every learner)")
    up.add_argument(
        "--auth",
        choices=["shared", "pam"],
        default=env("COURSE_HUB_AUTH", default="shared"),
        help="shared: one workshop password; pam: the accounts `hub learners add` made",
    )
    up.add_argument(
        "--ip",
        default=env("COURSE_HUB_IP", default="127.0.0.1"),
        help="the address to listen on (default 127.0.0.1: put HTTPS in front, see README)",
    )
    up.add_argument(
        "--port",
        type=int,
        default=env.int("COURSE_HUB_PORT", default=8000),
        help="the hub's port; the next three are its API, the proxy's API and the progress page",
    )
    up.add_argument(
        "--idle",
        type=int,
        default=env.int("COURSE_HUB_IDLE", default=3600),
        help="stop a learner's servers after this many idle seconds",
    )
    sub.add_parser(
        "install",
        help="install the proxy (npm ci) and the learners' shared environment (uv); "
        "`hub up` does it too, but only this one can use the network inside a closed room",
    )
    learners = sub.add_parser("learners", help="create or remove learners' OS accounts")
    learners.add_argument("change", choices=["add", "remove"])
    learners.add_argument(
        "items", nargs="+", metavar="FILE|NAME", help="add: a file with `name [password]` a line; remove: names"
    )
    learners.add_argument("--prepare", action="store_true", help="add: also prepare each learner (see `hub prepare`)")
    prepare = sub.add_parser(
        "prepare",
        help="before the room opens: make learners ready (account, course copy, "
        "databases created and migrated) so that a first login only starts their servers",
    )
    prepare.add_argument("names", nargs="*", metavar="NAME")
    prepare.add_argument("--all", action="store_true", help="every learner the hub knows")
    reset = sub.add_parser("reset", help="stop a learner, wipe their databases, restore their notebooks")
    reset.add_argument("names", nargs="*", metavar="NAME")
    reset.add_argument("--all", action="store_true", help="every learner")
    sub.add_parser("status", help="the learners, their port blocks and exercise progress")


def ensure_secret(key: str, size: int) -> str:
    """A credential from the environment or .env; a fresh one is appended to .env when missing."""
    value = env(key, default="")
    if not value:
        value = secrets.token_urlsafe(size)
        with open(ENV_FILE, "a") as out:
            out.write(f"\n{key}={value}\n")
        os.environ[key] = value
    return value


def ports_free(ip: str, port: int):
    from course_project.services.probes import port_open

    for number, role in zip(range(port, port + 4), ("hub", "hub API", "proxy API", "progress page"), strict=True):
        if port_open("127.0.0.1" if ip in ("0.0.0.0", "") else ip, number):
            raise SystemExit(
                f"error: port {number} on {ip} ({role}) is already taken by another program. "
                f"Stop it, or start the hub on another port: ./course hub up --port {port + 10}"
            )


def up(args) -> int:
    from course_tools.hub import install, learners

    if os.geteuid() != 0:
        raise SystemExit(
            "error: the hub creates an OS user per learner and starts their servers as them: "
            "run `./course hub up` as root (sudo)."
        )
    proxy, learner_env = install.proxy(), install.learner_env()
    state = hub_dir()
    clear_leftovers(state)
    ports_free(args.ip, args.port)
    environment = {
        **os.environ,
        "COURSE_HUB_AUTH": args.auth,
        "COURSE_HUB_IP": args.ip,
        "COURSE_HUB_PORT": str(args.port),
        "COURSE_HUB_IDLE": str(args.idle),
        "COURSE_HUB_DIR": str(state),
        "COURSE_HUB_PROXY": str(proxy),
        "COURSE_HUB_LEARNER_ENV": str(learner_env),
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
    }
    if args.auth == "shared":
        ensure_secret("COURSE_HUB_PASSWORD", 12)
        ensure_secret("COURSE_HUB_ADMIN_PASSWORD", 32)
    where = f"http://{args.ip}:{args.port}"
    print(
        f"==> workshop hub on {where} ({args.auth} log-in; passwords in {ENV_FILE.name}); Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    # JupyterHub stops its children with SIGINT first: give it back the default action even when this
    # command was started in the background (where SIGINT is ignored, and that is inherited).
    command = [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(HERE / "jupyterhub_config.py")]
    hub = subprocess.Popen(
        command, cwd=state, env=environment, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)
    )
    signal.signal(signal.SIGTERM, lambda *_: hub.terminate())
    try:
        return hub.wait()
    except KeyboardInterrupt:
        hub.terminate()
        return hub.wait()
    finally:
        learners.stop_all()  # the hub stops single-user servers; this makes sure their databases stop too


def run(args) -> int:
    from course_tools.hub import learners

    if args.action == "up":
        return up(args)
    if args.action == "install":
        from course_tools.hub import install

        print(f"proxy: {install.proxy()}\nlearners' environment: {install.learner_env()}")
        return 0
    if args.action == "learners":
        return (
            learners.add_from_file(Path(args.items[0]), args.prepare)
            if args.change == "add"
            else learners.remove(args.items)
        )
    if args.action == "prepare":
        if os.geteuid() != 0:
            raise SystemExit("error: preparing learners creates OS users: run it as root (sudo)")
        if not args.names and not args.all:
            raise SystemExit("error: name the learners to prepare, or --all")
        return learners.prepare_all(learners.registered() if args.all else args.names)
    if args.action == "reset":
        if not args.names and not args.all:
            raise SystemExit("error: name the learners to reset, or --all")
        return learners.reset(learners.registered() if args.all else args.names)
    return learners.print_status()
