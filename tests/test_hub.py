"""The workshop hub, for real: JupyterHub, three learners with servers of their own, a real browser.

A hub of its own (HubProcess: a free port block, and var/hub-test, where a rerun finds what a killed run
left) logs three learners in through its log-in form and REST API; one was prepared ahead (`hub prepare`),
the others' first login creates their OS user, clone and course instance. Their notebooks run in their own
kernels at the same time; their credentials and files are checked to be theirs alone; a Chromium drives one
learner's JupyterLab; then one is stopped (their databases stop too), comes back without migrating, is reset,
and comes back again. Finally the hub is killed outright and the next one cleans up after it.
Needs root (OS users), Node.js/npm (the proxy) and, for the browser step, Debian's Chromium.
"""

import json
import os
import pwd
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from course_project.env import PROJECT_ROOT
from course_project.services.probes import port_open

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NAMES = ["hubtest-a", "hubtest-b", "hubtest-c"]
NOTEBOOK = "notebooks/00_start_here.ipynb"
PORT_KEYS = ("POSTGRES_PORT", "MARIADB_PORT", "MONGO_PORT")
pytestmark = [
    pytest.mark.timeout(900),
    pytest.mark.skipif(os.geteuid() != 0, reason="the hub creates an OS user per learner: it needs root"),
    pytest.mark.skipif(not shutil.which("npm"), reason="the hub's proxy (configurable-http-proxy) needs npm"),
]


def test_checks_are_recorded_for_the_progress_page(tmp_path, monkeypatch):
    from course_project.runtime.checker import Exercises

    monkeypatch.setenv("COURSE_STATE_DIR", str(tmp_path))
    exercises = Exercises("99_demo")

    @exercises.add("answer", "the answer")
    def _(answer):
        assert answer == 42, "not 42"

    exercises.check({"answer": 41})
    import json

    record = json.loads((tmp_path / "progress" / "99_demo.json").read_text())
    assert (record["passed"], record["total"]) == (0, 1) and record["results"][0]["message"].startswith("not 42")
    exercises.verdict("answer", 42)  # what the tests call: not recorded
    assert json.loads((tmp_path / "progress" / "99_demo.json").read_text())["passed"] == 0


def test_a_taken_port_gives_one_clear_message(tmp_path):
    import socket

    from course_tools.hub.session import HubProcess

    hub = HubProcess(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", hub.port + 1))
        taken.listen()
        result = hub.course("hub", "up", "--port", str(hub.port), timeout=120)
    assert result.returncode != 0
    assert f"port {hub.port + 1} on 127.0.0.1 (hub API) is already taken" in result.stderr, result.stderr


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    from course_tools.hub.session import HubProcess

    with HubProcess(PROJECT_ROOT / "var" / "hub-test", NAMES) as running:  # a rerun cleans up after a killed one
        yield running


@pytest.fixture(scope="module")
def sessions(hub):
    """Three learners logged in, their servers started at the same time (first login: all created)."""
    from course_tools.hub.session import LearnerSession

    people = [LearnerSession(hub.url, name, hub.password) for name in NAMES]
    # one learner made ready before the room opens; the others are made at first login, as before
    prepared = hub.course("hub", "prepare", NAMES[0], timeout=600)
    assert prepared.returncode == 0, prepared.stderr
    assert os.path.exists(stamp(NAMES[0])), "prepare migrated their databases"
    assert not any(port_open("127.0.0.1", int(instance_env(NAMES[0])[key])) for key in PORT_KEYS), (
        "prepare leaves their servers stopped until they log in"
    )

    def arrive(person):
        person.login()
        person.start_server()
        return person

    with ThreadPoolExecutor(len(people)) as pool:
        try:
            return list(pool.map(arrive, people))
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- hub log ---\n{hub.log_tail()}") from None


def checkout(name):
    return pwd.getpwnam(name).pw_dir + "/course"


def stamp(name):
    """What their databases were last migrated from (a returning login that finds it current skips migrate)."""
    return f"{checkout(name)}/var/instances/{name}/.migrated"


def instance_env(name) -> dict:
    text = Path(f"{checkout(name)}/var/instances/{name}/.env").read_text()
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))


def test_three_learners_run_a_notebook_at_the_same_time(sessions):

    with ThreadPoolExecutor(len(sessions)) as pool:
        runs = list(pool.map(lambda person: person.run_notebook(NOTEBOOK, Path(checkout(person.name))), sessions))
    assert runs == [[]] * len(sessions), runs  # no cell failed, for anyone


