"""Notebook 02's exercises (reference answers: solutions.py).

The functions run on articles the checker adds for the check (with tags and words no other article
has), and the SQL is applied by the checker to a throwaway database and role that it creates.
"""
import random
import secrets
import string
from contextlib import contextmanager

import sqlparse
from psycopg.errors import InsufficientPrivilege
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from course_project.lessons.postgresql.models import Article
from course_project.runtime.checker import Exercises
from course_project.services.config import servers

exercises = Exercises("02_postgresql")


def _word(length: int = 10) -> str:
    return "".join(random.choices(string.ascii_lowercase, k=length))


@contextmanager
def checker_articles(*articles):
    """Add these (title, content, tags) articles for the duration of a check, then remove them."""
    created = Article.objects.bulk_create(Article(title=t, content=c, tags=tags) for t, c, tags in articles)
    try:
        yield created
    finally:
        Article.objects.filter(pk__in=[a.pk for a in created]).delete()


@exercises.add("tagged_titles", "tagged_titles(*tags): ordered titles of articles carrying every tag")
def _(answer):
    a, b, c = (f"chk{_word(6)}" for _ in range(3))
    letters = random.sample("pqrstuvw", 4)
    with checker_articles((f"{letters[0]} check", "x", [a, b]), (f"{letters[1]} check", "x", [b, a, c]),
                          (f"{letters[2]} check", "x", [a]), (f"{letters[3]} check", "x", [c, b])):
        for tags in ([a, b], [b], [a, b, c]):
            expected = list(Article.objects.filter(tags__contains=tags).order_by("title")
                            .values_list("title", flat=True))
            got = list(answer(*tags))
            assert got == expected, f"for the checker's tags {tags}: expected {expected}, got {got} (every tag, by title)"


@exercises.add("best_match", "best_match(words): title of the best-ranked full-text match")
def _(answer):
    word = _word()
    # The best match has the word in its title (weight A) but sorts last by title; two body-only matches tie.
    with checker_articles((f"zz {word}", "nothing else here", []),
                          ("ab check", f"the {word} appears in the body", []),
                          ("aa check", f"the {word} appears in the body", [])):
        for words, best in ((word, f"zz {word}"), (f"{word} body", "aa check")):
            query = SearchQuery(words, config="english")
            expected = (Article.objects.filter(search_vector=query)
                        .annotate(rank=SearchRank(F("search_vector"), query))
                        .order_by("-rank", "title").values_list("title", flat=True).first())
            assert expected == best, "the checker's articles did not rank as planned"  # the checker's own check
            got = answer(words)
            assert got == expected, (f"for {words!r} the best-ranked title is {expected!r}, not {got!r} "
                                     "(order by SearchRank, highest first, then by title)")


APPDB, APP, OTHER = "course_tmp_appdb", "course_tmp_app", "course_tmp_other"


@exercises.add("owner_fix_sql", f"SQL letting role {APP} create tables in database {APPDB} (PostgreSQL 15)")
def _(answer):
    statements = [s for s in sqlparse.split(str(answer)) if s.strip()]
    assert len(statements) == 1, f"one SQL statement, not {len(statements)}"
    server = servers()["postgres"]
    passwords = {APP: secrets.token_urlsafe(12), OTHER: secrets.token_urlsafe(12)}
    with server.connect(admin=True, database="postgres") as admin:
        _drop_throwaways(admin)
        try:
            for role, password in passwords.items():
                admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
            admin.execute(f"CREATE DATABASE {APPDB}")
            admin.execute(f"GRANT ALL PRIVILEGES ON DATABASE {APPDB} TO {APP}, {OTHER}")  # the syllabus's grant
            with server.connect(admin=True, database=APPDB) as inside:
                inside.execute(statements[0])  # the learner's fix, as the superuser, inside the database
            flags = admin.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = %s", [APP]).fetchone()
            assert flags == (False, False), f"{APP} needs no SUPERUSER or CREATEDB for this: fix the schema's rights"

            def can_create(role):
                with server.connect(user=role, password=passwords[role], database=APPDB) as conn:
                    try:
                        conn.execute("CREATE TABLE probe (id int)")
                    except InsufficientPrivilege:
                        return False
                    conn.execute("DROP TABLE probe")
                    return True

            assert can_create(APP), f"after your statement, {APP} still cannot create a table in {APPDB}"
            assert not can_create(OTHER), f"now every role can create tables in {APPDB}: give the right to {APP} only"
        finally:
            _drop_throwaways(admin)


def _drop_throwaways(admin):
    admin.execute(f"DROP DATABASE IF EXISTS {APPDB} WITH (FORCE)")
    for role in (APP, OTHER):
        admin.execute(f"DROP ROLE IF EXISTS {role}")
