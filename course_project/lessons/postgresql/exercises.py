"""Notebook 02's exercises (reference answers: solutions.py)."""
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from course_project.runtime.checker import Exercises
from course_project.lessons.postgresql.models import Article

exercises = Exercises("02_postgresql")


@exercises.add("tagged_titles", "tagged_titles(*tags): ordered titles of articles carrying every tag")
def _(answer):
    for tags in (["generator", "iterator"], ["class", "method", "attribute"]):
        expected = list(Article.objects.filter(tags__contains=tags).order_by("title").values_list("title", flat=True))
        assert expected, "load the articles first (section 3)"
        assert list(answer(*tags)) == expected, f"wrong titles for {tags}"


@exercises.add("best_match", "best_match(words): title of the best-ranked full-text match")
def _(answer):
    for words in ("decorator", "exception handling"):
        query = SearchQuery(words, config="english")
        expected = (Article.objects.filter(search_vector=query)
                    .annotate(rank=SearchRank(F("search_vector"), query))
                    .order_by("-rank", "title").values_list("title", flat=True).first())
        assert answer(words) == expected, f"for {words!r} the best match is not {answer(words)!r}"


@exercises.add("owner_fix_sql", "SQL letting role app create tables in database appdb (PostgreSQL 15)")
def _(answer):
    normal = re.sub(r"\s+", " ", str(answer).strip().rstrip(";")).lower()
    assert normal == "alter database appdb owner to app", "make the role the database's owner (ALTER DATABASE ...)"
