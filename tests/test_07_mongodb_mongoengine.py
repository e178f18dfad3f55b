"""MongoEngine documents against the live server: indexes, CRUD, embedded updates, queries."""

import threading

import pytest
from exercise_checks import accepts, assert_stubs_match, rejects
from mongoengine.errors import InvalidQueryError, NotUniqueError
from mongoengine.queryset.visitor import Q
from pymongo.errors import OperationFailure

from course_project.lessons.mongodb_mongoengine import solutions
from course_project.lessons.mongodb_mongoengine.documents import Author, BlogPost, Comment, SyllabusNamed, UniqueNamed
from course_project.lessons.mongodb_mongoengine.exercises import exercises
from course_project.lessons.mongodb_mongoengine.sample import reset


@pytest.fixture
def posts():
    reset()
    BlogPost.ensure_indexes()
    Author.ensure_indexes()
    yield BlogPost.objects
    Author.drop_collection()
    BlogPost.drop_collection()


def test_indexes_from_meta_and_unique_fields(posts):
    info = BlogPost._get_collection().index_information()
    assert {"slug_1", "author_1", "tags_1", "published_-1"} <= set(info)
    assert info["slug_1"]["unique"] and info["published_-1"]["key"] == [("published", -1)]


def test_duplicate_slug_raises_not_unique(posts):
    with pytest.raises(NotUniqueError):
        BlogPost(title="x", slug="indexes-101", content="x").save()


def test_inc_is_atomic_and_embedded_updates_in_place(posts):
    post = posts.get(slug="embedded-documents")
    post.update(inc__views=5)
    post.update(inc__comments__0__likes=2)
    BlogPost.objects(slug=post.slug).update_one(push__comments=Comment(author="z", content="z"))
    post.reload()
    assert post.views == 45 and post.comments[0].likes == 2 and len(post.comments) == 4


def test_the_syllabus_size_range_query_is_invalid_or_wrong(posts):
    with pytest.raises(InvalidQueryError):
        list(posts(Q(views__gte=100) | Q(comments__size__gte=10)))
    assert posts(tags__size__gte=2)._query == {"tags.size": {"$gte": 2}}
    assert posts(tags__size__gte=2).count() == 0 < sum(len(p.tags) >= 2 for p in posts)


def test_index_nine_exists_means_ten_or_more_comments(posts):
    expected = sorted(p.slug for p in posts if len(p.comments) >= 10)
    assert (
        sorted(posts(comments__9__exists=True).values_list("slug")) == expected == ["django-and-nosql", "indexes-101"]
    )


def test_defaults_are_timezone_aware(posts):
    stored = BlogPost._get_collection().find_one({"slug": "indexes-101"})["created_at"]
    assert stored.utcoffset().total_seconds() == 0


def test_the_syllabus_two_specs_for_one_index_leave_no_unique_index():
    SyllabusNamed.drop_collection()
    try:
        with pytest.raises(OperationFailure, match="same name"):
            SyllabusNamed(name="ada").save()
        SyllabusNamed(name="ada").save()
        SyllabusNamed(name="ada").save()
        assert SyllabusNamed.objects(name="ada").count() == 2
        assert not SyllabusNamed._get_collection().index_information()["name_1"].get("unique")
    finally:
        SyllabusNamed.drop_collection()


def test_one_unique_spec_refuses_a_duplicate():
    UniqueNamed.drop_collection()
    try:
        UniqueNamed(name="ada").save()
        with pytest.raises(NotUniqueError):
            UniqueNamed(name="ada").save()
    finally:
        UniqueNamed.drop_collection()


def test_popular_slugs_reference_passes(posts):
    accepts(exercises, "popular_slugs", solutions.popular_slugs)


def test_popular_slugs_reference_passes_without_the_sample_posts(posts):
    BlogPost.drop_collection()  # another notebook (11) drops them: the checker brings its own boundaries
    accepts(exercises, "popular_slugs", solutions.popular_slugs)


def test_popular_slugs_constant_fails(posts):
    constant = solutions.popular_slugs(100, 10)
    rejects(exercises, "popular_slugs", lambda min_views, min_comments: constant, hint="slugs, not")


