"""The compose backend: the same servers as Docker containers (docker-compose.yml)."""
import subprocess

from course_project.env import ENV_FILE, INSTANCE
from course_project.services.config import COMPOSE_FILE
from course_project.services.docker_engine import engine_answers  # noqa: F401 (services.backend() uses it)
from course_project.services.errors import ServiceError

# compose project name: container and volume prefix, one per course instance
PROJECT = "django-db-course" + (f"-{INSTANCE}" if INSTANCE else "")


def compose(*args, capture=False) -> str:
    cmd = ["docker", "compose", "-p", PROJECT, "-f", str(COMPOSE_FILE), "--env-file", str(ENV_FILE), *args]
    proc = subprocess.run(cmd, capture_output=capture, text=True)
    if proc.returncode != 0:
        raise ServiceError(f"`{' '.join(cmd[2:])}` failed (exit {proc.returncode}); "
                           f"see `./course services logs`")
    return proc.stdout or ""


def up(names):
    compose("up", "-d", "--wait", *names)


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
