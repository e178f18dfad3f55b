"""Notebook 06's exercises (reference answers: solutions.py).

Each check adds posts of its own (a tag and an author nobody else uses, random view counts) and
removes them afterwards, so only an answer that really queries the collection can pass.
"""
import random
import uuid
from contextlib import contextmanager

from course_project.lessons.mongodb_pymongo.posts import posts
from course_project.runtime.checker import Exercises

exercises = Exercises("06_mongodb_pymongo")


@contextmanager
def _checker_posts():
    """Five posts by a new author with a new tag; views include exactly 50, the threshold checked."""
    tag, author = f"tag-{uuid.uuid4().hex[:6]}", f"author-{uuid.uuid4().hex[:6]}"
    views = [50, *random.sample(range(0, 400), 4)]
    docs = [{"title": f"Checker post {n} {tag}", "content": "", "author": author, "tags": [tag, "mongodb"],
             "views": v, "published": True} for n, v in enumerate(views)]
    posts().insert_many(docs)
    try:
        yield tag, author
    finally:
        posts().delete_many({"author": author})


@exercises.add("titles_tagged", "titles_tagged(tag, min_views): sorted titles")
def _(answer):
    with _checker_posts() as (tag, _author):
        for asked, min_views in ((tag, 50), (tag, 0), ("mongodb", 100)):
            expected = sorted(p["title"] for p in posts().find({"tags": asked, "views": {"$gte": min_views}}))
            got = list(answer(asked, min_views))
            if sorted(got) == expected and got != expected:
                raise AssertionError("the right titles, but not sorted")
            assert got == expected, (f"titles_tagged({asked!r}, {min_views}) should give {len(expected)} titles, "
                                     f"not {len(got)}: the tag in the tags array, and at least min_views views ($gte)")


def _totals():
    totals = {}
    for post in posts().find():
        for tag in post["tags"]:
            totals[tag] = totals.get(tag, 0) + post["views"]
    return totals


@exercises.add("views_by_tag", "pipeline: total views per tag, largest first")
def _(answer):
    with _checker_posts():
        totals = _totals()
        got = list(posts().aggregate(answer))
        assert all(isinstance(d.get("_id"), str) for d in got), \
            "one document per tag: $unwind the tags first, then $group by '$tags'"
        assert {d["_id"]: d.get("views") for d in got} == totals, \
            "one document per tag: {'_id': tag, 'views': the sum of its posts' views}"
        assert [d["views"] for d in got] == sorted(totals.values(), reverse=True), "sort by views, largest first"


@exercises.add("safe_author_filter", "safe_author_filter(data): {'author': str} or ValueError")
def _(answer):
    with _checker_posts() as (_tag, author):
        query = answer({"author": author})
        assert sorted(p["_id"] for p in posts().find(query)) == \
            sorted(p["_id"] for p in posts().find({"author": author})), \
            "the filter should find exactly that author's posts"
        for bad in ({"author": {"$ne": None}}, {"author": {"$regex": "."}}, {"author": [author]}, {}):
            try:
                answer(bad)
            except ValueError:
                continue
            raise AssertionError(f"{bad} should raise ValueError: accept only a plain string")
