"""postgres_lab: the Article model, its trigger-maintained search vector, the corpus, the exercises."""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core import checks
from django.db import models
from django.db.models import F
from django.test.utils import isolate_apps
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.postgresql import solutions
from course_project.lessons.postgresql.corpus import CORPUS, load_articles, plan
from course_project.lessons.postgresql.exercises import exercises
from course_project.lessons.postgresql.models import Article

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture
def corpus():
    return load_articles()


def test_the_whole_corpus_loads(corpus):
    with open(CORPUS, encoding="utf-8") as lines:
        assert corpus == sum(1 for _ in lines) == 951
    assert not Article.objects.filter(search_vector__isnull=True).exists()


def test_the_trigger_keeps_the_vector_current():
    article = Article.objects.create(title="Zeppelins", content="Airships float.", tags=["air"])
    assert Article.objects.filter(search_vector=SearchQuery("airship")).get() == article
    Article.objects.filter(pk=article.pk).update(content="Balloons drift.")
    assert not Article.objects.filter(search_vector=SearchQuery("airship")).exists()
    assert Article.objects.filter(search_vector=SearchQuery("balloon")).get() == article


def test_title_words_outrank_body_words():
    Article.objects.create(title="Gardening", content="Tomatoes need sun.")
    Article.objects.create(title="Tomatoes", content="A red fruit.")
    query = SearchQuery("tomato")
    ranked = (
        Article.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank")
        .values_list("title", flat=True)
    )
    assert list(ranked) == ["Tomatoes", "Gardening"]


def test_array_and_json_lookups(corpus):
    both = set(Article.objects.filter(tags__contains=["generator", "iterator"]))
    either = set(Article.objects.filter(tags__overlap=["generator", "iterator"]))
    assert both and both < either
    assert all({"generator", "iterator"} <= set(a.tags) for a in both)
    assert all(a.metadata["words"] >= 40 for a in Article.objects.filter(metadata__words__gte=40))


def test_the_gin_index_serves_tag_queries_on_a_big_table(corpus):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # only asks: *can* the planner use the index?
        try:
            nodes = plan("SELECT id FROM postgres_lab_article WHERE tags @> %s::varchar[]", [["generator"]])
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "Bitmap Index Scan on article_tags_gin" in nodes


def test_contrib_postgres_jsonfield_fails_the_checks():
    with isolate_apps("course_project.lessons.postgresql"):
        from django.contrib.postgres.fields import JSONField as OldJSONField

        class Old(models.Model):
            data = OldJSONField()

            class Meta:
                app_label = "postgres_lab"

        errors = Old.check()
    assert [e.id for e in errors] == ["fields.E904"]
    assert all(e.level == checks.ERROR for e in errors)


def test_the_stubs_match_the_checker():
    assert_stubs_match(exercises, "02_postgresql.ipynb")


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


def test_tagged_titles(corpus):
    accepts(exercises, "tagged_titles", solutions.tagged_titles)
    constant = list(solutions.tagged_titles(["generator"], ["iterator"]))
    rejects(exercises, "tagged_titles", lambda include, exclude: constant, hint="for the checker's include")
    # any tag instead of every tag
    rejects(
        exercises,
        "tagged_titles",
        lambda include, exclude: (
            Article.objects.filter(tags__overlap=include)
            .exclude(tags__overlap=exclude)
            .order_by("title")
            .values_list("title", flat=True)
        ),
        hint="every tag of include",
    )
    # excluding only the articles that have every excluded tag
    rejects(
        exercises,
        "tagged_titles",
        lambda include, exclude: (
            Article.objects.filter(tags__contains=include)
            .exclude(tags__contains=exclude or ["-"])
            .order_by("title")
            .values_list("title", flat=True)
        ),
        hint="none of exclude",
    )
    # the exclusion done in Python, one query per article
    rejects(
        exercises,
        "tagged_titles",
        lambda include, exclude: [
            a.title
            for a in Article.objects.filter(tags__contains=include).order_by("title")
            if not Article.objects.filter(pk=a.pk, tags__overlap=exclude).exists()
        ],
        hint="in one query",
    )
    # one query that fetches every article, the tags filtered in Python
    rejects(
        exercises,
        "tagged_titles",
        lambda include, exclude: sorted(
            t
            for t, tags in Article.objects.values_list("title", "tags")
            if set(include) <= set(tags) and not set(exclude) & set(tags)
        ),
        hint="not Python",
    )


