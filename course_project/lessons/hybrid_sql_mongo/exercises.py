"""Notebook 09's exercises (reference answers: solutions.py).

The checks make their own data: products in PostgreSQL with random names, view counts in MongoDB (above
any the notebook made, with a tie, and orphans: counts whose product is gone), and product ids no one
else uses. top_products runs with ProductAnalytics on a watched connection and Django's queries captured:
one query per store, and a find (or aggregate) whose limit is applied to documents that include orphans
fails: it is an over-fetch, however generous. record_search runs with ProductAnalytics switched to a connection the
checker watches (a PyMongo CommandListener): each call must send one update command and no read, so a
read-modify-save passes nowhere, not even inside a threading.Lock (other processes do not share it).
It is then called by several threads at once."""

import random
import uuid

import mongoengine
from django.db import connections
from django.test.utils import CaptureQueriesContext
from mongoengine.context_managers import switch_db
from pymongo import monitoring

from course_project.lessons.hybrid_sql_mongo.concurrency import run_together
from course_project.lessons.hybrid_sql_mongo.documents import ProductAnalytics
from course_project.lessons.hybrid_sql_mongo.models import Product
from course_project.runtime.checker import Exercises
from course_project.runtime.mongo import connect_mongoengine

exercises = Exercises("09_hybrid_sql_mongo")
SEARCHERS = 8  # threads that record a search of one new product at the same moment
SEEN = {"find", "aggregate", "getMore", "count", "distinct", "insert", "update", "delete", "findAndModify"}


class Commands(monitoring.CommandListener):
    """The read and write commands a client ran, by name, in order (a failed one, say a duplicate-key
    error retried, is not counted), and the finds and aggregates themselves."""

    def __init__(self):
        self.names, self.reads = [], []

    def started(self, event):
        if event.command_name in ("find", "aggregate"):
            self.reads.append(dict(event.command))

    def succeeded(self, event):
        if event.command_name in SEEN:
            self.names.append(event.command_name)

    def failed(self, event):
        pass

    def take(self) -> list:
        names, self.names = self.names, []
        return names

    def take_reads(self) -> list:
        reads, self.reads = self.reads, []
        return reads


def _one_update_each(names: list, calls: int):
    assert "findAndModify" not in names, (
        f"{calls} call(s) sent {names}: modify() is findAndModify, atomic too, but it returns the document; "
        "the task is one update command (update_one)"
    )
    assert names == ["update"] * calls, (
        f"{calls} call(s) sent {names}: each search must be one update command (an upsert with $push) and no read; "
        "a read then a save is a race, even inside a lock, since other processes do not share it"
    )


def _finds(names: list) -> int:
    return sum(name in ("find", "aggregate") for name in names)


def _limited_before_excluding(read: dict, orphans: list) -> int | None:
    """The limit of a find (or an aggregate's first $limit) if the documents it was applied to include
    orphans, else None: the limit then counts documents that are dropped afterwards, an over-fetch."""
    collection = ProductAnalytics._get_collection()
    only_orphans = {"product_id": {"$in": orphans}}
    if "find" in read:
        limit = abs(read.get("limit") or 0)
        if limit and collection.count_documents({"$and": [read.get("filter") or {}, only_orphans]}):
            return limit
        return None
    stages = list(read.get("pipeline") or [])
    for i, stage in enumerate(stages):
        if "$limit" in stage:
            ahead = [*stages[:i], {"$match": only_orphans}, {"$limit": 1}]
            return stage["$limit"] if list(collection.aggregate(ahead)) else None
    return None


def _watched(alias_prefix: str) -> tuple:
    """A MongoEngine alias whose commands a Commands listener records."""
    commands, alias = Commands(), f"{alias_prefix}-{uuid.uuid4().hex[:6]}"
    connect_mongoengine(alias, listeners=(commands,))
    return commands, alias


