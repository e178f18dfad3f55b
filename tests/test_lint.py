"""One linter and formatter, configured once (ruff.toml): the tree is clean, and a slip is caught.

`.ci/run` runs `./course lint` before the suite, so a lint or format error fails CI with ruff's own message;
this test keeps `./course test` honest about it too."""

import shutil
import subprocess
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT

RUFF = str(Path(sys.executable).with_name("ruff"))


def ruff(*args, cwd=PROJECT_ROOT):
    return subprocess.run([RUFF, *args], cwd=cwd, capture_output=True, text=True)


def test_a_misformatted_file_and_a_late_binding_closure_are_caught(tmp_path):
    shutil.copy(PROJECT_ROOT / "ruff.toml", tmp_path)
    (tmp_path / "slip.py").write_text("def f( x ):\n    return [lambda: i for i in range(x)]\n")
    formatted = ruff("format", "--check", ".", cwd=tmp_path)
    assert formatted.returncode == 1 and "slip.py" in formatted.stdout and "would be reformatted" in formatted.stdout
    checked = ruff("check", ".", cwd=tmp_path)
    assert checked.returncode == 1 and "B023" in checked.stdout


def test_the_tree_is_clean():
    """What `./course lint` checks: ruff's rules on the Python files and the notebooks' code cells, and the
    formatting of the Python files (notebooks are written to be read, and are not reformatted)."""
    checked = ruff("check", "--output-format", "concise", ".")
    assert checked.returncode == 0, f"ruff check (`./course lint --fix` fixes the safe ones):\n{checked.stdout}"
    formatted = ruff("format", "--check", ".")
    assert formatted.returncode == 0, f"ruff format (`./course lint --fix` applies it):\n{formatted.stdout}"
