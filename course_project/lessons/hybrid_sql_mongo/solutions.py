"""Reference answers for notebook 09."""
from course_project.lessons.hybrid_sql_mongo.documents import ProductAnalytics
from course_project.lessons.hybrid_sql_mongo.models import Product


def views_of(product_name):
    product = Product.objects.get(name=product_name)
    doc = ProductAnalytics.objects(product_id=product.pk).first()
    return doc.views if doc else 0


def record_search(product_id, term):
    ProductAnalytics.objects(product_id=product_id).update_one(upsert=True, push__searches=term)