@exercises.add(
    "top_products",
    "top_products(n): the n most viewed existing products as (name, views), one query per store",
    hint="Orphans (analytics whose product was deleted) must not count, and must not take a place "
    "in the n: ask PostgreSQL which products exist (one query), then MongoDB for the most viewed "
    "among them (one find: product_id__in, order_by, limit), and join in Python.",
)
def _(answer):
    connect_mongoengine()
    tag, rng = uuid.uuid4().hex[:6], random.Random()
    base = 10**6 + rng.randint(0, 10**5)  # above every count the notebook made
    # products whose analytics outlive them (orphans), created among the real ones so that their ids
    # interleave, then deleted; the real ones named in the opposite order to their ids, so that a tie broken
    # by name comes out wrong
    roles = ["live"] * 6 + ["gone"] * rng.randint(20, 30)
    rng.shuffle(roles)
    made = [(role, Product.objects.create(name=f"Checker {role} {tag}", price="1.00")) for role in roles]
    products = [p for role, p in made if role == "live"]
    for i, p in enumerate(products):
        p.name = f"Checker {9 - i} {tag}"
        p.save(update_fields=["name"])
    gone = [p.pk for role, p in made if role == "gone"]
    Product.objects.filter(pk__in=gone).delete()
    counted = products[:5]  # the sixth has no analytics document
    views = {p.pk: v for p, v in zip(counted[:4], rng.sample(range(base, base + 1000), 4), strict=True)}
    views[counted[4].pk] = max(views.values())  # a tie for first place: the lower product id comes first
    # the most viewed, their products gone: more of them than a small over-fetch (limit(2 * n), n + 5) skips;
    # a bigger one (limit(100)) is caught by its command: its limit was applied before the orphans were excluded
    orphans = {product_id: base + 5000 + i for i, product_id in enumerate(gone)}
    for product_id, n in {**views, **orphans}.items():
        ProductAnalytics.objects(product_id=product_id).update_one(upsert=True, set__views=n)
    names = {p.pk: p.name for p in counted}
    ranking = [(names[pk], views[pk]) for pk in sorted(views, key=lambda pk: (-views[pk], pk))]
    commands, alias = _watched("check09top")
    try:
        for n in rng.sample(range(2, 6), 2):
            with switch_db(ProductAnalytics, alias), CaptureQueriesContext(connections["default"]) as queries:
                got = answer(n)
            sent, reads = commands.take(), commands.take_reads()
            assert [tuple(row) for row in got] == ranking[:n], (
                f"top_products({n}) returned {got}; expected {ranking[:n]}: n rows, the most viewed first, ties "
                "by product id, and no orphan (analytics whose product is gone) takes a place, however many"
            )
            assert len(queries) == 1, (
                f"top_products({n}) ran {len(queries)} PostgreSQL queries: one query per store, never one per product"
            )
            assert _finds(sent) == 1, (
                f"top_products({n}) sent {sent} to MongoDB: one query per store, never one per product"
            )
            for read in reads:
                limit = _limited_before_excluding(read, list(orphans))
                assert limit is None, (
                    f"top_products({n}) sent a limit of {limit} whose documents include orphans: an over-fetch, "
                    "which returns fewer than n rows once more orphans lead than you fetched; limit only among "
                    "the products that exist (product_id__in)"
                )
    finally:
        mongoengine.disconnect(alias)
        ProductAnalytics.objects(product_id__in=[*views, *orphans]).delete()
        Product.objects.filter(pk__in=[p.pk for _, p in made]).delete()


@exercises.add(
    "record_search",
    "record_search(product_id, term): push the term, upserting, atomically",
    hint="Look at count_view(): one update_one(upsert=True, ...) creates the document when it is "
    "missing and changes it on the server. Which update operator appends to a list, keeping repeats?",
)
def _(answer):
    connect_mongoengine()
    ProductAnalytics.ensure_indexes()  # the unique index on product_id, as in the notebook
    product_id = random.randint(10**6, 10**7)  # an id the notebook never uses
    docs = ProductAnalytics.objects(product_id=product_id)
    docs.delete()
    commands, alias = _watched("check09")
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
    views, clicks = random.randint(2, 999), [{"x": random.randint(0, 99)}]
    ProductAnalytics(product_id=product_id, views=views, click_data=clicks).save()  # what the product has already
    try:
        answer(product_id, "lamp")
        answer(product_id, "desk lamp")
        answer(product_id, "lamp")
        assert docs.count() == 1, f"expected one document for the product, found {docs.count()}"
        doc = docs.first()
        assert (doc.views, doc.click_data) == (views, clicks), (
            f"the product had {views} views and clicks {clicks}; after three searches: {doc.views} views and "
            f"clicks {doc.click_data}. Recording a search changes `searches` only"
        )
        searches = doc.searches
        assert searches == ["lamp", "desk lamp", "lamp"], (
            f"got {searches}: every search in order, repeats too ($push, not $addToSet)"
        )
        docs.delete()
        try:
            run_together(SEARCHERS, lambda i, start: (start.wait(), answer(product_id, f"term {i}")))
        except Exception as error:
            raise AssertionError(
                f"{SEARCHERS} first searches at once: {type(error).__name__}: {error}; "
                "one upsert with $push does it atomically"
            ) from None
        terms = sorted(t for d in docs for t in d.searches)
        assert docs.count() == 1 and terms == sorted(f"term {i}" for i in range(SEARCHERS)), (
            f"{SEARCHERS} first searches at once left {docs.count()} document(s) with {len(terms)} terms: "
            "one upsert with $push does it atomically"
        )
    finally:
        docs.delete()
