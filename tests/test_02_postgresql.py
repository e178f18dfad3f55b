"""postgres_lab: the Article model, its trigger-maintained search vector, the corpus, the exercises."""
import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core import checks
from django.db import models
from django.db.models import F
from django.test.utils import isolate_apps

from course_project.lessons.postgresql import solutions
from course_project.lessons.postgresql.corpus import CORPUS, load_articles, plan
from course_project.lessons.postgresql.exercises import exercises
from course_project.lessons.postgresql.models import Article

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture
def corpus():
    return load_articles()


def test_the_whole_corpus_loads(corpus):
    assert corpus == sum(1 for _ in open(CORPUS, encoding="utf-8")) == 951
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
    ranked = (Article.objects.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
              .order_by("-rank").values_list("title", flat=True))
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


def test_solutions_pass_and_wrong_answers_fail(corpus):
    assert exercises.check(vars(solutions)).all_passed, str(exercises.check(vars(solutions)))
    assert exercises.check({}).passed == 0
    wrong = {"tagged_titles": lambda *tags: Article.objects.filter(tags__overlap=list(tags)).values_list("title", flat=True),
             "best_match": lambda words: "types §41",
             "owner_fix_sql": "GRANT ALL PRIVILEGES ON DATABASE appdb TO app"}
    assert exercises.check(wrong).passed == 0
