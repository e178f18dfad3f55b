"""One linter and formatter, configured once (ruff.toml): a slip is caught.

The tree itself is not clean yet (issue 22: it is cleaned, in a commit of its own, once the notebooks' rewrite
has landed); `./course lint` lists what is left."""
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
