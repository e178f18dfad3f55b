"""The compose backend: the same servers as Docker containers (docker-compose.yml)."""
import subprocess

from course_project.services.docker_engine import engine_answers  # noqa: F401 (services.backend() uses it)
from course_project.env import ENV_FILE
from course_project.services.config import COMPOSE_FILE
from course_project.services.errors import ServiceError

PROJECT = "django-db-course"  # compose project name: container and volume prefix


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


def reset(names):
    if names:
        compose("rm", "-s", "-f", "-v", *names)
    else:
        compose("down", "-v")


def logs(names):
    compose("logs", "--tail", "50", *names)
