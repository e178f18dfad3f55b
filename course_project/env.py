"""The course's environment: .env (or the real environment) read once, in one place.

Every other module (settings, services, bootstrap, tests) takes ports, names and
credentials from here, so there is a single source of truth.
"""
import os
import secrets
from pathlib import Path

import environ

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = Path(os.environ.get("COURSE_ENV_FILE", PROJECT_ROOT / ".env"))
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
PLACEHOLDER = "change-me"

env = environ.Env()


def ensure_env_file() -> Path:
    """Create .env from .env.example, with a fresh random secret for every placeholder."""
    if not ENV_FILE.exists():
        lines = []
        for line in ENV_EXAMPLE.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not line.lstrip().startswith("#") and value.strip() == PLACEHOLDER:
                line = f"{key}={secrets.token_urlsafe(18)}"
            lines.append(line)
        ENV_FILE.write_text("\n".join(lines) + "\n")
        ENV_FILE.chmod(0o600)
    return ENV_FILE


def load() -> environ.Env:
    """Read .env into os.environ (real environment variables win)."""
    if ENV_FILE.exists():
        environ.Env.read_env(ENV_FILE, overwrite=False)
    return env


load()
