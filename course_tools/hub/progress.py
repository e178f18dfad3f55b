"""The instructor's page: every learner's exercise progress, as their checkers recorded it.

A JupyterHub service (the hub starts it; only admins hold its access scope). GET / is the page,
GET /api the same data as JSON: {learner: {lesson: report}}.
"""

import html
import json
import os
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import ioloop, web

from course_project.lessons import LESSONS
from course_tools.hub import learners

PAGE = """<!doctype html><meta charset="utf-8"><title>Workshop progress</title>
<style>body{{font:14px system-ui;margin:2em}}td,th{{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:center}}
.all{{background:#d4f4d4}}.seen{{color:#a55;font-size:85%}}.some{{background:#fff3c4}}.none{{color:#999}}</style>
<h1>Workshop progress</h1>
<p>Exercises passed per lesson, as each learner's last check recorded them, and the solutions they viewed.</p>
<table><tr><th>learner</th>{heads}</tr>{rows}</table>"""


def everyone() -> dict:
    """{learner: {lesson: report}} for every learner of the hub."""
    data = {}
    for name in learners.registered():
        if learners.is_learner_account(name):
            data[name] = learners.progress(learners.learner(name))
    return data


def cell(report) -> str:
    if not report:
        return '<td class="none">-</td>'
    done, total = report["passed"], report["total"]
    css = "all" if done == total else "some" if done else "none"
    seen = report.get("solutions_viewed", [])
    lines = [f"{r['name']}: {r['message']}" for r in report["results"]]
    lines += [f"solution viewed: {', '.join(seen)}"] if seen else []
    detail = html.escape("\n".join(lines), quote=True)
    mark = f' <span class="seen">({len(seen)} solution{"s" * (len(seen) != 1)} viewed)</span>' if seen else ""
    return f'<td class="{css}" title="{detail}">{done}/{total}{mark}</td>'


def render(data: dict) -> str:
    lessons = [f"{lesson.number}_{lesson.slug}" for lesson in LESSONS]
    heads = "".join(f"<th>{lesson[:2]}</th>" for lesson in lessons)
    rows = "".join(
        f"<tr><th>{html.escape(name)}</th>" + "".join(cell(done.get(lesson)) for lesson in lessons) + "</tr>"
        for name, done in sorted(data.items())
    )
    return PAGE.format(heads=heads, rows=rows or '<tr><td colspan="15">no learners yet</td></tr>')


class PageHandler(HubOAuthenticated, web.RequestHandler):
    @web.authenticated
    def get(self):
        self.finish(render(everyone()))


class DataHandler(HubOAuthenticated, web.RequestHandler):
    @web.authenticated
    def get(self):
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(everyone()))


def main():
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    app = web.Application(
        [
            (prefix, PageHandler),
            (url_path_join(prefix, "api"), DataHandler),
            (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        ],
        cookie_secret=os.urandom(32),
    )
    where = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app.listen(where.port, where.hostname)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
