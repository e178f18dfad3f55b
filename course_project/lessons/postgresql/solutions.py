"""Reference answers for notebook 02 (checked by tests/test_02_postgresql.py)."""
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from course_project.lessons.postgresql.models import Article


def tagged_titles(*tags):
    return Article.objects.filter(tags__contains=list(tags)).order_by("title").values_list("title", flat=True)


def best_match(words):
    query = SearchQuery(words, config="english")
    return (Article.objects.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title").values_list("title", flat=True).first())


owner_fix_sql = "ALTER DATABASE course_tmp_appdb OWNER TO course_tmp_app;"
