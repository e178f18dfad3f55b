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


def test_readme_map_is_the_generated_one():
    from course_project.course_map import README_END, README_START, markdown

    block = README.split(README_START, 1)[1].split(README_END, 1)[0]
    assert block.strip() == markdown()


def test_every_notebook_has_a_measured_run_time():
    for lesson in LESSONS:
        assert lesson.run_time != "not measured", f"run ./course refresh {lesson.number}"
