"""Does a Docker engine (not just the client) answer? Standard library only: the pre-flight
check runs this before anything is installed."""

import shutil
import subprocess


def engine_answers(timeout: float = 5) -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=timeout).returncode == 0
    except subprocess.TimeoutExpired:
        return False
