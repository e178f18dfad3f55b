"""Reference answers for notebook 06."""
from course_project.lessons.mongodb_pymongo.posts import posts


def titles_tagged(tag, min_views):
    return sorted(p["title"] for p in posts().find({"tags": tag, "views": {"$gte": min_views}}, {"title": 1}))


views_by_tag = [
    {"$unwind": "$tags"},
    {"$group": {"_id": "$tags", "views": {"$sum": "$views"}}},
    {"$sort": {"views": -1, "_id": 1}},
]


def safe_author_filter(data):
    author = data.get("author")
    if not isinstance(author, str):
        raise ValueError("author must be a string")
    return {"author": author}
