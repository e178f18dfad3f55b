"""Reference answers for notebook 09."""

from course_project.lessons.hybrid_sql_mongo.documents import ProductAnalytics
from course_project.lessons.hybrid_sql_mongo.models import Product


def top_products(n):
    existing = dict(Product.objects.values_list("pk", "name"))  # PostgreSQL: which products exist
    top = ProductAnalytics.objects(product_id__in=list(existing)).order_by("-views", "product_id").limit(n)
    return [(existing[doc.product_id], doc.views) for doc in top]  # MongoDB: their counts, orphans left out


def record_search(product_id, term):
    ProductAnalytics.objects(product_id=product_id).update_one(upsert=True, push__searches=term)
