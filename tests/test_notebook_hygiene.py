"""Stored outputs come from a real run with .env.example's configuration, and read cleanly."""

import json
import re

import pytest

from course_project.env import ENV_EXAMPLE, PROJECT_ROOT
from course_project.lessons import LESSONS

PORT_KEYS = re.compile(r"^(\w+_PORT)=(\d+)$", re.M)
EXAMPLE_PORTS = {int(port) for _, port in PORT_KEYS.findall(ENV_EXAMPLE.read_text())}
PORT_IN_OUTPUT = re.compile(r"(?:127\.0\.0\.1:|localhost:|\bport[ =])(\d{4,5})\b")
MACHINE_PATH = re.compile(r"(/work/|/root/|/home/|/tmp/|/var/tmp/|site-packages)")


def outputs(notebook):
    cells = json.loads((PROJECT_ROOT / "notebooks" / notebook).read_text())["cells"]
    for index, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    text += "".join(value)
            yield index, output, text


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_outputs_show_only_the_example_configuration_ports(lesson):
    shown = {(i, int(p)) for i, _, text in outputs(lesson.notebook) for p in PORT_IN_OUTPUT.findall(text)}
    foreign = sorted((i, p) for i, p in shown if p not in EXAMPLE_PORTS)
    assert not foreign, f"cells showing ports .env.example does not set (refresh from .env.example): {foreign}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_outputs_hold_no_stderr_errors_or_machine_paths(lesson):
    for index, output, text in outputs(lesson.notebook):
        assert output.get("name") != "stderr", f"cell {index}: stderr in a stored output"
        assert output["output_type"] != "error", f"cell {index}: a stored traceback"
        assert not MACHINE_PATH.search(text), f"cell {index}: a machine path: {MACHINE_PATH.search(text)[0]}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_no_empty_cells(lesson):
    cells = json.loads((PROJECT_ROOT / "notebooks" / lesson.notebook).read_text())["cells"]
    empty = [i for i, cell in enumerate(cells) if not "".join(cell["source"]).strip()]
    assert not empty, f"empty cells: {empty}"
