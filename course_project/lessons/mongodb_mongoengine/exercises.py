"""Notebook 07's exercises (reference answers: solutions.py).

Each check makes its own posts (random slugs, views and comment counts it chooses), calls the
learner's function on them, and removes them again:

- both run while the course's CommandListener (runtime.mongo.COMMANDS) records the commands sent,
  so "one query", "filtered on the server", "one update and no read" are counted, not trusted;
- popular_slugs is asked at several thresholds, with posts exactly on each side of them;
- like_comment is called by several threads at once on one comment: every like must count, and
  only the comment that author wrote may change.
"""

import random
import uuid

from course_project.lessons.hybrid_sql_mongo.concurrency import run_together
from course_project.lessons.mongodb_mongoengine.documents import BlogPost, Comment
from course_project.runtime.checker import Exercises
from course_project.runtime.mongo import COMMANDS, connect_mongoengine

exercises = Exercises("07_mongodb_mongoengine")
READS = {"find", "aggregate", "getMore", "count", "distinct"}
WRITERS = 10  # threads that comment on one post at the same moment


def _make_posts(prefix: str, shapes) -> list:
    """One post per (views, number of comments); returns their slugs."""
    slugs = []
    for i, (views, n_comments) in enumerate(shapes):
        slug = f"{prefix}-{i}"
        BlogPost(
            title=slug,
            slug=slug,
            content="made by the checker",
            views=views,
            comments=[Comment(author=f"c{k}", content="...") for k in range(n_comments)],
        ).save()
        slugs.append(slug)
    return slugs


def _boundary_shapes(min_views: int, min_comments: int, rng: random.Random) -> list:
    """(views, comments) exactly on and just below each threshold, and some that are plainly neither."""
    return [
        (min_views, 0),
        (min_views - 1, min_comments - 1),
        (min_views - 1, min_comments),
        (0, min_comments - 1),
        (min_views, min_comments),
    ] + [(rng.randint(0, min_views - 1), rng.randint(0, min_comments - 1)) for _ in range(8)]


@exercises.add(
    "popular_slugs",
    "popular_slugs(min_views, min_comments): sorted slugs of the posts with at least min_views views or "
    "at least min_comments comments, in one query filtered on the server",
    hint="Two alternatives in one filter: MongoEngine's Q objects combine with |. For 'at least n "
    "comments', ask whether the list has an element at a certain position; that position depends "
    "on n, so the keyword itself has to be built while the function runs.",
)
def _(answer):
    connect_mongoengine()
    prefix = f"check-{uuid.uuid4().hex[:6]}"
    rng = random.Random()
    thresholds = [(100, 10), (rng.randint(20, 60), rng.randint(2, 6))]
    for n, (min_views, min_comments) in enumerate(thresholds):
        _make_posts(f"{prefix}{n}", _boundary_shapes(min_views, min_comments, rng))
    try:
        for min_views, min_comments in thresholds:
            expected = sorted(
                p.slug for p in BlogPost.objects if p.views >= min_views or len(p.comments) >= min_comments
            )
            with COMMANDS.watch() as sent:
                got = list(answer(min_views, min_comments))
            wrong = sorted(set(got) ^ set(expected))
            assert got == expected, (
                f"popular_slugs({min_views}, {min_comments}): {len(got)} slugs, not {len(expected)}"
                + (f"; look at {wrong[0]}" if wrong else ", or not sorted")
                + " (the checker's posts sit exactly on the thresholds: 'at least' includes them)"
            )
            reads = [c for c in sent if c.name in READS]
            queries = [c.name for c in reads if c.name != "getMore"]  # getMore continues a query's cursor
            assert queries, "no query reached the server through BlogPost.objects"
            assert len(queries) == 1, f"one query, please: you sent {len(queries)} ({queries})"
            returned = sum(c.returned for c in reads)
            assert returned <= len(expected), (
                f"filter on the server: it sent back {returned} posts for {len(expected)} popular ones"
            )
    finally:
        BlogPost.objects(slug__startswith=prefix).delete()


@exercises.add(
    "like_comment",
    "like_comment(slug, author): add one like to the comment that author wrote on that post, on the "
    "server, in one update command and no read",
    hint="Filter the posts by slug and by the comment's author, so the server knows which comment "
    "matched; in the update's keyword, the positional operator S then stands for that comment. "
    "No get(), no reload(), no save().",
)
def _(answer):
    connect_mongoengine()
    prefix, n_comments = f"check-{uuid.uuid4().hex[:6]}", random.randint(3, 5)
    # The same authors on both posts, and the other post made first: an update without the slug in its
    # filter finds that one first.
    other, slug = _make_posts(prefix, [(0, n_comments), (0, n_comments)])
    authors = [c.author for c in BlogPost.objects.get(slug=slug).comments]
    target = random.choice(authors[1:])  # never the first comment: comments__0__ is not the answer
    try:
        with COMMANDS.watch() as sent:
            answer(slug, target)
        names = [c.name for c in sent]
        assert names == ["update"], (
            f"one update command and no read, please: your function sent {names or 'nothing'} (modify() sends "
            "findAndModify, which also reads; a read-modify-save "
            "loses likes, even inside a threading.Lock: another process does not share your lock)"
        )
        assert _mentions(sent[0].body["updates"][0]["q"], "slug", slug), (
            "only the post with that slug may change: put the slug in the update's filter (another post has a "
            "comment by the same author)"
        )
        _many_likes(answer, slug, target)
        answer(slug, "nobody")  # no comment by that author: nothing may change, and no error
        likes = {c.author: c.likes for c in BlogPost.objects.get(slug=slug).comments}
        wrong = [a for a in authors if a != target and likes[a]]
        assert not wrong, (
            f"the like went to {wrong[0]}'s comment, not {target}'s: the comment is chosen by its "
            "author (the filter), not by a fixed position"
        )
        assert likes[target], "no like arrived on the comment"
        assert likes[target] == WRITERS + 1, (
            f"{WRITERS + 1} likes (one, then {WRITERS} threads at once) and the comment has {likes[target]}: "
            "add one on the server ($inc), do not set a value"
        )
        assert not any(c.likes for c in BlogPost.objects.get(slug=other).comments), (
            "only the post with that slug may change: another post has a comment by the same author"
        )
    finally:
        BlogPost.objects(slug__startswith=prefix).delete()


def _mentions(query, field: str, value) -> bool:
    """Whether a filter document (with $and/$or nesting) sets field to value."""
    if isinstance(query, list):
        return any(_mentions(q, field, value) for q in query)
    if not isinstance(query, dict):
        return False
    return query.get(field) == value or any(_mentions(v, field, value) for k, v in query.items() if k != field)


def _many_likes(answer, slug, author):
    def like(i, barrier):
        barrier.wait()  # every thread starts at the same moment
        answer(slug, author)

    run_together(WRITERS, like)  # re-raises the first error
