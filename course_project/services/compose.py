"""The compose backend: the same servers as Docker containers (docker-compose.yml)."""

import json
import os
import re
import subprocess
import sys

from course_project.env import ENV_FILE, INSTANCE, PROJECT_ROOT
from course_project.services.config import COMPOSE_FILE, servers
from course_project.services.docker_engine import engine_answers  # noqa: F401 (services.backend() uses it)
from course_project.services.errors import ServiceError

# compose project name: container and volume prefix, one per course instance
PROJECT = "django-db-course" + (f"-{INSTANCE}" if INSTANCE else "")
# The checkout as the engine sees it. In the dev container (.devcontainer/), which drives the host's engine
# through its socket, the bind mounts (init scripts, configs) must name the host's path: COURSE_HOST_WORKSPACE.
PROJECT_DIR = os.environ.get("COURSE_HOST_WORKSPACE") or str(PROJECT_ROOT)


def base_command() -> list:
    project = ["-p", PROJECT, "--project-directory", PROJECT_DIR]
    return ["docker", "compose", *project, "-f", str(COMPOSE_FILE), "--env-file", str(ENV_FILE)]


def compose(*args, capture=False, input=None) -> str:
    base = base_command()
    cmd = [*base, *args]
    proc = subprocess.run(cmd, capture_output=capture, text=True, input=input)
    if proc.returncode != 0:
        taken = taken_port(proc.stderr or "")
        if taken:
            raise ServiceError(taken)
        if capture and proc.stderr:
            print(proc.stderr.rstrip()[-2000:], file=sys.stderr)
            for service in failed_services(proc.stderr):  # its own words: why it exited or is unhealthy
                log = subprocess.run(
                    [*base, "logs", "--no-log-prefix", "--tail", "20", service], capture_output=True, text=True
                )
                print(f"--- the last lines of {service}'s log:\n{(log.stdout + log.stderr).rstrip()}", file=sys.stderr)
                print(health_report(base, service), file=sys.stderr)
        raise ServiceError(f"`{' '.join(cmd[2:])}` failed (exit {proc.returncode}); see `./course services logs`")
    # compose 2.x starts every line of `logs` with an erase-line code (ESC[2K), even into a pipe
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", proc.stdout or "")


def health_report(base, service) -> str:
    """The container's state and its last three health checks (when each ran, exit code, output)."""
    ids = subprocess.run([*base, "ps", "-a", "-q", service], capture_output=True, text=True).stdout.split()
    if not ids:
        return f"--- {service}: no container"
    inspect = subprocess.run(
        ["docker", "inspect", "--format", "{{json .State}}", ids[0]], capture_output=True, text=True
    )
    if inspect.returncode != 0:
        return f"--- {service}: {inspect.stderr.strip()}"
    state = json.loads(inspect.stdout)
    lines = [f"--- {service}'s container: {state['Status']} since {state['StartedAt']}"]
    health = state.get("Health")
    if health:
        lines[0] += f", {health['Status']} (failing streak {health['FailingStreak']})"
        for check in health["Log"][-3:]:
            output = " ".join(check["Output"].split())[:300]
            lines.append(f"  check at {check['Start'][11:19]}: exit {check['ExitCode']}: {output}")
    return "\n".join(lines)


def failed_services(output: str) -> list:
    """The services `up --wait` names as exited or unhealthy."""
    found = re.findall(rf"container {re.escape(PROJECT)}-(\w+)-\d+ (?:exited|is unhealthy)", output)
    return sorted(set(found))


def taken_port(output: str) -> str:
    """The engine's 'address already in use' for one of our ports, as one line naming server and port."""
    if not re.search(r"address already in use|port is already allocated", output):
        return ""
    for server in servers().values():
        if re.search(rf"[:\s]{server.port}\b", output):
            return (
                f"{server.title}: port {server.port} on {server.host} is already taken by another program. "
                f"Stop that program, or choose another port ({server.port_var}) in .env."
            )
    return "a port the course needs is already taken by another program; `./course preflight` says which"


def up(names):
    compose("up", "-d", "--wait", *names, capture=True)


def down(names):
    compose("stop", *names) if names else compose("down")


def volumes(name: str) -> list:
    """The named volumes a service mounts (`rm -v` would remove only anonymous ones)."""
    import yaml

    service = yaml.safe_load(COMPOSE_FILE.read_text())["services"][name]
    return [f"{PROJECT}_{v.split(':')[0]}" for v in service.get("volumes", []) if not v.startswith((".", "/"))]


def reset(names):
    if not names:
        compose("down", "-v")  # also removes the named volumes the file declares
        return
    compose("rm", "-s", "-f", "-v", *names)
    for volume in [v for name in names for v in volumes(name)]:
        subprocess.run(["docker", "volume", "rm", "-f", volume], capture_output=True)


def logs(names):
    compose("logs", "--tail", "50", *names)
