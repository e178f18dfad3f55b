"""The static site: every notebook rendered with its stored outputs, navigation, no broken links."""

from course_project.lessons import LESSONS
from course_tools.site import broken_links, build


def test_site_builds_with_navigation_and_no_broken_links(tmp_path):
    pages = build(tmp_path)
    assert [p.name for p in pages] == ["index.html"] + [f"{lesson.notebook[:-6]}.html" for lesson in LESSONS]
    assert broken_links(tmp_path) == []
    index = (tmp_path / "index.html").read_text()
    for lesson in LESSONS:
        page = (tmp_path / f"{lesson.notebook[:-6]}.html").read_text()
        assert 'class="course-nav"' in page and 'href="index.html"' in page
        assert f'href="{lesson.notebook[:-6]}.html"' in index
    first = (tmp_path / pages[1].name).read_text()
    assert "Django 5.2 is set up" in first  # stored outputs are in the page


def test_a_broken_link_is_reported(tmp_path):
    build(tmp_path)
    (tmp_path / "index.html").write_text('<a href="99_missing.html">x</a>')
    assert broken_links(tmp_path) == ["index.html -> 99_missing.html"]


def test_readers_never_see_nbval_markers(tmp_path):
    from course_project.env import PROJECT_ROOT

    marked = [lesson for lesson in LESSONS if "# NBVAL_" in (PROJECT_ROOT / "notebooks" / lesson.notebook).read_text()]
    assert marked, "some notebooks carry markers (timing cells), so this test means something"
    build(tmp_path)
    for lesson in marked:
        page = (tmp_path / f"{lesson.notebook[:-6]}.html").read_text()
        assert "NBVAL_" not in page, lesson.notebook
