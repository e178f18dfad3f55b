"""Render the course, with its stored outputs, into a static HTML site.

    ./course site [--out build/site]

Every notebook becomes NN_topic.html with previous/next links and a table of contents;
index.html is the course map. Nothing is executed, so readers need no servers.
"""

import html
import re
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT
from course_project.lessons import LESSONS

NOTEBOOKS = PROJECT_ROOT / "notebooks"
STYLE = """<style>
.course-nav{font:15px system-ui,sans-serif;padding:.6em 1em;background:#f3f4f6;border-bottom:1px solid #ddd;
 display:flex;gap:1.5em;align-items:center}
.course-nav a{text-decoration:none}.course-nav .title{font-weight:600;margin-right:auto}
.course-index{font:16px system-ui,sans-serif;max-width:60em;margin:2em auto}
.course-index td,.course-index th{padding:.3em .8em;text-align:left;border-bottom:1px solid #eee}
</style>"""


def nav(index: int) -> str:
    lesson = LESSONS[index]
    links = [
        f'<span class="title">{html.escape(lesson.number + " · " + lesson.topic)}</span>',
        '<a href="index.html">Contents</a>',
    ]
    if index > 0:
        links.append(f'<a href="{LESSONS[index - 1].notebook[:-6]}.html">← Previous</a>')
    if index + 1 < len(LESSONS):
        links.append(f'<a href="{LESSONS[index + 1].notebook[:-6]}.html">Next →</a>')
    return f'<nav class="course-nav">{"".join(links)}</nav>'


def local_links(text: str) -> str:
    """Links between notebooks point at their pages."""
    return re.sub(r'href="(?:\./|notebooks/)?(\d\d_[\w-]+)\.ipynb', r'href="\1.html', text)


def without_markers(nb):
    """nbval's markers (`# NBVAL_IGNORE_OUTPUT`, ...) are for CI, not for readers."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = "\n".join(line for line in cell.source.splitlines() if not line.startswith("# NBVAL_"))
    return nb


def render_notebook(index: int, exporter) -> str:
    import nbformat

    lesson = LESSONS[index]
    nb = without_markers(nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4))
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": lesson.notebook[:-6]}})
    body = local_links(body).replace("</head>", STYLE + "</head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav(index), body, count=1)


def render_index() -> str:
    rows = "".join(
        f'<tr><td><a href="{lesson.notebook[:-6]}.html">{lesson.number}</a></td>'
        f"<td>{html.escape(lesson.topic)}</td><td>{html.escape(', '.join(lesson.servers) or 'none')}</td></tr>"
        for lesson in LESSONS
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Database Integration in Django</title>"
        f"{STYLE}</head><body><main class='course-index'><h1>Database Integration in Django</h1>"
        f"<p>A live, tested Jupyter course. These pages show every notebook with the outputs of a real run.</p>"
        f"<table><tr><th>#</th><th>topic</th><th>servers</th></tr>{rows}</table></main></body></html>"
    )


def build(out: Path) -> list:
    out.mkdir(parents=True, exist_ok=True)
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    pages = [out / "index.html"]
    pages[0].write_text(render_index())
    for index, lesson in enumerate(LESSONS):
        page = out / f"{lesson.notebook[:-6]}.html"
        page.write_text(render_notebook(index, exporter))
        pages.append(page)
    return pages


def broken_links(out: Path) -> list:
    """Relative links in the site whose target file does not exist."""
    broken = []
    for page in sorted(out.glob("*.html")):
        for target in re.findall(r'href="([^"#:?]+)(?:#[^"]*)?"', page.read_text()):
            if not (out / target).exists():
                broken.append(f"{page.name} -> {target}")
    return broken


def add_arguments(parser):
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "build" / "site", help="default: build/site")


def run(args) -> int:
    pages = build(args.out)
    broken = broken_links(args.out)
    for link in broken:
        print(f"broken link: {link}", file=sys.stderr)
    print(f"{len(pages)} pages in {args.out}" + (f", {len(broken)} broken links" if broken else ""))
    return 1 if broken else 0
