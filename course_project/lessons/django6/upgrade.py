"""Run one snippet of Django code under Django 5.2 (the course environment, .venv) and here (6.1).

    outcome("CheckConstraint(check=Q(price__gte=0), name='price_ok')")   # in this process
    outcome_on_django52("...")                                           # in .venv's Python, a subprocess

Each returns the warnings the snippet raised, then what it did: "works" (or the value it assigned to
`result`), or the error's first line.
"""

import subprocess
import warnings

from course_project.env import PROJECT_ROOT

COURSE_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
PRELUDE = (
    "from django.contrib.auth.models import Group\n"
    "from django.contrib.postgres.aggregates import ArrayAgg\n"
    "from django.db.models import CheckConstraint, Q\n"
)


def outcome(snippet: str) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace = {}
        try:
            exec(PRELUDE + snippet, namespace)
            result = str(namespace.get("result", "works"))
        except Exception as error:
            result = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return "\n".join([f"{w.category.__name__}: {w.message}" for w in caught] + [result])


def outcome_on_django52(snippet: str) -> str:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from course_project.runtime.bootstrap import django_setup; django_setup()\n"
        "import django; from course_project.lessons.django6.upgrade import outcome\n"
        "assert django.VERSION[:2] == (5, 2), django.get_version()\n"
        "print(outcome(sys.argv[2]))"
    )
    done = subprocess.run(
        [str(COURSE_PYTHON), "-c", code, str(PROJECT_ROOT), snippet], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise RuntimeError("the course environment (Django 5.2) failed: " + done.stderr.strip().splitlines()[-1])
    return done.stdout.strip()
