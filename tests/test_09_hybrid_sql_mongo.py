"""The hybrid app: products in PostgreSQL, analytics in MongoDB, failures contained."""

import threading

import pytest
from django.contrib.auth.models import User
from django.test import Client
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project import services
from course_project.lessons.hybrid_sql_mongo import solutions, tracking
from course_project.lessons.hybrid_sql_mongo.concurrency import atomic_views, naive_views
from course_project.lessons.hybrid_sql_mongo.documents import ALL, Activity, ProductAnalytics, UserActivity
from course_project.lessons.hybrid_sql_mongo.exercises import exercises
from course_project.lessons.hybrid_sql_mongo.models import Product
from course_project.lessons.hybrid_sql_mongo.tracking import log_activity, purge_orphans
from course_project.runtime.mongo import connect_mongoengine

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture(autouse=True)
def analytics():
    connect_mongoengine()
    for document in ALL:
        document.drop_collection()
        document.ensure_indexes()
    yield
    for document in ALL:
        document.drop_collection()


@pytest.fixture
def product():
    return Product.objects.create(name="Lamp", price="10.00", stock=2)


def test_views_are_counted_and_activity_recorded_for_signed_in_users(product):
    anonymous, member = Client(), Client()
    member.force_login(User.objects.create_user("m"))
    assert "Viewed 1 time." in anonymous.get(f"/hybrid/products/{product.pk}/").content.decode()
    page = member.get(f"/hybrid/products/{product.pk}/").content.decode()
    assert "Viewed 2 times." in page and "Signed in as m." in page
    assert ProductAnalytics.objects.get(product_id=product.pk).views == 2
    assert [a.metadata["product_name"] for a in UserActivity.objects.get().activities] == ["Lamp"]


def test_missing_product_is_404():
    assert Client().get("/hybrid/products/999999/").status_code == 404


def test_get_then_create_duplicates_and_the_upsert_does_not():
    assert naive_views(1, threads=6) == {"documents": 6, "views": 6}
    assert atomic_views(2, threads=6, per_thread=20) == {"documents": 1, "views": 120}


def test_orphaned_analytics_are_purged(product):
    ProductAnalytics.objects(product_id=product.pk).update_one(upsert=True, inc__views=1)
    ProductAnalytics.objects(product_id=123456).update_one(upsert=True, inc__views=1)
    assert purge_orphans() == 1
    assert list(ProductAnalytics.objects.values_list("product_id")) == [product.pk]


@pytest.mark.timeout(60)
def test_the_page_renders_while_mongodb_is_down(product, restore_servers):
    services.down("mongodb")
    try:
        response = Client().get(f"/hybrid/products/{product.pk}/")
    finally:
        services.up("mongodb", quiet=True)
    assert response.status_code == 200 and "View count unavailable." in response.content.decode()


@pytest.mark.timeout(60)
def test_the_page_renders_while_mongodb_is_too_slow(product, monkeypatch):
    """A budget shorter than a round trip: PyMongo's ExecutionTimeout, which MongoEngine's update re-raises as
    its OperationError; the page still renders, without a count."""
    monkeypatch.setattr(tracking, "ANALYTICS_BUDGET", 1e-6)
    response = Client().get(f"/hybrid/products/{product.pk}/")
    assert response.status_code == 200 and "View count unavailable." in response.content.decode()


def test_top_products_reference_passes_and_leaves_no_data(product):
    accepts(exercises, "top_products", solutions.top_products)
    assert list(Product.objects.values_list("name", flat=True)) == ["Lamp"] and ProductAnalytics.objects.count() == 0


def top_products_as_in_the_report(n):
    """The notebook's report cell: the top n analytics, then the products: an orphan takes a place."""
    top = ProductAnalytics.objects.order_by("-views", "product_id").limit(n)
    catalogue = Product.objects.in_bulk([doc.product_id for doc in top])
    return [(catalogue[d.product_id].name, d.views) for d in top if d.product_id in catalogue]


def top_products_one_lookup_per_product(n):
    """Right rows, but one PostgreSQL query per analytics document."""
    rows = []
    for doc in ProductAnalytics.objects.order_by("-views", "product_id"):
        product = Product.objects.filter(pk=doc.product_id).first()
        if product and len(rows) < n:
            rows.append((product.name, doc.views))
    return rows


def top_products_over_fetched(n):
    """Fetch twice as many, then drop the orphans: fewer than n rows once n or more orphans lead."""
    top = list(ProductAnalytics.objects.order_by("-views", "product_id").limit(2 * n))
    names = Product.objects.in_bulk([d.product_id for d in top])
    return [(names[d.product_id].name, d.views) for d in top if d.product_id in names][:n]


def top_products_over_fetched_generously(extra):
    """Fetch a fixed, generous number more, then drop the orphans: right here, wrong once more orphans lead."""

    def top_products(n):
        top = list(ProductAnalytics.objects.order_by("-views", "product_id").limit(n + extra if extra else 100))
        names = Product.objects.in_bulk([d.product_id for d in top])
        return [(names[d.product_id].name, d.views) for d in top if d.product_id in names][:n]

    return top_products


