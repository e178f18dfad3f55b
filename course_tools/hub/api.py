"""The instructor's commands talk to a running hub through its REST API, as the `course-cli` service.

The hub's config writes the API's address and the service's token to hub_dir()/cli.json (0600).
"""

import json
import secrets
import urllib.error
import urllib.request

from course_tools.hub import hub_dir

SERVICE = "course-cli"
SCOPES = ["list:users", "read:users", "admin:users", "admin:servers"]


def service(api_url: str) -> dict:
    """The service definition for jupyterhub_config, with a fresh token recorded for the commands."""
    token = secrets.token_hex(32)
    path = hub_dir() / "cli.json"
    path.touch(mode=0o600)
    path.write_text(json.dumps({"url": api_url, "token": token}))
    return {"name": SERVICE, "api_token": token}


def call(method: str, path: str, missing_ok: bool = False):
    """One API request; None when no hub is running (or, with missing_ok, the resource is gone)."""
    try:
        where = json.loads((hub_dir() / "cli.json").read_text())
    except (OSError, ValueError):
        return None
    request = urllib.request.Request(
        where["url"] + path, method=method, headers={"Authorization": f"token {where['token']}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            return json.loads(body) if body else {}
    except urllib.error.HTTPError as error:
        if missing_ok and error.code in (400, 404):  # no such user, or their server is not running
            return None
        raise SystemExit(f"error: the hub answered {error.code} to {method} {path}: {error.read()[:300]!r}") from None
    except urllib.error.URLError:
        return None  # no hub listening


def stop_server(name: str, timeout: float = 60):
    """Stop a learner's JupyterLab through the hub and wait until it is gone (no hub: nothing to do)."""
    import time

    if call("DELETE", f"/users/{name}/server", missing_ok=True) is None:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        user = call("GET", f"/users/{name}", missing_ok=True)
        if not user or not user.get("servers"):
            return
        time.sleep(0.5)
    raise SystemExit(f"error: the hub did not stop {name}'s server within {timeout:.0f} s")
