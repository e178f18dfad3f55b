"""Reference answers for notebook 02 (checked by tests/test_02_postgresql.py)."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from course_project.lessons.postgresql.models import Article


def tagged_titles(include, exclude):
    return (
        Article.objects.filter(tags__contains=list(include))
        .exclude(tags__overlap=list(exclude))
        .order_by("title")
        .values_list("title", flat=True)
    )


def best_match(words, tag):
    query = SearchQuery(words, search_type="websearch", config="english")
    return (
        Article.objects.filter(search_vector=query, tags__contains=[tag])
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title")
        .values_list("title", flat=True)
        .first()
    )


owner_fix_sql = "GRANT CREATE ON SCHEMA public TO course_tmp_app;"
