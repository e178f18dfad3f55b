"""Notebook 06's sample posts: fixed values, so every run prints the same results."""

from datetime import UTC, datetime

from course_project.lessons.mongodb_pymongo.posts import posts

AUTHORS = ["ada", "grace", "linus", "margaret"]
TOPICS = [
    ("Django and MongoDB", ["django", "mongodb"]),
    ("Indexes explained", ["mongodb", "performance"]),
    ("Python generators", ["python"]),
    ("Aggregation pipelines", ["mongodb"]),
    ("Testing Django views", ["django", "testing"]),
    ("Async Python", ["python", "async"]),
]


def reset_posts() -> int:
    """Drop the collection (and its indexes) and insert twelve posts."""
    posts().drop()
    docs = []
    for n in range(12):
        title, tags = TOPICS[n % len(TOPICS)]
        docs.append(
            {
                "title": f"{title} #{n + 1}",
                "content": f"Notes on {title.lower()}, part {n + 1}.",
                "author": AUTHORS[n % len(AUTHORS)],
                "tags": tags,
                "views": (n * 37) % 250,
                "published": n % 3 != 0,
                "created_at": datetime(2024, 1 + n % 6, 1 + n, 9, 0, tzinfo=UTC),
            }
        )
    posts().insert_many(docs)
    return posts().count_documents({})
