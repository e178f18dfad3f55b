"""The syllabus's MongoEngine documents, corrected: timezone-aware defaults instead of the
deprecated datetime.utcnow, a unique email, and indexes created on purpose (ensure_indexes)."""

from django.utils import timezone
from mongoengine import Document, EmbeddedDocument
from mongoengine.fields import (
    DateTimeField,
    DictField,
    EmailField,
    EmbeddedDocumentField,
    IntField,
    ListField,
    ReferenceField,
    StringField,
)


class Author(Document):
    name = StringField(required=True, max_length=100)
    email = EmailField(required=True, unique=True)
    bio = StringField()
    created_at = DateTimeField(default=timezone.now)

    meta = {"collection": "me_authors", "indexes": ["email"], "auto_create_index": False}


class Comment(EmbeddedDocument):
    author = StringField(required=True)
    content = StringField(required=True)
    created_at = DateTimeField(default=timezone.now)
    likes = IntField(default=0)


class BlogPost(Document):
    title = StringField(required=True, max_length=200)
    slug = StringField(required=True, unique=True)
    content = StringField(required=True)
    author = ReferenceField(Author)
    tags = ListField(StringField(max_length=50))
    comments = ListField(EmbeddedDocumentField(Comment))
    metadata = DictField()
    published = DateTimeField()
    created_at = DateTimeField(default=timezone.now)
    updated_at = DateTimeField(default=timezone.now)
    views = IntField(default=0)

    meta = {
        "collection": "me_blog_posts",
        "indexes": ["slug", "author", "tags", "-published"],
        "ordering": ["slug"],
        "auto_create_index": False,  # indexes are made by ensure_indexes(), on purpose
    }

    def __str__(self):
        return self.slug


class SyllabusNamed(Document):
    """The syllabus's MyDocument, as written but for its name and collection: two specs that both make name_1."""

    name = StringField()

    meta = {"collection": "me_syllabus_named", "indexes": ["name", {"fields": ["name"], "unique": True}]}


class UniqueNamed(Document):
    """The fix: one spec per index. (A field with unique=True says the same.)"""

    name = StringField()

    meta = {"collection": "me_unique_named", "indexes": [{"fields": ["name"], "unique": True}]}