def greater_than(min_views, min_comments):
    """Off by one on both sides: 'more than' instead of 'at least'."""
    return sorted(
        BlogPost.objects(Q(views__gt=min_views) | Q(**{f"comments__{min_comments}__exists": True})).values_list("slug")
    )


def test_popular_slugs_wrong_answers_fail_with_their_hint(posts):
    rejects(exercises, "popular_slugs", greater_than, hint="'at least' includes them")
    rejects(
        exercises,
        "popular_slugs",
        lambda v, c: sorted(BlogPost.objects(views__gte=v).values_list("slug")),
        hint="slugs, not",
    )
    rejects(
        exercises,
        "popular_slugs",  # fixed at the syllabus's thresholds
        lambda v, c: sorted(BlogPost.objects(Q(views__gte=100) | Q(comments__9__exists=True)).values_list("slug")),
        hint="slugs, not",
    )
    rejects(
        exercises,
        "popular_slugs",
        lambda v, c: sorted(p.slug for p in BlogPost.objects if p.views >= v or len(p.comments) >= c),
        hint="filter on the server",
    )
    rejects(
        exercises,
        "popular_slugs",
        lambda v, c: sorted(
            set(BlogPost.objects(views__gte=v).values_list("slug"))
            | set(BlogPost.objects(**{f"comments__{c - 1}__exists": True}).values_list("slug"))
        ),
        hint="one query",
    )
    rejects(
        exercises,
        "popular_slugs",
        lambda v, c: list(BlogPost.objects(Q(views__gte=v) | Q(comments__size__gte=c))),
        hint="InvalidQueryError",
    )


def like_by_saving(slug, author):
    """Read the post, add one to the comment's likes, save it back."""
    post = BlogPost.objects.get(slug=slug)
    for comment in post.comments:
        if comment.author == author:
            comment.likes += 1
            break
    post.save()


LOCK = threading.Lock()


def like_in_a_lock(slug, author):
    """Read-modify-save inside a lock: safe among these threads, not among processes."""
    with LOCK:
        like_by_saving(slug, author)


def like_after_checking(slug, author):
    """The right update, after a needless read."""
    if BlogPost.objects(slug=slug, comments__author=author).count():
        solutions.like_comment(slug, author)


def test_like_comment_reference_passes_and_its_posts_are_removed(posts):
    accepts(exercises, "like_comment", solutions.like_comment)
    assert not BlogPost.objects(slug__startswith="check-")


def test_like_comment_constant_and_wrong_answers_fail(posts):
    rejects(exercises, "like_comment", lambda slug, author: None, hint="sent nothing")
    rejects(exercises, "like_comment", like_by_saving, hint="one update command and no read")
    rejects(exercises, "like_comment", like_in_a_lock, hint="even inside a threading.Lock")
    rejects(exercises, "like_comment", like_after_checking, hint="one update command and no read")
    rejects(
        exercises,
        "like_comment",  # an update, not findAndModify (which the server refuses here with $)
        lambda slug, author: BlogPost.objects(slug=slug, comments__author=author).modify(inc__comments__S__likes=1),
        hint="findAndModify",
    )
    rejects(
        exercises,
        "like_comment",  # the first comment, as in the notebook's comments__0__likes
        lambda slug, author: BlogPost.objects(slug=slug).update_one(inc__comments__0__likes=1),
        hint="not by a fixed position",
    )
    rejects(
        exercises,
        "like_comment",  # no comment in the filter: the server cannot resolve $
        lambda slug, author: BlogPost.objects(slug=slug).update_one(inc__comments__S__likes=1),
        hint="positional operator",
    )
    rejects(
        exercises,
        "like_comment",  # sets instead of adding
        lambda slug, author: BlogPost.objects(slug=slug, comments__author=author).update_one(set__comments__S__likes=1),
        hint="do not set a value",
    )
    rejects(
        exercises,
        "like_comment",  # every post with a comment by that author
        lambda slug, author: BlogPost.objects(comments__author=author).update(inc__comments__S__likes=1),
        hint="only the post with that slug",
    )
    rejects(
        exercises,
        "like_comment",  # the first post with a comment by that author, whichever it is
        lambda slug, author: BlogPost.objects(comments__author=author).update_one(inc__comments__S__likes=1),
        hint="only the post with that slug",
    )


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "07_mongodb_mongoengine.ipynb")
