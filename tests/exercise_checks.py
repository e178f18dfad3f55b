"""What every notebook's exercise tests assert, written once.

from exercise_checks import accepts, rejects, assert_stubs_match

accepts(exercises, "roster", solutions.roster)
rejects(exercises, "roster", lambda: [("P00", "A")], hint="wrong rows")   # a constant fails
assert_stubs_match(exercises, "12_best_practices.ipynb")
"""

import json
import re

from course_project.env import PROJECT_ROOT

STUB = re.compile(r"^([A-Za-z_]\w*)\s*=\s*\.\.\.\s*(#.*)?$")


def accepts(exercises, name, answer):
    result = exercises.verdict(name, answer)
    assert result.passed is True, f"{name}: the reference answer failed: {result.message}"


def rejects(exercises, name, answer, hint: str):
    """The answer fails, with this hint in its message (so it failed for the right reason, not a crash)."""
    result = exercises.verdict(name, answer)
    assert result.passed is False, f"{name}: a wrong answer passed"
    assert hint in result.message, f"{name}: expected the hint {hint!r}, got {result.message!r}"


def stub_names(notebook: str) -> list:
    """The names the notebook's exercise cells assign `...` to, in order."""
    cells = json.loads((PROJECT_ROOT / "notebooks" / notebook).read_text())["cells"]
    names = []
    for cell in cells:
        if cell["cell_type"] == "code":
            names += [m.group(1) for line in "".join(cell["source"]).splitlines() if (m := STUB.match(line))]
    return names


def assert_stubs_match(exercises, notebook: str):
    assert stub_names(notebook) == exercises.names, "the notebook's stubs and the checker's exercises differ"
