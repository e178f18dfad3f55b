"""The course map (course_project/course_map.py) matches the notebooks, the README and the tests."""
from course_project.course_map import LESSONS
from course_project.env import PROJECT_ROOT
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
        assert (PROJECT_ROOT / "tests" / f"test_{lesson.number}_{lesson.slug}.py").exists(), lesson.notebook
