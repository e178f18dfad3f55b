"""Exercises and their checker, shared by every notebook.

A lesson declares its exercises once (course_project/<app>/exercises.py):

    exercises = Exercises("01_sqlite")

    @exercises.add("wal_options", "OPTIONS that put SQLite in WAL mode with BEGIN IMMEDIATE",
                   hint="Django's SQLite OPTIONS take init_command, transaction_mode and timeout.")
    def _(answer):
        assert answer["transaction_mode"] == "IMMEDIATE", "use the IMMEDIATE transaction mode"

The learner assigns each name in the notebook (stubs are `...`, meaning "not attempted"),
and the last cell runs `exercises.check(globals())`. A stuck learner asks for
`exercises.hint("wal_options")`, then `exercises.solution("wal_options")`: the reference answer's
source from <app>/solutions.py, which the test suite checks with the same checker.
Each check records its report as JSON in the instance's state folder
(state_dir()/progress/<lesson>.json), with the solutions viewed; the workshop hub's progress page reads it.
"""

import ast
import importlib
import inspect
import json
import textwrap
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

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
        data = {
            "lesson": self.lesson,
            "passed": self.passed,
            "total": len(self.results),
            "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "results": [asdict(r) for r in self.results],
        }
        _update_record(self.lesson, data)


def _update_record(lesson: str, changes: dict):
    """Merge changes into the lesson's progress record (state_dir()/progress/LESSON.json); never raises."""
    from course_project.services.config import state_dir

    try:
        path = state_dir() / "progress" / f"{lesson}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            data = {"lesson": lesson, "passed": 0, "total": 0, "results": []}
        data.update(changes)
        path.write_text(json.dumps(data, indent=1))
    except OSError:
        pass


def recorded_solutions(lesson: str) -> list:
    """The exercises whose solution this instance's learner has viewed."""
    from course_project.services.config import state_dir

    try:
        return json.loads((state_dir() / "progress" / f"{lesson}.json").read_text()).get("solutions_viewed", [])
    except (OSError, ValueError):
        return []


class Help(str):
    """A hint or a solution: prints as plain text, shows as highlighted code where it is code."""

    language = None

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def _repr_markdown_(self):
        return None if self.language is None else f"```{self.language}\n{self}\n```"


class Exercises:
    def __init__(self, lesson: str):
        self.lesson = lesson
        self.items = []
        self.hints = {}

    def add(self, name: str, task: str, hint: str = ""):
        """Register a check: a function that raises AssertionError (with a hint) on a wrong answer.

        hint is what exercises.hint(name) tells a stuck learner: a nudge, never the answer."""

        def register(check):
            self.items.append((name, task, check))
            self.hints[name] = hint
            return check

        return register

    def _known(self, name: str):
        if name not in self.names:
            raise KeyError(f"{self.lesson} has no exercise {name!r}; its exercises are {', '.join(self.names)}")

    def hint(self, name: str) -> Help:
        """A nudge for one exercise."""
        self._known(name)
        return Help(f"Hint for {name}: {self.hints[name] or 'reread the task and the cells it points to.'}")

    @property
    def solutions_module(self) -> str:
        """course_project.lessons.<slug>.solutions, from the lesson's name NN_<slug>."""
        return f"course_project.lessons.{self.lesson.split('_', 1)[1]}.solutions"

    def solution_source(self, name: str) -> str:
        """The reference answer's source in solutions.py: a function, a class or an assignment."""
        self._known(name)
        module = importlib.import_module(self.solutions_module)
        text = inspect.getsource(module)
        for node in ast.parse(text).body:
            assigned = getattr(node, "targets", [getattr(node, "target", None)])
            targets = [t.id for t in assigned if isinstance(t, ast.Name)]
            if getattr(node, "name", None) == name or name in targets:
                first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                return textwrap.dedent("\n".join(text.splitlines()[first - 1 : node.end_lineno]))
        raise LookupError(f"{self.solutions_module} defines no {name}")

    def solution(self, name: str) -> Help:
        """The reference answer, shown highlighted; the progress record notes that it was viewed."""
        answer = Help(self.solution_source(name))
        answer.language = "python"
        viewed = recorded_solutions(self.lesson)
        if name not in viewed:
            _update_record(self.lesson, {"solutions_viewed": viewed + [name]})
        return answer

    @property
    def names(self) -> list:
        return [name for name, _, _ in self.items]

    def verdict(self, name: str, answer) -> Result:
        """The checker's result for one answer (the tests call this for every exercise)."""
        (result,) = [r for r in self.check({name: answer}, record=False).results if r.name == name]
        return result

    def check(self, namespace, record: bool = True) -> Report:
        namespace = vars(namespace) if hasattr(namespace, "__dict__") and not isinstance(namespace, dict) else namespace
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
