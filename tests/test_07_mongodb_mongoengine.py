"""MongoEngine documents against the live server: indexes, CRUD, embedded updates, queries."""
import pytest
from mongoengine.errors import InvalidQueryError, NotUniqueError
from mongoengine.queryset.visitor import Q

from course_project.lessons.mongodb_mongoengine import solutions
from course_project.lessons.mongodb_mongoengine.documents import Author, BlogPost, Comment
from course_project.lessons.mongodb_mongoengine.exercises import exercises
from course_project.lessons.mongodb_mongoengine.sample import reset
from exercise_checks import accepts, assert_stubs_match, rejects


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
    assert sorted(posts(comments__9__exists=True).values_list("slug")) == expected == ["django-and-nosql",
                                                                                       "indexes-101"]


def test_defaults_are_timezone_aware(posts):
    stored = BlogPost._get_collection().find_one({"slug": "indexes-101"})["created_at"]
    assert stored.utcoffset().total_seconds() == 0


def test_popular_slugs_reference_passes(posts):
    accepts(exercises, "popular_slugs", solutions.popular_slugs)


def test_popular_slugs_constant_fails(posts):
    constant = solutions.popular_slugs()
    rejects(exercises, "popular_slugs", lambda: constant, hint="wrong slugs")


def test_popular_slugs_wrong_answers_fail_with_their_hint(posts):
    rejects(exercises, "popular_slugs", lambda: sorted(posts(views__gte=100).values_list("slug")),
            hint="wrong slugs")
    rejects(exercises, "popular_slugs",
            lambda: sorted(p.slug for p in BlogPost.objects if p.views >= 100 or len(p.comments) >= 10),
            hint="filter on the server")
    rejects(exercises, "popular_slugs",
            lambda: sorted(set(BlogPost.objects(views__gte=100).values_list("slug"))
                           | set(BlogPost.objects(comments__9__exists=True).values_list("slug"))),
            hint="one query")
    rejects(exercises, "popular_slugs", lambda: list(BlogPost.objects(Q(views__gte=100) | Q(comments__size__gte=10))),
            hint="InvalidQueryError")


def add_comment_by_saving(slug, author, content):
    """The syllabus's way: read the post, append, save the list back."""
    post = BlogPost.objects.get(slug=slug)
    post.comments.append(Comment(author=author, content=content))
    post.save()


def test_add_comment_reference_passes_and_its_post_is_removed(posts):
    accepts(exercises, "add_comment", solutions.add_comment)
    assert not BlogPost.objects(slug__startswith="check-")


def test_add_comment_constant_and_wrong_answers_fail(posts):
    rejects(exercises, "add_comment", lambda slug, author, content: None, hint="comments arrived")
    rejects(exercises, "add_comment", add_comment_by_saving, hint="add it on the server ($push)")
    rejects(exercises, "add_comment",
            lambda slug, author, content: BlogPost.objects(slug=slug).update_one(
                set__comments=[Comment(author=author, content=content)]),
            hint="comments arrived")


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "07_mongodb_mongoengine.ipynb")