def test_learners_are_isolated(sessions):
    import MySQLdb
    import psycopg
    from pymongo import MongoClient
    from pymongo.errors import OperationFailure

    a, b = NAMES[0], NAMES[1]
    mine, theirs = instance_env(a), instance_env(b)
    assert mine["POSTGRES_PORT"] != theirs["POSTGRES_PORT"]
    for user, password in (
        (mine["POSTGRES_USER"], mine["POSTGRES_PASSWORD"]),
        ("postgres", mine["POSTGRES_SUPERUSER_PASSWORD"]),
    ):
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(
                host="127.0.0.1",
                port=theirs["POSTGRES_PORT"],
                user=user,
                password=password,
                dbname="postgres",
                connect_timeout=5,
            )
    for user, password in ((mine["MARIADB_USER"], mine["MARIADB_PASSWORD"]), ("root", mine["MARIADB_ROOT_PASSWORD"])):
        with pytest.raises(MySQLdb.OperationalError, match="Access denied"):
            MySQLdb.connect(
                host="127.0.0.1", port=int(theirs["MARIADB_PORT"]), user=user, password=password, connect_timeout=5
            )
    logins = ((mine["MONGO_USER"], mine["MONGO_PASSWORD"]), (mine["MONGO_ROOT_USER"], mine["MONGO_ROOT_PASSWORD"]))
    for user, password in logins:
        client = MongoClient(
            host="127.0.0.1",
            port=int(theirs["MONGO_PORT"]),
            username=user,
            password=password,
            authSource="admin",
            directConnection=True,
            serverSelectionTimeoutMS=5000,
        )
        with pytest.raises(OperationFailure):
            client.admin.command("listDatabases")
        client.close()
    # files: B's .env is B's alone, and A (as the OS user A) cannot even enter B's home
    their_env = f"{checkout(b)}/var/instances/{b}/.env"
    assert (os.stat(their_env).st_mode & 0o777, pwd.getpwuid(os.stat(their_env).st_uid).pw_name) == (0o600, b)
    assert os.stat(pwd.getpwnam(b).pw_dir).st_mode & 0o777 == 0o700
    peek = subprocess.run(["runuser", "-u", a, "--", "cat", their_env], capture_output=True, text=True)
    assert peek.returncode != 0 and "Permission denied" in peek.stderr
    # and every server a learner runs listens on loopback only
    uids = {pwd.getpwnam(name).pw_uid for name in NAMES}
    listeners = subprocess.run(["ss", "-Hltne"], capture_output=True, text=True, check=True).stdout.splitlines()
    theirs_listening = [line for line in listeners if any(f"uid:{uid} " in line + " " for uid in uids)]
    assert len(theirs_listening) >= 5 * len(NAMES)
    assert all(line.split()[3].startswith("127.0.0.1:") for line in theirs_listening), theirs_listening


def test_progress_page_is_for_admins_only(hub, sessions):
    from course_tools.hub.session import LearnerSession

    instructor = LearnerSession(hub.url, "instructor", hub.admin_password)
    instructor.login()
    data = instructor.http.get(f"{hub.url}/services/progress/api", timeout=30).json()
    for name in NAMES:
        assert data[name]["00_start_here"]["total"] >= 1, data  # each learner's checker cell ran
    page = instructor.http.get(f"{hub.url}/services/progress/", timeout=30)
    assert page.status_code == 200 and all(name in page.text for name in NAMES)
    learner_view = sessions[0].http.get(f"{hub.url}/services/progress/api", timeout=30)
    assert learner_view.status_code == 403


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_a_learner_works_in_jupyterlab_in_a_browser(hub, sessions):
    from playwright.sync_api import expect, sync_playwright
    from test_browser_lab import CHROMIUM_FLAGS, run_cell  # the same Chromium, started the same way

    name = NAMES[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", name)
        page.fill("#password_input", hub.password)
        page.click("#login_submit")
        page.goto(f"{hub.url}/user/{name}/lab/tree/{NOTEBOOK}")
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        expect(cells.first).to_be_visible(timeout=90_000)
        expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=90_000)
        # Their JupyterLab, reached through the hub's log-in and OAuth, shows their copy with a live kernel,
        # and the bootstrap cell runs there against their own servers.
        expect(page.get_by_role("button", name="Python 3 (ipykernel) | Idle")).to_be_visible(timeout=90_000)
        run_cell(cells.first, "Django 5.2 is set up")
        assert page.url.startswith(f"{hub.url}/user/{name}/lab")
        artifacts = PROJECT_ROOT / "var" / "artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(artifacts / "hub.png"))
        browser.close()


