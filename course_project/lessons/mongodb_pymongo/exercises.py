"""Notebook 06's exercises (reference answers: solutions.py).

Each check adds posts of its own (a tag and an author nobody else uses, view counts around the
threshold and random ones) and removes them afterwards, so only an answer that really queries the
collection can pass. titles_tagged is watched through the client's CommandListener (COMMANDS):
one find, with its filter and projection on the server.
"""

import random
import uuid
from contextlib import contextmanager

from course_project.lessons.mongodb_pymongo.posts import posts
from course_project.runtime.checker import Exercises
from course_project.runtime.mongo import COMMANDS

exercises = Exercises("06_mongodb_pymongo")


@contextmanager
def _checker_posts():
    """Six posts by a new author with a new tag, every other one tagged mongodb too; views 49, 50 and 51 sit
    on the threshold checked (50)."""
    tag, author = f"tag-{uuid.uuid4().hex[:6]}", f"author-{uuid.uuid4().hex[:6]}"
    views = [49, 50, 51, *random.sample(range(0, 400), 3)]
    docs = [
        {
            "title": f"Checker post {n} {tag}",
            "content": "",
            "author": author,
            "tags": [tag, "mongodb"][: 1 + n % 2],
            "views": v,
            "published": True,
        }
        for n, v in enumerate(views)
    ]
    posts().insert_many(docs)
    try:
        yield tag, author
    finally:
        posts().delete_many({"author": author})


def _one_find(sent: list, expected: int):
    """The reads the answer sent: one find, filtered and projected on the server."""
    names = [c.name for c in sent if c.name != "getMore"]  # getMore continues the find's cursor
    assert names == ["find"], f"one find, please: your function sent {names or 'nothing'}"
    returned = sum(c.returned for c in sent)
    assert returned <= expected, (
        f"filter on the server: it sent back {returned} posts for "
        f"{expected} matching ones (put both conditions in the find's filter)"
    )
    projection = sent[0].body.get("projection") or {}
    assert projection.get("title") and set(projection) <= {"title", "_id"}, (
        f"ask for the titles only, with a projection like {{'title': 1}}; yours was {projection or 'none'}"
    )


@exercises.add(
    "titles_tagged",
    "titles_tagged(tags, min_views): sorted titles of the posts carrying every tag in the list, with at "
    "least min_views views, in one find, filtered on the server",
    hint="Both conditions go in one filter. Plain equality on an array field matches one element; "
    "for 'contains every one of these' there is an array operator ($in means any one of them). "
    "Views needs an operator for 'at least'. The second argument of find() is the projection.",
)
def _(answer):
    with _checker_posts() as (tag, _author):
        for asked, min_views in (([tag], 50), ([tag, "mongodb"], 0), (["mongodb", tag], 50), (["mongodb"], 100)):
            truth = {"tags": {"$all": asked}, "views": {"$gte": min_views}}
            expected = sorted(p["title"] for p in posts().find(truth))
            with COMMANDS.watch() as sent:
                got = list(answer(asked, min_views))
            if sorted(got) == expected and got != expected:
                raise AssertionError("the right titles, but not sorted")
            assert got == expected, (
                f"titles_tagged({asked!r}, {min_views}) should give {len(expected)} titles, "
                f"not {len(got)}: every tag of the list in the tags array ($all), and at least "
                "min_views views ($gte)"
            )
            _one_find(sent, len(expected))


def _totals() -> dict:
    """Per tag, over published posts only: {tag: (posts, views)}, for tags with at least two of them."""
    totals = {}
    for post in posts().find({"published": True}):
        for tag in post["tags"]:
            count, views = totals.get(tag, (0, 0))
            totals[tag] = (count + 1, views + post["views"])
    return {tag: total for tag, total in totals.items() if total[0] >= 2}


