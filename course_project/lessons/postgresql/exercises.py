"""Notebook 02's exercises (reference answers: solutions.py).

The functions run on articles the checker adds for the check (with tags and words no other article
has), and the SQL is applied by the checker to a throwaway database and role that it creates.
"""

import random
import secrets
import string
from contextlib import contextmanager

import sqlparse
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from psycopg.errors import InsufficientPrivilege

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


def _titles(queryset) -> list:
    return list(queryset.order_by("title").values_list("title", flat=True))


@exercises.add(
    "tagged_titles",
    "tagged_titles(include, exclude): by title, articles with every tag in include and none in exclude",
    hint="Two array lookups: one says 'has all of these', the other 'has at least one of these'. "
    "filter() keeps rows, exclude() drops them.",
)
def _(answer):
    a, b, c, d = (f"chk{_word(6)}" for _ in range(4))
    letters = random.sample("pqrstuvw", 5)
    with checker_articles(
        (f"{letters[0]} check", "x", [a, b]),
        (f"{letters[1]} check", "x", [b, a, c]),
        (f"{letters[2]} check", "x", [a]),
        (f"{letters[3]} check", "x", [c, b]),
        (f"{letters[4]} check", "x", [a, b, d]),
    ):
        for include, exclude in (([a, b], []), ([b], [c]), ([a], [c, d]), ([a, b], [c, d])):
            expected = _titles(Article.objects.filter(tags__contains=include).exclude(tags__overlap=exclude))
            with CaptureQueriesContext(connection) as queries:
                got = list(answer(include, exclude))
            assert got == expected, (
                f"for the checker's include={include}, exclude={exclude}: expected {expected}, "
                f"got {got} (every tag of include, none of exclude, by title)"
            )
            assert len(queries) == 1, f"{len(queries)} queries: let the database filter, in one query"
            with connection.cursor() as cursor:  # the captured statement again: what did it fetch?
                cursor.execute(queries[0]["sql"])
                fetched = len(cursor.fetchall())
            assert fetched == len(expected), (
                f"your query fetched {fetched} rows for {len(expected)} titles: "
                "let the database filter with array lookups, not Python"
            )


@exercises.add(
    "best_match",
    "best_match(words, tag): title of the best-ranked article tagged `tag` for a web-search query, "
    "ranked on search_vector",
    hint="SearchQuery takes search_type='websearch'. Rank with SearchRank, highest first, then by title; "
    "restrict to the tag with an array lookup. .first() gives None when nothing matches.",
)
def _(answer):
    word, other, tag, elsewhere = _word(), _word(), f"chk{_word(6)}", f"chk{_word(6)}"
    # In the tag: the title match (weight A) sorts last by title; two body matches tie, one of them also has `other`.
    # Outside the tag: the best match of all, which must not count.
    with checker_articles(
        (f"zz {word}", "nothing else here", [tag]),
        ("ab check", f"the {word} appears in the body with {other}", [tag]),
        ("aa check", f"the {word} appears in the body", [tag]),
        (f"a {word} {other}", f"{word} {other} {word}", [elsewhere]),
    ):
        for words, best in (
            (word, f"zz {word}"),
            (f"{word} body", "aa check"),
            (f"{word} -{other} body", "aa check"),
            (f'"appears in the body with {other}"', "ab check"),
            (f"{_word()}", None),
        ):
            query = SearchQuery(words, search_type="websearch", config="english")
            expected = (
                Article.objects.filter(search_vector=query, tags__contains=[tag])
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "title")
                .values_list("title", flat=True)
                .first()
            )
            assert expected == best, "the checker's articles did not rank as planned"  # the checker's own check
            got = answer(words, tag)
            assert got == expected, (
                f"for {words!r} among articles tagged {tag!r} the best-ranked title is "
                f"{expected!r}, not {got!r} (web-search syntax; SearchRank, highest first, "
                "then by title)"
            )


APPDB, APP, OTHER = "course_tmp_appdb", "course_tmp_app", "course_tmp_other"


@exercises.add(
    "owner_fix_sql",
    f"SQL letting role {APP} create tables in database {APPDB} (PostgreSQL 15) by granting a privilege "
    "(or a schema of its own): no owner changed, no role granted",
    hint="Tables go into a schema, and since PostgreSQL 15 only the schema's owner (pg_database_owner) "
    "may create in public. Which privilege on which object is missing? The checker runs your "
    "statement inside the database.",
)
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
                schema_owner = inside.execute(
                    "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"
                ).fetchone()[0]
            assert schema_owner == "pg_database_owner", (
                f"public now belongs to {schema_owner}, who may drop it with every other role's tables: "
                "grant a privilege on the schema instead"
            )
            roles = admin.execute(
                "SELECT array_agg(roleid::regrole::text ORDER BY 1) FROM pg_auth_members WHERE member = %s::regrole",
                [APP],
            ).fetchone()[0]
            assert not roles, (
                f"{APP} is now a member of {roles}: it may act as that role (SET ROLE), far more than "
                "creating tables; grant a privilege, not a role"
            )
            owner = admin.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [APPDB]
            ).fetchone()[0]
            assert owner != APP, f"the database's owner changed to {APP}: leave the owner as it is, and fix the schema"
            flags = admin.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = %s", [APP]).fetchone()
            assert flags == (False, False), f"{APP} needs no SUPERUSER or CREATEDB for this: fix the schema's rights"

            def can_create(role):
                with server.connect(user=role, password=passwords[role], database=APPDB) as conn:
                    try:
                        conn.execute("CREATE TABLE probe (id int)")
                    except InsufficientPrivilege:
                        return False
                    persistence = conn.execute(
                        "SELECT relpersistence FROM pg_class WHERE oid = 'probe'::regclass"
                    ).fetchone()[0]
                    conn.execute("DROP TABLE probe")
                    assert persistence == "p", (
                        f"{role}'s table is temporary (it went to pg_temp and vanishes "
                        "with the session): it must be able to create permanent tables"
                    )
                    return True

            assert can_create(APP), f"after your statement, {APP} still cannot create a table in {APPDB}"
            assert not can_create(OTHER), f"now every role can create tables in {APPDB}: give the right to {APP} only"
        finally:
            _drop_throwaways(admin)


def _drop_throwaways(admin):
    admin.execute(f"DROP DATABASE IF EXISTS {APPDB} WITH (FORCE)")
    for role in (APP, OTHER):
        admin.execute(f"DROP ROLE IF EXISTS {role}")
