"""Recording views in MongoDB without letting MongoDB take the product page down."""

import logging

import pymongo
from django.db import transaction
from mongoengine.errors import OperationError
from pymongo.errors import PyMongoError

from course_project.lessons.hybrid_sql_mongo.concurrency import count_view
from course_project.lessons.hybrid_sql_mongo.documents import Activity, ProductAnalytics, UserActivity
from course_project.runtime.mongo import connect_mongoengine

log = logging.getLogger("course_project.lessons.hybrid_sql_mongo")
ANALYTICS_BUDGET = 1.0  # seconds a page view may spend on analytics (pymongo's client-side timeout)
ACTIVITY_CAP = 500  # the most recent activities kept per user: a document may not outgrow 16 MB


def log_activity(user_id: int, activity: Activity, keep: int = ACTIVITY_CAP):
    """Append one activity to the user's document (created if missing), keeping only the last `keep`:
    $push with $each and $slice, one atomic upsert."""
    UserActivity.objects(user_id=user_id).update_one(
        upsert=True, __raw__={"$push": {"activities": {"$each": [activity.to_mongo()], "$slice": -keep}}}
    )


def record_view(product, user) -> int | None:
    """Count the view (atomic upsert) and log the user's activity; None if MongoDB is unavailable or too slow.
    MongoEngine re-raises every OperationFailure of an update (ExecutionTimeout among them) as its own
    OperationError."""
    connect_mongoengine()
    try:
        with pymongo.timeout(ANALYTICS_BUDGET):
            count_view(product.pk)
            views = ProductAnalytics.objects(product_id=product.pk).scalar("views").first()
            if user.is_authenticated:
                activity = Activity(
                    action="view_product", metadata={"product_id": product.pk, "product_name": product.name}
                )
                log_activity(user.pk, activity)
        return views
    except (PyMongoError, OperationError) as error:
        log.warning("analytics unavailable, view of product %s not counted: %s", product.pk, type(error).__name__)
        return None


def purge_orphans() -> int:
    """The periodic job: delete analytics whose product no longer exists in PostgreSQL."""
    from course_project.lessons.hybrid_sql_mongo.models import Product

    connect_mongoengine()
    tracked = set(ProductAnalytics.objects.distinct("product_id"))
    existing = set(Product.objects.filter(pk__in=tracked).values_list("pk", flat=True))
    orphans = sorted(tracked - existing)
    return ProductAnalytics.objects(product_id__in=orphans).delete() if orphans else 0


def delete_analytics_of(sender, instance, using, **kwargs):
    """A post_delete receiver. Django sends post_delete inside the delete's transaction, and an outer
    transaction may still roll the delete back: so the analytics go only once it commits (on_commit)."""
    product_id = instance.pk
    transaction.on_commit(lambda: delete_analytics(product_id), using=using)


def delete_analytics(product_id: int):
    """Delete one product's analytics, best effort (purge_orphans still catches what this misses)."""
    connect_mongoengine()
    try:
        with pymongo.timeout(ANALYTICS_BUDGET):
            ProductAnalytics.objects(product_id=product_id).delete()
    except PyMongoError as error:
        log.warning("could not delete analytics of product %s: %s", product_id, type(error).__name__)
