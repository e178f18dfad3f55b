"""The legacy djongo route, run in its own environment (.venv-djongo) through a subprocess."""

import json
import os
import subprocess
from pathlib import Path

from course_project.env import PROJECT_ROOT, env
from course_project.services.config import mongo_uri

PYTHON = PROJECT_ROOT / ".venv-djongo" / "bin" / "python"
PROJECT = Path(__file__).with_name("djongo_legacy")
DATABASE = env("MONGO_DB") + "_djongo"


def missing() -> str | None:
    """None when the legacy route can run here; otherwise one line that says why not."""
    if PYTHON.exists():
        return None
    return (
        "The legacy djongo environment (.venv-djongo) is missing: `./course setup` builds it, and said why "
        "if it could not. Skipped."
    )


def _python() -> str:
    if reason := missing():
        raise RuntimeError(reason)
    return str(PYTHON)


def declared_requirements() -> dict:
    """What the installed djongo distribution itself declares, and what pip resolved."""
    code = (
        "import json, importlib.metadata as m; print(json.dumps({'requires': m.requires('djongo'), "
        "'installed': {n: m.version(n) for n in ('djongo', 'django', 'pymongo', 'sqlparse')}}))"
    )
    out = subprocess.run([_python(), "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def run_legacy_project() -> dict:
    """Migrate and exercise the syllabus's djongo models against the course's MongoDB server, then
    drop the database it used (the app user may drop it: dbAdmin there)."""
    from course_project.runtime.mongo import client

    try:
        proc = subprocess.run(
            [_python(), "run.py"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=120,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "legacy_settings",
                "DJONGO_MONGO_URI": mongo_uri(database=DATABASE),
                "DJONGO_DB": DATABASE,
            },
        )
    finally:
        client().drop_database(DATABASE)
    if proc.returncode != 0:
        raise RuntimeError("the djongo project failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1])
    return json.loads(proc.stdout.strip().splitlines()[-1])
