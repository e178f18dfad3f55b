"""A learner at the hub, driven through its REST API the way JupyterLab does: log in, start their
server, open a kernel and run a notebook's cells over the kernel's websocket.

The hub test and `./course bench --hub` use it (and HubProcess, a hub of their own); nothing in
the hub itself does.
"""

import json
import os
import random
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
import websocket


class HubError(AssertionError):
    pass


class LearnerSession:
    def __init__(self, hub_url: str, name: str, password: str):
        self.hub, self.name, self.password = hub_url.rstrip("/"), name, password
        self.http = requests.Session()
        self.token = None

    def login(self):
        """The log-in form, as a browser posts it; the hub answers with its session cookie."""
        self.http.get(f"{self.hub}/hub/login", timeout=30).raise_for_status()
        reply = self.http.post(
            f"{self.hub}/hub/login",
            timeout=30,
            allow_redirects=False,
            data={"username": self.name, "password": self.password, "_xsrf": self.http.cookies.get("_xsrf", "")},
        )
        if reply.status_code != 302:
            raise HubError(f"{self.name} could not log in (HTTP {reply.status_code})")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """The hub's REST API with the log-in cookie (and its XSRF token)."""
        headers = {"X-XSRFToken": self.http.cookies.get("_xsrf", "")}
        return self.http.request(method, f"{self.hub}/hub/api{path}", headers=headers, timeout=60, **kwargs)

    def start_server(self, timeout: float = 300):
        """Start their server and follow the hub's progress events until it is ready or has failed."""
        deadline = time.monotonic() + timeout
        started = self.api("POST", f"/users/{self.name}/server")
        while started.status_code == 400 and "pending stop" in started.text and time.monotonic() < deadline:
            time.sleep(0.5)  # the last stop is still running its hook: start once it is done
            started = self.api("POST", f"/users/{self.name}/server")
        if started.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"starting {self.name}'s server: HTTP {started.status_code} {started.text[:300]}")
        events = self.api("GET", f"/users/{self.name}/server/progress", stream=True)
        for line in events.iter_lines(decode_unicode=True):
            if line.startswith("data:"):
                event = json.loads(line[5:])
                if event.get("failed"):
                    raise HubError(f"{self.name}'s server failed to start: {event.get('message')}")
                if event.get("ready"):
                    break
            if time.monotonic() > deadline:
                raise HubError(f"{self.name}'s server was not ready after {timeout:.0f} s")
        reply = self.api("POST", f"/users/{self.name}/tokens", json={"note": "course session", "expires_in": 3600})
        reply.raise_for_status()
        self.token = reply.json()["token"]

    def server_api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Their single-user server's REST API (Jupyter Server), with their token."""
        reply = requests.request(
            method,
            f"{self.hub}/user/{self.name}/api{path}",
            timeout=60,
            headers={"Authorization": f"token {self.token}"},
            **kwargs,
        )
        reply.raise_for_status()
        return reply

    def run_notebook(self, relative: str, checkout: Path, timeout: float = 300) -> list:
        """Run every code cell of a notebook (as stored in their course) in a kernel of their own.

        Returns the cells' errors, [] when the run passed. `first_cell_at` records when the first
        cell finished (the notebook was ready).
        """
        cells = [cell for cell in json.loads((checkout / relative).read_text())["cells"] if cell["cell_type"] == "code"]
        session = self.server_api(
            "POST",
            "/sessions",
            json={"path": relative, "type": "notebook", "name": Path(relative).name, "kernel": {"name": "python3"}},
        ).json()
        kernel = Kernel(f"{self.hub}/user/{self.name}", self.token, session["kernel"]["id"])
        try:
            errors = []
            for index, cell in enumerate(cells):
                error = kernel.execute("".join(cell["source"]), timeout)
                if index == 0:
                    self.first_cell_at = time.monotonic()
                if error:
                    errors.append(f"cell {index}: {error}")
                    break
            return errors
        finally:
            kernel.close()
            self.server_api("DELETE", f"/sessions/{session['id']}")


