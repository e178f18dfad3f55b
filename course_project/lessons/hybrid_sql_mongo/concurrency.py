"""Many page views at once, in threads: get-then-create versus one atomic upsert."""

import threading

from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from course_project.lessons.hybrid_sql_mongo.documents import NaiveProductAnalytics, ProductAnalytics


def count_view(product_id: int):
    """$inc with upsert, backed by the unique index: two first views racing to insert the document
    cannot both insert. MongoDB (4.2+) retries the losing upsert itself, as an update, because the
    filter is one equality on the unique key and the update leaves that key alone. The loop is a
    safety net for a server or a filter where that does not apply: the loser then sees a
    duplicate-key error (nothing written), and its retry is a plain update."""
    for _ in range(5):
        try:
            ProductAnalytics.objects(product_id=product_id).update_one(upsert=True, inc__views=1)
            return
        except (NotUniqueError, DuplicateKeyError):
            continue
    raise RuntimeError(f"could not count a view of product {product_id}")


def run_together(threads: int, work):
    """work(i, barrier) in `threads` threads; barrier.wait() lines them up. Re-raises the first error."""
    barrier = threading.Barrier(threads)
    errors = []

    def target(i):
        try:
            work(i, barrier)
        except Exception as error:  # collected, re-raised below
            errors.append(error)

    pool = [threading.Thread(target=target, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)
    if errors:
        raise errors[0]


def naive_views(product_id: int, threads: int = 8) -> dict:
    """The syllabus's shape: look the document up, create it if missing, then count. The barrier
    makes every thread look before any creates, as simultaneous first requests do."""
    NaiveProductAnalytics.objects(product_id=product_id).delete()

    def work(i, barrier):
        found = NaiveProductAnalytics.objects(product_id=product_id).first()
        barrier.wait()
        if found is None:
            found = NaiveProductAnalytics(product_id=product_id).save()
        found.update(inc__views=1)

    run_together(threads, work)
    docs = NaiveProductAnalytics.objects(product_id=product_id)
    return {"documents": docs.count(), "views": sum(d.views for d in docs)}


def atomic_views(product_id: int, threads: int = 8, per_thread: int = 25) -> dict:
    ProductAnalytics.objects(product_id=product_id).delete()

    def work(i, barrier):
        barrier.wait()
        for _ in range(per_thread):
            count_view(product_id)

    run_together(threads, work)
    docs = ProductAnalytics.objects(product_id=product_id)
    return {"documents": docs.count(), "views": sum(d.views for d in docs)}
