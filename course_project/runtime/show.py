"""Show the code a lesson is about, right where it is used, with syntax highlighting.

    show(Note)                 # a class, function or method: its source, headed by the file it lives in
    show(locking.two_writers, locking.writer)
    show_file("course_project/services/postgres/course.conf")

Lesson code that lives in an app (models, views, routers) is displayed with this, so a learner
reads every line the lesson is about without leaving the notebook.
"""

import inspect
import textwrap
from pathlib import Path

from course_project.env import PROJECT_ROOT


def _where(obj) -> str:
    obj = inspect.unwrap(obj)  # a decorated view: the file of the view, not of the decorator
    path = Path(inspect.getsourcefile(obj)).resolve()
    if "site-packages" not in path.parts:
        try:
            return str(path.relative_to(PROJECT_ROOT))
        except ValueError:
            pass
    return inspect.getmodule(obj).__name__  # a library's code: its module, never a path


def source(obj) -> str:
    """The source of obj, headed by a comment that names its file."""
    return f"# {_where(obj)}\n" + textwrap.dedent(inspect.getsource(obj)).rstrip() + "\n"


def show(*objects, language: str = "python"):
    from IPython.display import Code, display

    display(Code("\n".join(source(obj) for obj in objects), language=language))


def show_file(path, language: str | None = None, lines: slice | None = None, start: str = "", stop: str = ""):
    """A file of the project (a config, a script), or part of it: a slice of its lines, or from the first line
    that contains `start` (with the decorators above it) to the next that contains `stop` (that line alone without
    `stop`). Text anchors follow the code when lines move; an anchor that is gone raises."""
    from IPython.display import Code, display

    path = PROJECT_ROOT / path
    text = path.read_text().splitlines()
    if start:
        first = _line_with(text, start, 0, path)
        last = _line_with(text, stop, first, path) if stop else first
        while first and text[first - 1].lstrip().startswith("@"):  # a function's decorators come with it
            first -= 1
        text = text[first : last + 1]
    text = text[lines] if lines else text
    display(
        Code(
            f"# {path.relative_to(PROJECT_ROOT)}\n" + "\n".join(text) + "\n",
            language=language
            or {".sh": "bash", ".sql": "sql", ".conf": "ini", ".cnf": "ini", ".ini": "ini", ".json": "json"}.get(
                path.suffix, "text"
            ),
        )
    )


def _line_with(lines: list, needle: str, since: int, path) -> int:
    for number in range(since, len(lines)):
        if needle in lines[number]:
            return number
    raise ValueError(f"no line of {path.name} contains {needle!r}")
