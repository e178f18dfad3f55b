"""Reference answers for notebook 08."""

from django.db import connections

from course_project.lessons.mongodb_django_orm.models import Entry


def commenters_of(author_name):
    entries = Entry.objects.filter(author__name=author_name)  # the foreign key, joined with $lookup
    return sorted({comment.author_name for entry in entries for comment in entry.comments})


def liked_by(commenter, min_likes):
    collection = connections["mongodb"].database[Entry._meta.db_table]
    one_comment = {"$elemMatch": {"author_name": commenter, "likes": {"$gte": min_likes}}}
    return sorted(doc["headline"] for doc in collection.find({"comments": one_comment}, {"headline": 1}))
