"""Exercises and their checker, shared by every notebook.

A lesson declares its exercises once (course_project/<app>/exercises.py):

    exercises = Exercises("01_sqlite")

    @exercises.add("wal_options", "OPTIONS that put SQLite in WAL mode with BEGIN IMMEDIATE")
    def _(answer):
        assert answer["transaction_mode"] == "IMMEDIATE", "use the IMMEDIATE transaction mode"

The learner assigns each name in the notebook (stubs are `...`, meaning "not attempted"),
and the last cell runs `exercises.check(globals())`. The reference answers live in
<app>/solutions.py, and the test suite checks them with the same checker.
Each check also records its report as JSON in the instance's state folder
(state_dir()/progress/<lesson>.json), which the workshop hub's progress page reads.
"""
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

NOT_ATTEMPTED = "not attempted yet"


@dataclass
class Result:
    name: str
    task: str
    passed: bool | None  # None: not attempted
    message: str


@dataclass
class Report:
    lesson: str
    results: list = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def all_passed(self) -> bool:
        return self.passed == len(self.results)

    def __str__(self):
        marks = {True: "[x]", False: "[!]", None: "[ ]"}
        lines = [f"{self.lesson}: {self.passed}/{len(self.results)} exercises passed"]
        lines += [f"  {marks[r.passed]} {r.name}: {r.message}" for r in self.results]
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def record(self):
        """Save this report for the instructor's progress page; never fails the check."""
        from course_project.services.config import state_dir

        data = {"lesson": self.lesson, "passed": self.passed, "total": len(self.results),
                "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "results": [asdict(r) for r in self.results]}
        try:
            folder = state_dir() / "progress"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{self.lesson}.json").write_text(json.dumps(data, indent=1))
        except OSError:
            pass


class Exercises:
    def __init__(self, lesson: str):
        self.lesson = lesson
        self.items = []

    def add(self, name: str, task: str):
        """Register a check: a function that raises AssertionError (with a hint) on a wrong answer."""
        def register(check):
            self.items.append((name, task, check))
            return check
        return register

    @property
    def names(self) -> list:
        return [name for name, _, _ in self.items]

    def verdict(self, name: str, answer) -> Result:
        """The checker's result for one answer (the tests call this for every exercise)."""
        (result,) = [r for r in self.check({name: answer}, record=False).results if r.name == name]
        return result

    def check(self, namespace, record: bool = True) -> Report:
        namespace = vars(namespace) if hasattr(namespace, "__dict__") and not isinstance(namespace, dict) \
            else namespace
        report = Report(self.lesson)
        for name, task, check in self.items:
            answer = namespace.get(name, ...)
            if answer is ...:
                report.results.append(Result(name, task, None, NOT_ATTEMPTED))
                continue
            try:
                check(answer)
            except AssertionError as error:
                report.results.append(Result(name, task, False, str(error) or "not quite: try again"))
            except Exception as error:  # a learner's bug is feedback, not a crash
                report.results.append(Result(name, task, False, f"{type(error).__name__}: {error}"))
            else:
                report.results.append(Result(name, task, True, "passed"))
        if record:
            report.record()
        return report

