"""The README's course map, drawn from course_project.lessons, with measured run times.

Run times are measured by `./course refresh` (which executes the notebooks) and kept in
run_times.json; tests/test_course_map.py keeps the README in step.
"""

import json
import math
from pathlib import Path

from course_project.lessons import LESSONS

RUN_TIMES = Path(__file__).with_name("run_times.json")
README_START, README_END = "<!-- course-map:start -->", "<!-- course-map:end -->"


def run_times() -> dict:
    return json.loads(RUN_TIMES.read_text()) if RUN_TIMES.exists() else {}


def record_run_time(notebook: str, seconds: float):
    times = run_times()
    times[notebook] = round(seconds, 1)
    RUN_TIMES.write_text(json.dumps(dict(sorted(times.items())), indent=2) + "\n")


def run_time(notebook: str) -> str:
    """Approximate, from the last measured run (rounded up, so it reads like a promise)."""
    seconds = run_times().get(notebook)
    if seconds is None:
        return "not measured"
    if seconds >= 90:
        return f"~{math.ceil(seconds / 60)} min"
    return f"~{max(5, math.ceil(seconds / 5) * 5)} s"


def markdown() -> str:
    lines = ["| notebook | topic | servers | your time | run time |", "|---|---|---|---|---|"]
    lines += [
        f"| `{lesson.notebook}` | {lesson.topic} | {', '.join(lesson.servers) or 'none'} | "
        f"{lesson.time_range} | {run_time(lesson.notebook)} |"
        for lesson in LESSONS
    ]
    return "\n".join(lines)


def update_readme(readme: Path) -> bool:
    """Rewrite the README's course-map block; True if it changed."""
    text = readme.read_text()
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    new = f"{head}{README_START}\n{markdown()}\n{README_END}{tail}"
    readme.write_text(new)
    return new != text