@contextmanager
def _tag_traps(tag: str):
    """A tag with one published post (left out), and unpublished posts under the checker's tag and another
    tag that has one published post (neither counts)."""
    solo, pair = f"solo-{uuid.uuid4().hex[:6]}", f"pair-{uuid.uuid4().hex[:6]}"
    author = f"traps-{uuid.uuid4().hex[:6]}"
    docs = [
        {"title": "solo", "author": author, "tags": [solo], "published": True},
        {"title": "pair published", "author": author, "tags": [pair], "published": True},
        {"title": "pair draft", "author": author, "tags": [pair, tag], "published": False},
    ]
    posts().insert_many([{**d, "views": random.randint(300, 900)} for d in docs])
    try:
        yield
    finally:
        posts().delete_many({"author": author})


@exercises.add(
    "views_by_tag",
    "pipeline: per tag, the number of published posts and their total views, only tags with at least "
    "two published posts, largest total first",
    hint="A post with three tags must count for each of them: $unwind turns one document with an array "
    "into one document per element. Think about where each condition belongs: one is about posts, "
    "so it can go before the grouping; the other is about groups, so it can only come after.",
)
def _(answer):
    with _checker_posts() as (tag, _author), _tag_traps(tag):
        totals = _totals()
        got = list(posts().aggregate(answer))
        assert all(isinstance(d.get("_id"), str) for d in got), (
            "one document per tag: $unwind the tags first, then $group by '$tags'"
        )
        shape = "one document per tag: {'_id': tag, 'posts': its published posts, 'views': their total views}"
        assert all({"posts", "views"} <= set(d) for d in got), shape
        found = {d["_id"]: (d["posts"], d["views"]) for d in got}
        if any(found.get(t, (0, 0))[0] > total[0] for t, total in totals.items()):
            raise AssertionError("published posts only: a draft counted ($match on published)")
        missing = set(found) - set(totals)
        assert not missing, f"only tags with at least two published posts; {sorted(missing)[:3]} should not be there"
        assert found == totals, shape
        assert [d["views"] for d in got] == sorted(d["views"] for d in got)[::-1], "sort by views, largest first"


def _bad_inputs(author: str, tag: str) -> list:
    return [
        {"author": {"$ne": None}},
        {"author": {"$regex": "."}},
        {"author": [author]},
        {"tag": {"$in": [tag]}},
        {"author": 5},
        {"author": None},
        {"tag": 3},
        {"tag": None},
        {"author": True},
        {"min_views": "50"},
        {"min_views": True},
        {"min_views": {"$gt": 0}},
        {"min_views": 5.5},
        {"min_views": 50.0},
        {"$where": "true"},
        {"author": author, "published": False},
    ]


@exercises.add(
    "safe_post_filter",
    "safe_post_filter(data): a find() filter from optional author, tag (strings) and min_views (an int; "
    "a float such as 50.0 is refused); ValueError for anything else",
    hint="Start from an empty dict and add one condition per key you allow; check each value's type "
    "with isinstance (bool is a subclass of int!), and refuse keys you do not know.",
)
def _(answer):
    with _checker_posts() as (tag, author):
        asks = [
            {"author": author},
            {"tag": tag},
            {"tag": tag, "min_views": 50},
            {"author": author, "min_views": 51},
            {"min_views": 200},
            {},
            {"author": "nobody-at-all"},
        ]
        for data in asks:
            query = answer(dict(data))
            truth = {"author": data.get("author", {"$exists": True}), "views": {"$gte": data.get("min_views", 0)}}
            if "tag" in data:
                truth["tags"] = data["tag"]
            want = sorted(p["_id"] for p in posts().find(truth))
            got = sorted(p["_id"] for p in posts().find(query))
            assert got == want, (
                f"safe_post_filter({data}) finds {len(got)} posts, not {len(want)}: author equal, "
                "tag in the tags array, views at least min_views ($gte); no key, no condition"
            )
        for bad in _bad_inputs(author, tag):
            try:
                answer(dict(bad))
            except ValueError:
                continue
            raise AssertionError(
                f"{bad} should raise ValueError: only the known keys, with plain values "
                "(strings; an int for min_views, not a float like 50.0)"
            )
