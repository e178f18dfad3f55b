"""Notebook 06's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises
from course_project.lessons.mongodb_pymongo.posts import posts

exercises = Exercises("06_mongodb_pymongo")


@exercises.add("titles_tagged", "titles_tagged(tag, min_views): sorted titles")
def _(answer):
    for tag, min_views in (("mongodb", 100), ("python", 0)):
        expected = sorted(p["title"] for p in posts().find({"tags": tag, "views": {"$gte": min_views}}))
        assert list(answer(tag, min_views)) == expected, f"wrong titles for {tag!r}, {min_views}"


@exercises.add("views_by_tag", "pipeline: total views per tag, largest first")
def _(answer):
    totals = {}
    for post in posts().find():
        for tag in post["tags"]:
            totals[tag] = totals.get(tag, 0) + post["views"]
    got = list(posts().aggregate(answer))
    assert {d["_id"]: d["views"] for d in got} == totals, "one document per tag: {'_id': tag, 'views': total}"
    assert [d["views"] for d in got] == sorted(totals.values(), reverse=True), "sort by views, largest first"


@exercises.add("safe_author_filter", "safe_author_filter(data): {'author': str} or ValueError")
def _(answer):
    assert answer({"author": "ada"}) == {"author": "ada"}
    for bad in ({"author": {"$ne": None}}, {"author": ["ada"]}, {}):
        try:
            answer(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} should raise ValueError")
