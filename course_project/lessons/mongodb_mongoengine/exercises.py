"""Notebook 07's exercises (reference answers: solutions.py).

Each check makes its own posts (random slugs, views and comment counts it chooses), calls the
learner's function on them, and removes them again:

- both run while the course's CommandListener (runtime.mongo.COMMANDS) records the commands sent,
  so "one query", "filtered on the server", "one update and no read" are counted, not trusted;
- popular_slugs is asked at several thresholds, with posts exactly on each side of them;
- add_comment is called by several threads at once on one post: every comment must arrive.
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
        BlogPost(title=slug, slug=slug, content="made by the checker", views=views,
                 comments=[Comment(author=f"c{k}", content="...") for k in range(n_comments)]).save()
        slugs.append(slug)
    return slugs


def _boundary_shapes(min_views: int, min_comments: int, rng: random.Random) -> list:
    """(views, comments) exactly on and just below each threshold, and some that are plainly neither."""
    return [(min_views, 0), (min_views - 1, min_comments - 1), (min_views - 1, min_comments), (0, min_comments - 1),
            (min_views, min_comments)] + [(rng.randint(0, min_views - 1), rng.randint(0, min_comments - 1))
                                          for _ in range(8)]


@exercises.add("popular_slugs",
               "popular_slugs(min_views, min_comments): sorted slugs of the posts with at least min_views views or "
               "at least min_comments comments, in one query filtered on the server",
               hint="Combine two conditions with Q(...) | Q(...). 'At least n comments' means the list has an "
                    "element at index n - 1; build the keyword (comments__<n-1>__exists) as a string and pass it "
                    "with **{...}.")
def _(answer):
    connect_mongoengine()
    prefix = f"check-{uuid.uuid4().hex[:6]}"
    rng = random.Random()
    thresholds = [(100, 10), (rng.randint(20, 60), rng.randint(2, 6))]
    for n, (min_views, min_comments) in enumerate(thresholds):
        _make_posts(f"{prefix}{n}", _boundary_shapes(min_views, min_comments, rng))
    try:
        for min_views, min_comments in thresholds:
            expected = sorted(p.slug for p in BlogPost.objects
                              if p.views >= min_views or len(p.comments) >= min_comments)
            with COMMANDS.watch() as sent:
                got = list(answer(min_views, min_comments))
            wrong = sorted(set(got) ^ set(expected))
            assert got == expected, (
                f"popular_slugs({min_views}, {min_comments}): {len(got)} slugs, not {len(expected)}"
                + (f"; look at {wrong[0]}" if wrong else ", or not sorted")
                + f" (the checker's posts sit exactly on the thresholds: 'at least' includes them)")
            reads = [c for c in sent if c.name in READS]
            queries = [c.name for c in reads if c.name != "getMore"]  # getMore continues a query's cursor
            assert queries, "no query reached the server through BlogPost.objects"
            assert len(queries) == 1, f"one query, please: you sent {len(queries)} ({queries})"
            returned = sum(c.returned for c in reads)
            assert returned <= len(expected), (
                f"filter on the server: it sent back {returned} posts for {len(expected)} popular ones")
    finally:
        BlogPost.objects(slug__startswith=prefix).delete()


@exercises.add("add_comment", "add_comment(slug, author, content): push a comment on the server, in one update",
               hint="Let the server append to the list: an update on a queryset filtered by slug, with push__comments. "
                    "No get(), no reload(), no save(): any read makes a race, even inside a lock.")
def _(answer):
    connect_mongoengine()
    (slug,) = _make_posts(f"check-{uuid.uuid4().hex[:6]}", [(0, random.randint(1, 3))])
    other = BlogPost.objects(slug__ne=slug).first()
    other_before = len(other.comments) if other else 0
    try:
        with COMMANDS.watch() as sent:
            answer(slug, "solo", "the first comment")
        names = [c.name for c in sent]
        assert names == ["update"], (f"one update command and no read, please: your function sent {names or 'nothing'}"
                                     " (a read-modify-save loses comments, even inside a threading.Lock: another "
                                     "process does not share your lock)")
        _many_writers(answer, slug)
        post = BlogPost.objects.get(slug=slug)
        got = sorted((c.author, c.content) for c in post.comments if c.author.startswith("writer"))
        want = sorted((f"writer{i}", f"comment {i}") for i in range(WRITERS))
        assert got == want, (f"{WRITERS} threads commented at once and {len(got)} comments arrived: "
                             "add it on the server ($push), not by saving the whole list")
        assert len(post.comments) > WRITERS + 1, "the post's earlier comments are gone"
        if other:
            assert len(other.reload().comments) == other_before, "only the post with that slug may change"
    finally:
        BlogPost.objects(slug=slug).delete()


def _many_writers(answer, slug):
    def write(i, barrier):
        barrier.wait()  # every thread starts at the same moment
        answer(slug, f"writer{i}", f"comment {i}")

    run_together(WRITERS, write)  # re-raises the first error
