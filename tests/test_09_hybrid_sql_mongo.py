"""The hybrid app: products in PostgreSQL, analytics in MongoDB, failures contained."""
import pytest
from django.contrib.auth.models import User
from django.test import Client

from course_project import services
from course_project.lessons.hybrid_sql_mongo import solutions
from course_project.lessons.hybrid_sql_mongo.concurrency import atomic_views, naive_views
from course_project.lessons.hybrid_sql_mongo.documents import ALL, ProductAnalytics, UserActivity
from course_project.lessons.hybrid_sql_mongo.exercises import exercises
from course_project.lessons.hybrid_sql_mongo.models import Product
from course_project.lessons.hybrid_sql_mongo.tracking import purge_orphans
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


def test_solutions_pass_and_wrong_answers_fail(product):
    ProductAnalytics.objects(product_id=product.pk).update_one(upsert=True, inc__views=4)
    report = exercises.check(vars(solutions))
    assert report.all_passed, str(report)
    assert exercises.check({}).passed == 0
    wrong = {"views_of": lambda name: 1, "record_search": lambda pid, term: ProductAnalytics(product_id=pid).save()}
    assert exercises.check(wrong).passed == 0
