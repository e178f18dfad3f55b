"""The course map (course_project/lessons) matches the notebooks, the apps, the tests and the README."""

from django.apps import apps

from course_project.env import PROJECT_ROOT
from course_project.lessons import LESSONS
from course_project.services.config import servers

README = (PROJECT_ROOT / "README.md").read_text()


def test_map_lists_exactly_the_notebooks():
    on_disk = sorted(p.name for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [lesson.notebook for lesson in LESSONS] == on_disk


def test_readme_shows_the_map():
    for lesson in LESSONS:
        assert f"`{lesson.notebook}`" in README and lesson.topic in README, lesson.notebook


def test_servers_are_real_server_names():
    for lesson in LESSONS:
        assert set(lesson.servers) <= set(servers()), lesson.notebook


def test_every_notebook_has_tests_of_its_own():
    for lesson in LESSONS:
        assert (PROJECT_ROOT / "tests" / lesson.test_file).exists(), lesson.notebook
    numbered = sorted(p.name for p in (PROJECT_ROOT / "tests").glob("test_[0-9][0-9]_*.py"))
    assert numbered == [lesson.test_file for lesson in LESSONS]


def test_every_notebook_has_its_installed_app_and_nothing_else_sits_in_lessons():
    folder = PROJECT_ROOT / "course_project" / "lessons"
    on_disk = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert on_disk == sorted(lesson.slug for lesson in LESSONS)
    installed = {config.name for config in apps.get_app_configs()}
    for lesson in LESSONS:
        assert set(lesson.apps) <= installed, lesson.notebook


def test_readme_map_is_the_generated_one():
    from course_tools.course_map import README_END, README_START, markdown

    block = README.split(README_START, 1)[1].split(README_END, 1)[0]
    assert block.strip() == markdown()


def test_every_notebook_has_a_measured_run_time():
    from course_tools.course_map import run_time

    for lesson in LESSONS:
        assert run_time(lesson.notebook) != "not measured", f"run ./course refresh {lesson.number}"
