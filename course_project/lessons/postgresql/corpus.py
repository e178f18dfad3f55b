"""Load the full-text-search corpus (data/articles.jsonl) and measure what the planner does with it."""

import json

from django.db import connection, transaction

from course_project.env import PROJECT_ROOT
from course_project.lessons.postgresql.models import Article, SearchDoc
from course_project.runtime import explain

CORPUS = PROJECT_ROOT / "data" / "articles.jsonl"


def read_corpus() -> list:
    with open(CORPUS, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@transaction.atomic
def load_articles() -> int:
    """Replace every Article with the corpus, in one transaction.

    One bulk_create, sent as INSERTs of up to 500 rows; the trigger fills search_vector.
    """
    Article.objects.all().delete()
    Article.objects.bulk_create((Article(**row) for row in read_corpus()), batch_size=500)
    return Article.objects.count()


def fill_search_docs(copies: int = 25) -> int:
    """SearchDoc = the articles' text `copies` times over, built inside PostgreSQL (no round trips)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE postgres_lab_searchdoc RESTART IDENTITY")
        cursor.execute(
            "INSERT INTO postgres_lab_searchdoc (body) SELECT a.title || ' ' || a.content "
            "FROM postgres_lab_article a CROSS JOIN generate_series(1, %s) ORDER BY a.id",
            [copies],
        )
        cursor.execute("ANALYZE postgres_lab_searchdoc")
    return SearchDoc.objects.count()


def plan(sql: str, params=()) -> list:
    """EXPLAIN on the default database: plan nodes only."""
    return explain.plan("default", sql, params)
