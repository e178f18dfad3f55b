"""Notebook 09's exercises (reference answers: solutions.py).

The checks make their own data: products in PostgreSQL with random names, view counts in MongoDB,
and product ids no one else uses. record_search runs with ProductAnalytics switched to a connection the
checker watches (a PyMongo CommandListener): each call must send one update command and no read, so a
read-modify-save passes nowhere, not even inside a threading.Lock (other processes do not share it).
It is then called by several threads at once."""
import random
import uuid

import mongoengine
from mongoengine.context_managers import switch_db
from pymongo import monitoring

from course_project.lessons.hybrid_sql_mongo.concurrency import run_together
from course_project.lessons.hybrid_sql_mongo.documents import ProductAnalytics
from course_project.lessons.hybrid_sql_mongo.models import Product
from course_project.runtime.checker import Exercises
from course_project.env import env
from course_project.runtime.mongo import TIMEOUTS, connect_mongoengine
from course_project.services.config import mongo_uri

exercises = Exercises("09_hybrid_sql_mongo")
SEARCHERS = 8  # threads that record a search of one new product at the same moment
SEEN = {"find", "aggregate", "getMore", "count", "distinct", "insert", "update", "delete", "findAndModify"}


class Commands(monitoring.CommandListener):
    """The read and write commands a client ran, by name, in order (a failed one, say a duplicate-key
    error retried, is not counted)."""

    def __init__(self):
        self.names = []

    def started(self, event):
        pass

    def succeeded(self, event):
        if event.command_name in SEEN:
            self.names.append(event.command_name)

    def failed(self, event):
        pass

    def take(self) -> list:
        names, self.names = self.names, []
        return names


def _one_update_each(names: list, calls: int):
    assert names == ["update"] * calls, (
        f"{calls} call(s) sent {names}: each search must be one update command (an upsert with $push) and no read; "
        "a read then a save is a race, even inside a lock, since other processes do not share it")


@exercises.add("views_of", "views_of(product_name): the view count from MongoDB, 0 if none",
               hint="Two stores, two lookups: the product's id from PostgreSQL (the ORM), then its analytics "
                    "document from MongoDB by product_id; .first() returns None when there is none.")
def _(answer):
    connect_mongoengine()
    tag = uuid.uuid4().hex[:6]
    viewed, also, unseen = [Product.objects.create(name=f"Checker {what} {tag}", price="1.00")
                            for what in ("lamp", "desk", "chair")]
    views = {viewed.pk: random.randint(2, 999), also.pk: random.randint(2, 999)}
    for product_id, n in views.items():
        ProductAnalytics.objects(product_id=product_id).update_one(upsert=True, set__views=n)
    try:
        for product in (viewed, also):
            assert answer(product.name) == views[product.pk], \
                f"{product.name!r} has {views[product.pk]} views in MongoDB"
        try:
            got = answer(unseen.name)
        except Exception as error:
            raise AssertionError(f"a product nobody viewed has no analytics document: return 0 "
                                 f"({type(error).__name__}: {error})") from None
        assert got == 0, f"{unseen.name!r} has no analytics document: expected 0, got {got!r}"
    finally:
        ids = [viewed.pk, also.pk, unseen.pk]
        ProductAnalytics.objects(product_id__in=ids).delete()
        Product.objects.filter(pk__in=ids).delete()


@exercises.add("record_search", "record_search(product_id, term): push the term, upserting, atomically",
               hint="Look at count_view(): one update_one(upsert=True, ...) creates the document when it is "
                    "missing and changes it on the server. Which update operator appends to a list, keeping repeats?")
def _(answer):
    connect_mongoengine()
    ProductAnalytics.ensure_indexes()  # the unique index on product_id, as in the notebook
    product_id = random.randint(10**6, 10**7)  # an id the notebook never uses
    docs = ProductAnalytics.objects(product_id=product_id)
    docs.delete()
    commands, alias = Commands(), f"check09-{uuid.uuid4().hex[:6]}"
    mongoengine.connect(db=env("MONGO_DB"), host=mongo_uri(database=env("MONGO_DB")), alias=alias, tz_aware=True,
                        uuidRepresentation="standard", event_listeners=[commands], **TIMEOUTS)
    try:
        with switch_db(ProductAnalytics, alias):
            for term in ("lamp", "desk lamp", "lamp"):
                answer(product_id, term)
                _one_update_each(commands.take(), 1)
            try:
                run_together(SEARCHERS, lambda i, start: (start.wait(), answer(product_id, f"term {i}")))
            except Exception as error:
                raise AssertionError(f"{SEARCHERS} searches at once: {type(error).__name__}: {error}") from None
            _one_update_each(commands.take(), SEARCHERS)
    finally:
        mongoengine.disconnect(alias)
    docs.delete()
    try:
        answer(product_id, "lamp")
        answer(product_id, "desk lamp")
        answer(product_id, "lamp")
        assert docs.count() == 1, f"expected one document for the product, found {docs.count()}"
        searches = docs.first().searches
        assert searches == ["lamp", "desk lamp", "lamp"], (
            f"got {searches}: every search in order, repeats too ($push, not $addToSet)")
        docs.delete()
        try:
            run_together(SEARCHERS, lambda i, start: (start.wait(), answer(product_id, f"term {i}")))
        except Exception as error:
            raise AssertionError(f"{SEARCHERS} first searches at once: {type(error).__name__}: {error}; "
                                 "one upsert with $push does it atomically") from None
        terms = sorted(t for d in docs for t in d.searches)
        assert docs.count() == 1 and terms == sorted(f"term {i}" for i in range(SEARCHERS)), (
            f"{SEARCHERS} first searches at once left {docs.count()} document(s) with {len(terms)} terms: "
            "one upsert with $push does it atomically")
    finally:
        docs.delete()
