"""Notebook 17: Django 6.0 and 6.1 against the live servers, on the notebook's own environment (.venv-django6).

The suite runs on Django 5.2, so the Django 6.1 side runs once in a subprocess (tests/django6_probe.py, in
this worker's course instance) and reports what happened; the tests here assert on that. Where the
environment cannot exist (Python 3.11 only), those tests are SKIPPED with the reason `./course` gives.
"""

import json
import subprocess
import sys

import pytest
from exercise_checks import stub_names
from packaging.requirements import Requirement

from course_project.env import PROJECT_ROOT
from course_tools import django6_kernel

REASON = django6_kernel.unavailable()
needs_kernel = pytest.mark.skipif(bool(REASON), reason=REASON or "the kernel is here")
SQL = ["default", "legacy", "sqlite"]

# Wrong answers, each with the words its failure must contain (so it failed for the right reason)
WRONG = [
    ("book_labels", "def book_labels(books):\n    return [f'{b.title} by {b.author.name}' for b in books]", "N+1"),
    ("book_labels", "def book_labels(books):\n    return ['Earthsea by Le Guin']", "expected"),
    (
        "titles_by_author",
        "def titles_by_author(alias):\n    return {a.name: ', '.join(b.title for b in "
        "a.books.order_by('title')) for a in Author.objects.using(alias) if a.books.exists()}",
        "queries",
    ),
    (
        "titles_by_author",
        "def titles_by_author(alias):\n    return dict(Author.objects.using(alias).filter("
        "books__isnull=False).annotate(t=StringAgg('books__title', Value(','), "
        "order_by='books__title')).values_list('name', 't'))",
        "expected",
    ),
    (
        "titles_by_author",
        "def titles_by_author(alias):\n    return dict(Author.objects.using(alias).annotate("
        "t=StringAgg('books__title', Value(', '), order_by='books__title')).values_list('name', 't'))",
        "authors with no books left out",
    ),
    (
        "save_quantity",
        "def save_quantity(item, quantity):\n    item.quantity = quantity\n    item.save()\n    return item.total",
        "FieldFetchBlocked",
    ),
    (
        "save_quantity",
        "def save_quantity(item, quantity):\n    item.quantity = quantity\n    item.save()\n"
        "    item.refresh_from_db()\n    return item.total",
        "refresh_from_db",
    ),
    ("save_quantity", "def save_quantity(item, quantity):\n    return item.price * quantity", "save()"),
    (
        "save_quantity",
        "def save_quantity(item, quantity):\n    LineItem.objects.using(item._state.db).filter("
        "pk=item.pk).update(quantity=quantity)\n    return item.price * quantity",
        "computes the total",
    ),
    (
        "save_quantity",
        "def save_quantity(item, quantity):\n    item.quantity = quantity\n    item.save()\n"
        "    return item.price * quantity",
        "computes the total",
    ),
    (
        "save_quantity",
        "def save_quantity(item, quantity):\n    item.quantity = quantity\n    item.save()\n"
        "    item.total = item.price * quantity\n    return item.total",
        "computes the total",
    ),
    (
        "save_quantity",
        "def save_quantity(item, quantity):\n    item.quantity = quantity\n    item.save()\n"
        "    return item.quantity * 0",
        "returned",
    ),
]


