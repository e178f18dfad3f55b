"""Notebook 07's sample data: fixed values, so every run prints the same results."""

from datetime import UTC, datetime

from course_project.lessons.mongodb_mongoengine.documents import Author, BlogPost, Comment
from course_project.runtime.mongo import connect_mongoengine

POSTS = [  # slug, views, number of comments, tags, published (month of 2024; None = draft)
    ("intro-to-mongoengine", 150, 0, ["mongodb", "python"], 1),
    ("embedded-documents", 40, 3, ["mongodb"], 2),
    ("django-and-nosql", 90, 10, ["django", "mongodb", "python"], 3),
    ("indexes-101", 300, 12, ["mongodb", "performance"], 4),
    ("schema-design", 20, 1, ["mongodb"], None),
    ("query-operators", 99, 9, ["mongodb", "python"], 5),
]


def reset() -> int:
    """Drop both collections (with their indexes) and insert the sample authors and posts."""
    connect_mongoengine()
    Author.drop_collection()
    BlogPost.drop_collection()
    ada = Author(name="Ada Lovelace", email="ada@example.com", bio="Notes on engines").save()
    for slug, views, n_comments, tags, month in POSTS:
        BlogPost(
            title=slug.replace("-", " ").title(),
            slug=slug,
            content=f"All about {slug}.",
            author=ada,
            tags=tags,
            views=views,
            metadata={"source": "sample"},
            published=datetime(2024, month, 15, tzinfo=UTC) if month else None,
            comments=[Comment(author=f"reader{i}", content=f"Comment {i}") for i in range(n_comments)],
        ).save()
    return BlogPost.objects.count()