class Kernel:
    """A kernel's websocket (the Jupyter messaging protocol's shell and iopub channels)."""

    def __init__(self, server_url: str, token: str, kernel_id: str):
        self.session = uuid.uuid4().hex
        url = server_url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        self.socket = websocket.create_connection(
            f"{url}?session_id={self.session}", timeout=300, header=[f"Authorization: token {token}"]
        )

    def execute(self, code: str, timeout: float) -> str | None:
        """Run one cell; its error (ename: evalue) or None."""
        msg_id = uuid.uuid4().hex
        self.socket.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "session": self.session,
                        "username": "course",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        deadline, error, replied, idle = time.monotonic() + timeout, None, False, False
        while not (replied and idle):
            if time.monotonic() > deadline:
                return f"no reply within {timeout:.0f} s"
            message = json.loads(self.socket.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if kind == "error":
                error = f"{message['content']['ename']}: {message['content']['evalue']}"
            elif kind == "execute_reply":
                replied = True
                if message["content"]["status"] != "ok" and not error:
                    error = message["content"].get("ename", "error")
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
        return error

    def close(self):
        self.socket.close()


class BareLab:
    """A bare JupyterLab server, the yardstick for the hub: no hub, no login, no course instance of its own;
    the learners' environment, this checkout's notebooks, and a kernel that runs a notebook's first cell."""

    def __init__(self, jupyter_bin: Path, root: Path, env: dict):
        self.port, self.token = free_port_block(1), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                str(jupyter_bin / "jupyter-lab"),
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                f"--ServerApp.root_dir={root}",
                f"--IdentityProvider.token={self.token}",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        reply = requests.request(
            method, f"{self.url}/api{path}", timeout=60, headers={"Authorization": f"token {self.token}"}, **kwargs
        )
        reply.raise_for_status()
        return reply

    def wait_ready(self, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HubError(f"the bare JupyterLab exited with {self.proc.returncode}")
            try:
                self.api("GET", "/status")
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise HubError(f"the bare JupyterLab was not ready after {timeout:.0f} s")

    def run_first_cell(self, relative: str, root: Path, timeout: float = 300):
        code = next(
            "".join(cell["source"])
            for cell in json.loads((root / relative).read_text())["cells"]
            if cell["cell_type"] == "code"
        )
        wanted = {"path": relative, "type": "notebook", "name": Path(relative).name, "kernel": {"name": "python3"}}
        session = self.api("POST", "/sessions", json=wanted).json()
        kernel = Kernel(self.url, self.token, session["kernel"]["id"])
        try:
            error = kernel.execute(code, timeout)
            if error:
                raise HubError(f"the bare JupyterLab's first cell failed: {error}")
        finally:
            kernel.close()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()


def free_port_block(size: int = 4) -> int:
    """A port whose next `size - 1` are free too (the hub, its API, the proxy's API, the progress page).

    Drawn below Linux's ephemeral range and above the course's instance blocks (13306-18007): a port handed
    out by bind(0) is ephemeral, and any outgoing connection made before the hub listens may take it."""
    try:
        ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral = 32768
    low, high = 20000, max(20000 + 100 * size, ephemeral) - size
    for _ in range(200):
        port = random.randrange(low, high)
        if all(_free(p) for p in range(port, port + size)):
            return port
    raise OSError(f"no free block of {size} ports on 127.0.0.1 between {low} and {high + size}")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class HubProcess:
    """`./course hub up` on a free port with a state folder of its own; on exit, its learners are
    removed (account, home, databases) and the hub is stopped. Give it the same folder each time: a run
    that starts after an interrupted one then stops what that one left."""

    def __init__(self, state: Path, learners=(), auth: str = "shared"):
        from course_project.env import PROJECT_ROOT

        self.state, self.learners, self.root = Path(state), list(learners), PROJECT_ROOT
        self.port = free_port_block()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password, self.admin_password = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
        self.env = {
            **os.environ,
            "COURSE_HUB_DIR": str(self.state),
            "COURSE_HUB_PASSWORD": self.password,
            "COURSE_HUB_ADMIN_PASSWORD": self.admin_password,
            "COURSE_HUB_ADMIN": "instructor",
        }
        self.env.pop("PYTEST_XDIST_WORKER", None)
        self.auth = auth

    def course(self, *args, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "course_tools", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            **kwargs,
        )

    def __enter__(self):
        from course_tools.hub import stop_hub_processes

        self.state.mkdir(parents=True, exist_ok=True)
        if self.leftovers():  # an interrupted run's learners: their processes stop, then they go
            self.course("hub", "learners", "remove", *self.leftovers(), timeout=300)
        stop_hub_processes(self.state)  # ... and its hub, proxy and services, if it was killed outright
        self.log = open(self.state / "hub.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "course_tools", "hub", "up", "--port", str(self.port), "--auth", self.auth],
            cwd=self.root,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{self.url}/hub/login", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise HubError(f"the hub did not start:\n{self.log_tail()}")
            time.sleep(0.5)

    def leftovers(self) -> list:
        """Learners of an earlier, interrupted run (only accounts of the learners' group)."""
        from course_tools.hub.learners import is_learner_account

        return [name for name in self.learners if is_learner_account(name)]

    def log_tail(self, chars: int = 3000) -> str:
        return (self.state / "hub.log").read_text(errors="replace")[-chars:]

    def __exit__(self, *exc):
        if self.leftovers():
            self.course("hub", "learners", "remove", *self.leftovers(), timeout=300)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        self.log.close()
