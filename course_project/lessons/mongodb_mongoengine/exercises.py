"""Notebook 07's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises
from course_project.lessons.mongodb_mongoengine.documents import BlogPost

exercises = Exercises("07_mongodb_mongoengine")


@exercises.add("popular_slugs", "sorted slugs of posts with 100+ views or 10+ comments, in one query")
def _(answer):
    expected = sorted(p.slug for p in BlogPost.objects if p.views >= 100 or len(p.comments) >= 10)
    assert expected, "load the sample posts first (section 2)"
    assert list(answer()) == expected, f"expected {expected}"


@exercises.add("add_comment", "add_comment(slug, author, content): push a comment on the server")
def _(answer):
    post = BlogPost.objects.order_by("slug").first()
    before = len(post.comments)
    answer(post.slug, "checker", "hello")
    post.reload()
    assert len(post.comments) == before + 1 and post.comments[-1].author == "checker", "the comment is not there"
    BlogPost.objects(id=post.id).update_one(pop__comments=1)  # undo
