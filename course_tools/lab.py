"""Set up, start every server, and open JupyterLab on the course (Ctrl-C stops it).

    ./course lab [extra jupyter lab options]

`./course services down` stops the servers afterwards. JupyterLab binds to 127.0.0.1, allows root where
needed (JupyterLab refuses to run as root without --allow-root), turns off the news pop-up, and opens
notebooks/00_start_here.ipynb.
"""

import json
import os
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT

OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"


def write_overrides(prefix: str = sys.prefix) -> Path:
    """Default JupyterLab settings for this environment (a learner can still change them)."""
    path = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**current, **OVERRIDES}, indent=2))
    return path


def command(extra=()) -> list:
    args = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={PROJECT_ROOT}",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    return args + list(extra) + [FIRST_NOTEBOOK]


PASSTHROUGH = True


def add_arguments(parser):
    pass


def run(args) -> int:
    from course_tools.install import ready, say

    ready()
    write_overrides()
    os.chdir(PROJECT_ROOT)
    say("opening JupyterLab on the course (Ctrl-C stops it; ./course services down stops the servers)")
    argv = command(args.extra)
    os.execv(argv[0], argv)