def stop_and_wait(person, ports):
    assert person.api("DELETE", f"/users/{person.name}/server").status_code in (202, 204)  # what the culler does
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (
        person.api("GET", f"/users/{person.name}").json()["servers"]
        or any(port_open("127.0.0.1", port) for port in ports)
    ):
        time.sleep(0.5)  # the hub done stopping them (a start before that is refused), and their databases down
    assert not person.api("GET", f"/users/{person.name}").json()["servers"]
    assert not any(port_open("127.0.0.1", port) for port in ports), "post_stop_hook left their databases running"


def test_a_stopped_learner_is_reset_and_comes_back(hub, sessions):
    person = sessions[2]
    ports = [int(instance_env(person.name)[key]) for key in PORT_KEYS]
    assert all(port_open("127.0.0.1", port) for port in ports)
    stop_and_wait(person, ports)
    migrated = os.stat(stamp(person.name)).st_mtime_ns
    person.start_server()  # a returning login: servers start, nothing changed, so no migrate
    assert all(port_open("127.0.0.1", port) for port in ports)
    assert os.stat(stamp(person.name)).st_mtime_ns == migrated
    stop_and_wait(person, ports)

    notebook = f"{checkout(person.name)}/{NOTEBOOK}"
    subprocess.run(["runuser", "-u", person.name, "--", "sh", "-c", f"echo changed > {notebook}"], check=True)
    reset = hub.course("hub", "reset", person.name, timeout=300)
    assert reset.returncode == 0, reset.stderr
    assert Path(notebook).read_text() != "changed\n"
    assert not os.path.exists(f"{checkout(person.name)}/var/instances/{person.name}/progress")
    assert not os.path.exists(stamp(person.name)), "their databases are new: the next login migrates them"

    person.start_server()  # the next login: servers recreated, migrated, JupyterLab ready
    assert all(port_open("127.0.0.1", port) for port in ports)
    assert os.path.exists(stamp(person.name))
    assert person.server_api("GET", "/status").status_code == 200


def test_learners_add_creates_pam_accounts(tmp_path):
    import pamela

    from course_tools.hub.session import HubProcess

    listed = tmp_path / "learners.txt"
    listed.write_text("# name [password]\nhubtest-p s3cret-pass-1\n")
    tools = HubProcess(tmp_path / "state", ["hubtest-p"])
    tools.env["COURSE_SLOT_FLOOR"] = "60"
    try:
        added = tools.course("hub", "learners", "add", str(listed), timeout=60)
        assert added.returncode == 0, added.stderr
        assert json.loads((tmp_path / "state" / "learners.json").read_text())["hubtest-p"] >= 60  # the floor holds
        pamela.authenticate("hubtest-p", "s3cret-pass-1", service="login")  # what PAM log-in checks
        with pytest.raises(pamela.PAMError):
            pamela.authenticate("hubtest-p", "wrong-password", service="login")
        # something of theirs still runs (an interruption left it): remove stops it instead of failing
        busy = subprocess.Popen(["runuser", "-u", "hubtest-p", "--", "sleep", "600"], start_new_session=True)
    finally:
        removed = tools.course("hub", "learners", "remove", "hubtest-p", timeout=120)
    assert removed.returncode == 0, removed.stderr
    assert busy.wait(timeout=30) is not None and "Traceback" not in removed.stderr
    with pytest.raises(KeyError):
        pwd.getpwnam("hubtest-p")


def started(pid: int) -> str | None:
    """When a process started (a PID the machine gives again later is another process)."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def test_a_hub_killed_outright_is_cleaned_up_by_the_next(hub, sessions):
    """What killing `./course bench --hub` did: the hub's own command dies, its hub, proxy, services and
    learners' servers go on. The next hub on the same folder stops them all, then starts."""
    import signal

    from course_tools.hub import processes_of_hub
    from course_tools.hub.learners import processes_of
    from course_tools.hub.session import HubProcess

    os.kill(hub.proc.pid, signal.SIGKILL)  # `./course hub up`: no chance to clean up
    hub.proc.wait()
    orphans = {pid: started(pid) for pid in processes_of_hub(hub.state)}
    learners_running = {pid: started(pid) for name in NAMES for pid in processes_of(name)}
    assert orphans and len(learners_running) >= len(NAMES), "the scene: an interrupted hub left its processes"
    with HubProcess(hub.state, NAMES) as again:
        left = [pid for pid, since in {**orphans, **learners_running}.items() if since and started(pid) == since]
        assert not left, f"the earlier hub's, or its learners' processes still run: {left}"
        assert requests.get(f"{again.url}/hub/login", timeout=10).status_code == 200