def test_best_match(corpus):
    accepts(exercises, "best_match", solutions.best_match)
    constant = solutions.best_match("decorator", "generator")
    rejects(exercises, "best_match", lambda words, tag: constant, hint="the best-ranked title is")
    # matching without ranking returns the first title in alphabetical order
    rejects(
        exercises,
        "best_match",
        lambda words, tag: (
            Article.objects.filter(
                search_vector=SearchQuery(words, search_type="websearch", config="english"), tags__contains=[tag]
            )
            .values_list("title", flat=True)
            .first()
        ),
        hint="SearchRank, highest first",
    )
    # the tag ignored: the best match of all is outside it
    rejects(
        exercises,
        "best_match",
        lambda words, tag: _ranked(SearchQuery(words, search_type="websearch", config="english")),
        hint="the best-ranked title is",
    )
    # plain parsing: "-word" and quotes are not web-search syntax there
    rejects(
        exercises,
        "best_match",
        lambda words, tag: _ranked(SearchQuery(words, config="english"), tag),
        hint="web-search syntax",
    )
    assert not Article.objects.filter(title__endswith=" check").exists()  # the checker removed its articles


def _ranked(query, tag=None):
    rows = Article.objects.filter(search_vector=query)
    rows = rows.filter(tags__contains=[tag]) if tag else rows
    return (
        rows.annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title")
        .values_list("title", flat=True)
        .first()
    )


def test_owner_fix_sql():
    accepts(exercises, "owner_fix_sql", solutions.owner_fix_sql)
    accepts(exercises, "owner_fix_sql", "grant create on schema public to course_tmp_app")
    # the fix from section 2, copied with its names: it does nothing for course_tmp_app
    rejects(
        exercises, "owner_fix_sql", "ALTER DATABASE course_tmp_blog OWNER TO course_tmp_blogger", hint="does not exist"
    )
    # the fix from section 2 with the right names: it changes the owner, which the task forbids
    rejects(
        exercises,
        "owner_fix_sql",
        "ALTER DATABASE course_tmp_appdb OWNER TO course_tmp_app",
        hint="leave the owner as it is",
    )
    rejects(
        exercises,
        "owner_fix_sql",
        "GRANT ALL PRIVILEGES ON DATABASE course_tmp_appdb TO course_tmp_app",
        hint="still cannot create a table",
    )
    rejects(exercises, "owner_fix_sql", "GRANT CREATE ON SCHEMA public TO PUBLIC", hint="now every role")
    rejects(exercises, "owner_fix_sql", "ALTER ROLE course_tmp_app SUPERUSER", hint="needs no SUPERUSER")
    # membership in the superuser's role: course_tmp_app could SET ROLE postgres
    rejects(exercises, "owner_fix_sql", "GRANT postgres TO course_tmp_app", hint="grant a privilege, not a role")
    rejects(exercises, "owner_fix_sql", "ALTER SCHEMA public OWNER TO course_tmp_app", hint="public now belongs to")
    # a search_path of pg_temp only: the CREATE TABLE succeeds, but the table is temporary
    rejects(
        exercises,
        "owner_fix_sql",
        "ALTER ROLE course_tmp_app IN DATABASE course_tmp_appdb SET search_path = pg_temp",
        hint="is temporary",
    )
    # a schema of its own is a fix too (no owner changed, no role granted): the default search_path starts with "$user"
    accepts(exercises, "owner_fix_sql", "CREATE SCHEMA course_tmp_app AUTHORIZATION course_tmp_app")
    rejects(
        exercises,
        "owner_fix_sql",
        "GRANT CREATE ON SCHEMA public TO course_tmp_app; SELECT 1",
        hint="one SQL statement",
    )