def top_products_aggregate_over_fetched(n):
    """The same over-fetch as an aggregation: $sort, $limit 100, orphans dropped in Python."""
    pipeline = [{"$sort": {"views": -1, "product_id": 1}}, {"$limit": 100}]
    top = list(ProductAnalytics.objects.aggregate(pipeline))
    names = Product.objects.in_bulk([d["product_id"] for d in top])
    return [(names[d["product_id"]].name, d["views"]) for d in top if d["product_id"] in names][:n]


def top_products_in_a_range_of_live_ids(n):
    """Limit among the ids between the smallest and the largest live one: deleted ids lie in between."""
    existing = dict(Product.objects.values_list("pk", "name"))
    top = list(
        ProductAnalytics.objects(product_id__gte=min(existing), product_id__lte=max(existing))
        .order_by("-views", "product_id")
        .limit(100)
    )
    return [(existing[d.product_id], d.views) for d in top if d.product_id in existing][:n]


def top_products_filtered_in_python(n):
    """No limit on the server: every document, orphans dropped in Python. Correct, if not frugal."""
    existing = dict(Product.objects.values_list("pk", "name"))
    docs = ProductAnalytics.objects.order_by("-views", "product_id")
    return [(existing[d.product_id], d.views) for d in docs if d.product_id in existing][:n]


def test_top_products_unlimited_find_filtered_in_python_passes(product):
    accepts(exercises, "top_products", top_products_filtered_in_python)


def top_products_ties_by_name(n):
    existing = dict(Product.objects.values_list("pk", "name"))
    docs = ProductAnalytics.objects(product_id__in=list(existing))
    return sorted(((existing[d.product_id], d.views) for d in docs), key=lambda row: (-row[1], row[0]))[:n]


def test_top_products_constant_and_wrong_answers_fail(product):
    rejects(exercises, "top_products", lambda n: [("Keyboard", 43)] * n, hint="expected")
    rejects(exercises, "top_products", top_products_as_in_the_report, hint="no orphan")
    rejects(exercises, "top_products", top_products_one_lookup_per_product, hint="one query per store")
    rejects(exercises, "top_products", top_products_over_fetched, hint="however many")
    rejects(exercises, "top_products", top_products_over_fetched_generously(30), hint="over-fetch")
    rejects(exercises, "top_products", top_products_over_fetched_generously(None), hint="over-fetch")  # limit(100)
    rejects(exercises, "top_products", top_products_aggregate_over_fetched, hint="over-fetch")
    rejects(exercises, "top_products", top_products_in_a_range_of_live_ids, hint="over-fetch")
    rejects(exercises, "top_products", top_products_ties_by_name, hint="ties by product id")
    assert ProductAnalytics.objects.count() == 0


def record_search_by_saving(product_id, term):
    """Get, create if missing, append, save: fine alone, wrong under concurrent first searches."""
    doc = ProductAnalytics.objects(product_id=product_id).first() or ProductAnalytics(product_id=product_id).save()
    doc.searches.append(term)
    doc.save()


def test_record_search_reference_passes():
    accepts(exercises, "record_search", solutions.record_search)


def test_record_search_constant_and_wrong_answers_fail():
    rejects(exercises, "record_search", lambda product_id, term: None, hint="one update command")
    rejects(
        exercises,
        "record_search",
        lambda product_id, term: ProductAnalytics.objects(product_id=product_id).update_one(
            upsert=True, add_to_set__searches=term
        ),
        hint="not $addToSet",
    )
    rejects(exercises, "record_search", record_search_by_saving, hint="one update command")
    rejects(exercises, "record_search", record_search_in_a_lock, hint="even inside a lock")
    rejects(
        exercises,
        "record_search",
        lambda product_id, term: ProductAnalytics.objects(product_id=product_id).update_one(
            upsert=True, inc__views=1, push__searches=term
        ),
        hint="changes `searches` only",
    )
    rejects(
        exercises,
        "record_search",
        lambda product_id, term: ProductAnalytics.objects(product_id=product_id).update_one(
            upsert=True, push__searches=term, set__views=0
        ),
        hint="changes `searches` only",
    )
    rejects(
        exercises,
        "record_search",
        lambda product_id, term: ProductAnalytics.objects(product_id=product_id).modify(
            upsert=True, push__searches=term
        ),
        hint="findAndModify",
    )


_lock = threading.Lock()


def record_search_in_a_lock(product_id, term):
    """The read-modify-save made safe for threads of one process only: fails the one-update rule."""
    with _lock:
        record_search_by_saving(product_id, term)


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "09_hybrid_sql_mongo.ipynb")


def test_activities_are_capped_by_push_with_slice():
    activity = UserActivity.objects(user_id=7)
    for i in range(5):
        log_activity(7, Activity(action=f"a{i}"), keep=3)
    assert activity.count() == 1 and [a.action for a in activity.first().activities] == ["a2", "a3", "a4"]
