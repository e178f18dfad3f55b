"""Notebook 07's exercises (reference answers: solutions.py).

Each check makes its own posts (random slugs, views and comment counts it chooses), calls the
learner's function on them, and removes them again:

- popular_slugs runs with BlogPost switched to a connection the checker watches (a PyMongo
  CommandListener), so "one query" and "filtered on the server" are counted, not trusted;
- add_comment is called by several threads at once on one post: every comment must arrive.
"""
import random
import threading
import uuid

import mongoengine
from mongoengine.context_managers import switch_db
from pymongo import monitoring

from course_project.env import env
from course_project.lessons.mongodb_mongoengine.documents import BlogPost, Comment
from course_project.runtime.checker import Exercises
from course_project.runtime.mongo import TIMEOUTS, connect_mongoengine
from course_project.services.config import mongo_uri

exercises = Exercises("07_mongodb_mongoengine")
READS = {"find", "aggregate", "getMore", "count", "distinct"}
WRITERS = 10  # threads that comment on one post at the same moment


class Reads(monitoring.CommandListener):
    """The read commands a client sends, and how many documents the server sent back."""

    def __init__(self):
        self.commands, self.documents = [], 0

    def started(self, event):
        if event.command_name in READS:
            self.commands.append(event.command_name)

    def succeeded(self, event):
        cursor = event.reply.get("cursor", {}) if event.command_name in READS else {}
        self.documents += len(cursor.get("firstBatch", cursor.get("nextBatch", [])))

    def failed(self, event):
        pass


def _make_posts(prefix: str, shapes) -> list:
    """One post per (views, number of comments); returns their slugs."""
    slugs = []
    for i, (views, n_comments) in enumerate(shapes):
        slug = f"{prefix}-{i}"
        BlogPost(title=slug, slug=slug, content="made by the checker", views=views,
                 comments=[Comment(author=f"c{k}", content="...") for k in range(n_comments)]).save()
        slugs.append(slug)
    return slugs


def _watched(answer):
    """Call answer() with BlogPost on a connection the checker listens to."""
    reads, alias = Reads(), f"check07-{uuid.uuid4().hex[:6]}"
    mongoengine.connect(db=env("MONGO_DB"), host=mongo_uri(database=env("MONGO_DB")), alias=alias,
                        tz_aware=True, uuidRepresentation="standard", event_listeners=[reads], **TIMEOUTS)
    try:
        with switch_db(BlogPost, alias):
            return list(answer()), reads  # evaluated here, on the watched connection
    finally:
        mongoengine.disconnect(alias)


@exercises.add("popular_slugs", "sorted slugs of posts with 100+ views or 10+ comments, in one query")
def _(answer):
    connect_mongoengine()
    prefix = f"check-{uuid.uuid4().hex[:6]}"
    rng = random.Random()
    # popular by views, by comments, by both, and many that are neither (a loop in Python would fetch them)
    shapes = [(rng.randint(100, 500), rng.randint(0, 9)), (rng.randint(0, 99), rng.randint(10, 14)),
              (rng.randint(100, 500), 10)] + [(rng.randint(0, 99), rng.randint(0, 9)) for _ in range(12)]
    _make_posts(prefix, shapes)
    try:
        expected = sorted(p.slug for p in BlogPost.objects if p.views >= 100 or len(p.comments) >= 10)
        got, reads = _watched(answer)
        assert got == expected, (f"wrong slugs: with the checker's posts ({prefix}-*) the answer is "
                                 f"{len(expected)} slugs, you returned {len(got)}")
        assert reads.commands, "no query reached the server through BlogPost.objects"
        assert len(reads.commands) == 1, f"one query, please: you sent {len(reads.commands)} ({reads.commands})"
        assert reads.documents <= len(expected), (
            f"filter on the server: it sent back {reads.documents} posts for {len(expected)} popular ones")
    finally:
        BlogPost.objects(slug__startswith=prefix).delete()


@exercises.add("add_comment", "add_comment(slug, author, content): push a comment on the server, atomically")
def _(answer):
    connect_mongoengine()
    (slug,) = _make_posts(f"check-{uuid.uuid4().hex[:6]}", [(0, random.randint(1, 3))])
    other = BlogPost.objects(slug__ne=slug).first()
    other_before = len(other.comments) if other else 0
    start, errors = threading.Barrier(WRITERS), []

    def writer(i):
        start.wait()
        try:
            answer(slug, f"writer{i}", f"comment {i}")
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, f"{type(errors[0]).__name__}: {errors[0]}"
        post = BlogPost.objects.get(slug=slug)
        got = sorted((c.author, c.content) for c in post.comments if c.author.startswith("writer"))
        want = sorted((f"writer{i}", f"comment {i}") for i in range(WRITERS))
        assert got == want, (f"{WRITERS} threads commented at once and {len(got)} comments arrived: "
                             "add it on the server ($push), not by saving the whole list")
        assert len(post.comments) > WRITERS, "the post's earlier comments are gone"
        if other:
            assert len(other.reload().comments) == other_before, "only the post with that slug may change"
    finally:
        BlogPost.objects(slug=slug).delete()
