"""Every notebook starts with `from course_setup import setup` (see course_project/runtime/bootstrap.py).

The kernel's working folder is notebooks/, so this module puts the project on sys.path.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from course_project.runtime.bootstrap import ServersUnavailable, require, setup, sqlalchemy_engine  # noqa: E402,F401
from course_project.runtime.checker import Exercises  # noqa: E402,F401
from course_project.runtime.show import show, show_file  # noqa: E402,F401
