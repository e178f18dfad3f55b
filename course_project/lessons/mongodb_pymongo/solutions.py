"""Reference answers for notebook 06."""

from course_project.lessons.mongodb_pymongo.posts import posts


def titles_tagged(tags, min_views):
    found = posts().find({"tags": {"$all": tags}, "views": {"$gte": min_views}}, {"_id": 0, "title": 1})
    return sorted(p["title"] for p in found)


views_by_tag = [
    {"$match": {"published": True}},
    {"$unwind": "$tags"},
    {"$group": {"_id": "$tags", "posts": {"$sum": 1}, "views": {"$sum": "$views"}}},
    {"$match": {"posts": {"$gte": 2}}},
    {"$sort": {"views": -1, "_id": 1}},
]


def safe_post_filter(data):
    data = dict(data)
    query = {}
    for key in ("author", "tag"):
        if key in data:
            value = data.pop(key)
            if not isinstance(value, str):
                raise ValueError(f"{key} must be a string")
            query["tags" if key == "tag" else "author"] = value
    if "min_views" in data:
        value = data.pop("min_views")
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("min_views must be a whole number")
        query["views"] = {"$gte": value}
    if data:
        raise ValueError(f"unknown fields: {sorted(data)}")
    return query
