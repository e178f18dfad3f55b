"""The dev container (.devcontainer/) agrees with the compose path and with CI's check of it.

CI's compose leg runs it for real (`.ci/compose devcontainer`: @devcontainers/cli, then notebook 00 inside);
these checks hold everywhere: what it is configured to do, and the host path compose is given.
"""

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from course_project.env import PROJECT_ROOT

HERE = PROJECT_ROOT / ".devcontainer"


def devcontainer() -> dict:
    text = (HERE / "devcontainer.json").read_text()
    return json.loads(re.sub(r"(?m)^\s*//.*$", "", text))  # JSON with comments: only whole-line ones are used


def test_the_container_reaches_the_servers_on_loopback_and_drives_the_engine():
    config = devcontainer()
    assert "--network=host" in config["runArgs"], "the servers listen on 127.0.0.1 only"
    assert any("target=/var/run/docker.sock" in mount for mount in config["mounts"])
    assert config["containerEnv"] == {"COURSE_SERVICES": "compose", "COURSE_HOST_WORKSPACE": "${localWorkspaceFolder}"}
    assert config["postCreateCommand"] == "bash .devcontainer/post-create.sh"
    assert config["postStartCommand"] == "./course services up"


def test_the_image_is_the_one_ci_provides_a_base_for():
    suite = re.search(r"^DEVCONTAINER_SUITE=(\w+)", (PROJECT_ROOT / ".ci" / "compose").read_text(), re.M).group(1)
    base = re.search(r"^FROM (\S+)", (HERE / "Dockerfile").read_text(), re.M).group(1)
    assert base == f"debian:{suite}-slim", "CI imports debian:$DEVCONTAINER_SUITE-slim for the dev container"


def test_compose_names_the_checkouts_host_path_in_bind_mounts(tmp_path):
    """Inside the dev container the engine knows the checkout by its host path: compose must pass that on."""
    tool = shutil.which("docker-compose")
    if not tool:
        pytest.skip("Debian's docker-compose is not installed (./course test installs it)")
    host = tmp_path / "on-the-host" / "course"
    host.parent.mkdir()
    host.symlink_to(PROJECT_ROOT)  # as post-create.sh links it inside the container: compose reads through it
    code = "import json; from course_project.services import compose; print(json.dumps(compose.base_command()))"
    env = {"COURSE_HOST_WORKSPACE": str(host), "PATH": "/usr/bin:/bin"}
    argv = json.loads(subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True,
                                     text=True, check=True).stdout)  # fmt: skip
    assert argv[:2] == ["docker", "compose"] and argv[argv.index("--project-directory") + 1] == str(host)
    rendered = subprocess.run([tool, *argv[2:], "config"], capture_output=True, text=True, check=True).stdout
    binds = [
        volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
        for service in yaml.safe_load(rendered)["services"].values()
        for volume in service.get("volumes", [])
        if (volume.get("type") == "bind" if isinstance(volume, dict) else volume.startswith("/"))
    ]
    assert binds and all(source.startswith(f"{host}/course_project/services/") for source in binds), binds
