"""Notebook 09's exercises (reference answers: solutions.py)."""
from course_project.runtime.checker import Exercises
from course_project.lessons.hybrid_sql_mongo.documents import ProductAnalytics
from course_project.lessons.hybrid_sql_mongo.models import Product

exercises = Exercises("09_hybrid_sql_mongo")


@exercises.add("views_of", "views_of(product_name): the view count from MongoDB, 0 if none")
def _(answer):
    products = list(Product.objects.all())
    assert products, "run the notebook's first sections: they create the products"
    for product in products:
        doc = ProductAnalytics.objects(product_id=product.pk).first()
        expected = doc.views if doc else 0
        assert answer(product.name) == expected, f"{product.name}: expected {expected}"


@exercises.add("record_search", "record_search(product_id, term): push the term, upserting")
def _(answer):
    product_id = 987654  # a product id the notebook never uses
    ProductAnalytics.objects(product_id=product_id).delete()
    answer(product_id, "lamp")
    answer(product_id, "desk lamp")
    docs = ProductAnalytics.objects(product_id=product_id)
    try:
        assert docs.count() == 1 and docs.first().searches == ["lamp", "desk lamp"], "one document, both terms in order"
    finally:
        docs.delete()
