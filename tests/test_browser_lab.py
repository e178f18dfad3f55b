"""End to end, the way a learner meets the course: JupyterLab in a real (headless) Chromium.

JupyterLab starts through the same code path as `./course lab` (course_tools.lab), on loopback
with a random token. Playwright drives Debian's /usr/bin/chromium (no browser download), runs the
bootstrap and server-status cells of 00_start_here.ipynb, and checks their fresh outputs.
The screenshot is saved to var/artifacts/jupyterlab.png.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from course_project.env import PROJECT_ROOT
from course_project.services.config import servers

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]  # tests/test_hub.py too
ARTIFACTS = PROJECT_ROOT / "var" / "artifacts"
pytestmark = [
    pytest.mark.timeout(240),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab")
    settings = tmp / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))  # never touch the file
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
    }
    log = open(tmp / "lab.log", "w")  # noqa: SIM115 (JupyterLab writes to it until the fixture ends)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "course_tools",
            "lab",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("JupyterLab did not start:\n" + (tmp / "lab.log").read_text()[-2000:]) from None
            time.sleep(0.2)
    yield url, token
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def run_cell(cell, expected: str, attempts: int = 3):
    """Shift+Enter in the cell until its output shows `expected`: on a loaded machine a key press can
    reach the page before the editor has focus (the cell is safe to run twice)."""
    from playwright.sync_api import expect

    for attempt in range(attempts):
        cell.locator(".jp-InputArea-editor").click()
        cell.page.keyboard.press("Shift+Enter")
        try:
            expect(cell.locator(".jp-OutputArea-output")).to_contain_text(expected, timeout=40_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def test_start_here_runs_in_jupyterlab(lab):
    from playwright.sync_api import expect, sync_playwright

    url, token = lab
    notebook = PROJECT_ROOT / "notebooks" / "00_start_here.ipynb"
    before = notebook.read_bytes()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/lab/tree/notebooks/00_start_here.ipynb?token={token}")
        expect(page.locator(".jp-Notebook .jp-CodeCell").first).to_be_visible(timeout=90_000)
        expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=90_000)
        # Cells are drawn under a spinner that takes every click until the notebook is revealed;
        # on a loaded machine that can last longer than a click's own timeout.
        expect(page.locator(".jp-MainAreaWidget > .jp-Spinner")).to_have_count(0, timeout=90_000)

        page.locator(".lm-MenuBar-itemLabel", has_text="Edit").click()
        page.locator(".lm-Menu-itemLabel", has_text="Clear Outputs of All Cells").click()
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        expect(cells.nth(0).locator(".jp-OutputArea-output")).to_have_count(0)

        run_cell(cells.nth(0), "Django 5.2 is set up")  # the bootstrap cell
        first = int(cells.nth(0).locator(".jp-InputPrompt").inner_text().strip()[1:-2])
        cells.nth(2).locator(".jp-InputArea-editor").click()  # then the server status cell
        page.keyboard.press("Shift+Enter")
        status = cells.nth(2).locator(".jp-OutputArea-output")
        expect(status).to_contain_text("server", timeout=60_000)
        text = status.inner_text()
        for name in servers():
            assert any(line.split()[:1] == [name] and " up " in f" {line} " for line in text.splitlines()), text
        assert cells.nth(2).locator(".jp-InputPrompt").inner_text().strip() == f"[{first + 1}]:"  # a fresh run
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-output.jp-mod-error"
        )
        expect(errors).to_have_count(0)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab.png"))
        browser.close()
    assert notebook.read_bytes() == before, "the test must not modify the notebook"