@pytest.fixture(scope="module")
def facts():
    answers = json.dumps({"answers": [[name, source] for name, source, _ in WRONG]})
    done = django6_kernel.run_python("tests/django6_probe.py", input=answers, timeout=300)
    assert done.returncode == 0, done.stderr.strip()[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the environment: its own pins, on Django 6.1, never the course's ------------------------------------------


def pins(name):
    return {
        Requirement(line).name.lower(): line
        for line in (PROJECT_ROOT / name).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def test_the_kernel_pins_django_61_and_the_course_pins_elsewhere():
    mine, course = pins("requirements-django6.txt"), pins("requirements.txt")
    assert mine.pop("django") == "Django==6.1.3"
    assert mine.pop("django-mongodb-backend") == "django-mongodb-backend==6.1.0"
    for name, line in mine.items():
        assert course.get(name) == line, (
            f"{name}: requirements-django6.txt pins {line}, requirements.txt {course.get(name)}"
        )


def test_the_notebook_names_its_kernel_and_the_stubs_are_its_exercises():
    notebook = json.loads((PROJECT_ROOT / "notebooks" / django6_kernel.NOTEBOOK).read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == django6_kernel.NAME
    assert stub_names(django6_kernel.NOTEBOOK) == ["book_labels", "titles_by_author", "save_quantity"]


@pytest.mark.skipif(not REASON, reason="the kernel exists here: the notebook runs instead")
def test_without_the_kernel_the_notebook_is_reported_skipped_with_the_reason():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-rs", f"notebooks/{django6_kernel.NOTEBOOK}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert " passed" not in done.stdout and " skipped" in done.stdout, done.stdout[-2000:]
    assert REASON in done.stdout.replace("\n", ""), done.stdout[-2000:]
    assert len(REASON.splitlines()) == 1


@needs_kernel
def test_the_project_boots_on_django_61_and_its_mongodb_backend(facts):
    assert facts["django"].startswith("6.1.") and facts["mongodb_backend"].startswith("6.1.")
    assert facts["python"] >= [3, 12]


# --- 1. fetch modes ----------------------------------------------------------------------------------------------


@needs_kernel
@pytest.mark.parametrize("alias", SQL + ["mongodb"])
def test_fetch_peers_turns_n_plus_one_into_two_and_fetch_raise_blocks(facts, alias):
    got = facts[alias]
    assert got["plain"][1] == 7 and got["peers"][1] == 2  # 6 books: 1 + 6, then books + their authors
    assert got["plain"][0] == got["peers"][0] == got["select_related_raise"][0]
    assert got["select_related_raise"][1] == 1
    assert got["raise"].startswith("FieldFetchBlocked: Fetching of ") and got["raise"].endswith("Book.author blocked.")


# --- 2. delete rules -----------------------------------------------------------------------------------------------


@needs_kernel
@pytest.mark.parametrize("alias", SQL)
def test_db_cascade_deletes_in_the_database_without_signals(facts, alias):
    python, database = facts[alias]["delete"]["Note"], facts[alias]["delete"]["DbNote"]
    assert python["left"] == database["left"] == 0
    assert python["signals"] == ["Folder", "Note"] and python["signal_calls"] == 10 and python["count"] == 5
    assert database["signals"] == ["DbFolder"] and database["signal_calls"] == 2 and database["count"] == 1
    assert database["queries"] < python["queries"]


@needs_kernel
def test_db_set_default_is_refused_for_mariadb_and_db_set_null_needs_null(facts):
    checks = facts["on_delete_checks"]
    assert checks["default"] == checks["sqlite"] == ["fields.E320"]
    assert checks["legacy"] == ["fields.E320", "fields.E324"]


# --- 3. StringAgg, AnyValue ------------------------------------------------------------------------------------------


@needs_kernel
@pytest.mark.parametrize("alias", SQL + ["mongodb"])
def test_string_agg_joins_in_order_everywhere(facts, alias):
    assert facts[alias]["string_agg"] == [["Ada", "B3|B2|B1"], ["Bo", "B4"], ["Cy", "B6|B5"]]


@needs_kernel
@pytest.mark.parametrize("alias", SQL + ["mongodb"])
def test_any_value_where_the_database_has_it(facts, alias):
    got = facts[alias]["any_value"]
    has_it = alias == "sqlite" or (alias == "default" and facts["default"]["version"][0] >= 16)
    if has_it:
        assert [row[:2] for row in got] == [["Ada", 3], ["Bo", 1], ["Cy", 2]]
        assert got[0][2] in ("B1", "B2", "B3") and got[2][2] in ("B5", "B6")
    else:
        assert got == "NotSupportedError: ANY_VALUE is not supported on this database backend."


# --- 4. GeneratedField after save() ----------------------------------------------------------------------------------


@needs_kernel
@pytest.mark.parametrize("alias, sent", [("default", 1), ("sqlite", 1), ("legacy", 2)])
def test_generated_field_is_current_after_save(facts, alias, sent):
    assert facts[alias]["generated"] == {"total": "9.00", "queries": sent}


@needs_kernel
def test_mongodb_refuses_db_rules_and_generated_fields_in_its_checks_and_never_computes_them(facts):
    assert facts["mongodb"]["checks"] == ["fields.E220", "fields.E222", "fields.E324", "mongodb.fields.auto.E001"]
    assert facts["mongodb"]["generated"]["total"] == "None"
    assert facts["mongodb"]["minimum"] == [7, 0]


# --- 5. removals and the new default, 5.2 against 6.1 ------------------------------------------------------------


@needs_kernel
def test_what_52_warns_about_61_refuses(facts):
    (check52, check61), (save52, save61), (order52, order61), (condition52, condition61), (auto52, auto61) = facts[
        "upgrade"
    ].values()
    assert check52 == "RemovedInDjango60Warning: CheckConstraint.check is deprecated in favor of `.condition`.\nworks"
    assert check61 == "TypeError: CheckConstraint.__init__() got an unexpected keyword argument 'check'"
    assert save52.startswith("RemovedInDjango60Warning: Passing positional arguments to save() is deprecated")
    assert save52.endswith("\nworks") and save61.startswith("TypeError: Model.save() takes 1 positional argument")
    assert order52 == "RemovedInDjango61Warning: The ordering argument is deprecated. Use order_by instead.\nTrue"
    assert order61 == "False"  # ordering= is ignored: no ORDER BY, no error, no warning
    assert condition52 == condition61 == "works"
    assert (auto52, auto61) == ("django.db.models.AutoField", "django.db.models.BigAutoField")


# --- 6. minimums ---------------------------------------------------------------------------------------------------


@needs_kernel
def test_the_minimums_and_the_servers_meet_them(facts):
    assert {alias: facts[alias]["minimum"] for alias in SQL} == {"default": [15], "legacy": [10, 11], "sqlite": [3, 37]}
    for alias in SQL:
        assert facts[alias]["version"] >= facts[alias]["minimum"]


@needs_kernel
def test_the_kernel_builds_anywhere_the_hub_asks(tmp_path):
    """The hub builds the kernel's environment beside the learners' shared one and lists it there."""
    venv, prefix, said = tmp_path / "learner-env-django6", tmp_path / "learner-env", []
    assert django6_kernel.unavailable(venv, str(prefix)).startswith("notebook 17 is skipped: its kernel")
    assert django6_kernel.build(said.append, venv, str(prefix)), said
    spec = json.loads(django6_kernel.kernel_spec(str(prefix)).read_text())
    assert spec["argv"][0] == str(venv / "bin" / "python") and spec["display_name"] == django6_kernel.DISPLAY_NAME
    assert django6_kernel.unavailable(venv, str(prefix)) == ""
    assert django6_kernel.build(said.append, venv, str(prefix)) and len(said) == 1  # current: nothing rebuilt
    version = subprocess.run([spec["argv"][0], "-c", "import django; print(django.get_version())"], capture_output=True)
    assert version.stdout.decode().startswith("6.1"), version


# --- exercises -------------------------------------------------------------------------------------------------------


@needs_kernel
def test_every_exercise_has_a_hint_and_its_reference_answer_passes(facts):
    got = facts["exercises"]
    assert got["names"] == ["book_labels", "titles_by_author", "save_quantity"]
    assert all(len(hint) > len(f"Hint for {name}: ") + 20 for name, hint in got["hints"].items())
    assert all(verdict["passed"] for verdict in got["reference"].values()), got["reference"]


@needs_kernel
@pytest.mark.parametrize("index", range(len(WRONG)), ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(WRONG)])
def test_wrong_answers_fail_for_the_right_reason(facts, index):
    verdict, words = facts["exercises"]["answers"][index], WRONG[index][2]
    assert verdict["passed"] is False and words in verdict["message"], verdict
