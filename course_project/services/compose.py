"""The compose backend: the same servers as Docker containers (docker-compose.yml)."""
import shutil
import subprocess

from course_project.env import ENV_FILE
from course_project.services.config import COMPOSE_FILE
from course_project.services.errors import ServiceError

PROJECT = "django-db-course"  # compose project name: container and volume prefix


def engine_answers() -> bool:
    """True when a Docker engine (not just the client) responds within a few seconds."""
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode == 0
    except subprocess.TimeoutExpired:
        return False


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
