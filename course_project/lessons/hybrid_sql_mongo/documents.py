"""The analytics side of the hybrid app, in MongoDB (MongoEngine).

Syllabus fixes: DictField is imported, timestamps are timezone-aware, and each document is
unique per product or user (an index), so concurrent views update one document."""

from django.utils import timezone
from mongoengine import Document, EmbeddedDocument
from mongoengine.fields import DateTimeField, DictField, EmbeddedDocumentField, IntField, ListField, StringField


class Activity(EmbeddedDocument):
    action = StringField(required=True)
    timestamp = DateTimeField(default=timezone.now)
    metadata = DictField()


class UserActivity(Document):
    user_id = IntField(required=True, unique=True)  # a Django User's id, in PostgreSQL
    activities = ListField(EmbeddedDocumentField(Activity))

    meta = {"collection": "hybrid_user_activities", "auto_create_index": False}


class ProductAnalytics(Document):
    product_id = IntField(required=True, unique=True)  # a Product's id, in PostgreSQL
    views = IntField(default=0)
    searches = ListField(StringField())
    click_data = ListField(DictField())

    meta = {"collection": "hybrid_product_analytics", "auto_create_index": False}


class NaiveProductAnalytics(Document):
    """The same data without the unique index: what get-then-create does to it under load."""

    product_id = IntField(required=True)
    views = IntField(default=0)

    meta = {"collection": "hybrid_naive_analytics", "auto_create_index": False}


ALL = (UserActivity, ProductAnalytics, NaiveProductAnalytics)
