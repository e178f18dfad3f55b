"""Two connections on one SQLite file, run in lockstep with events so the outcome is the same every time.

two_writers: each writer opens a transaction, reads, then writes. A reads, B reads, A writes, then
B writes while A is still committing.
reader_and_writer: a reader keeps a transaction open while a writer commits.
"""

import threading
import time

from django.db import OperationalError, connections, transaction

from course_project.lessons.sqlite.models import Hit


def two_writers(alias: str, patience: float = 1.0) -> dict:
    """Run writers A and B against `alias`; return each one's outcome and the rows written."""
    Hit.objects.using(alias).all().delete()
    a_read, b_read, a_wrote = threading.Event(), threading.Event(), threading.Event()
    outcome = {}

    def writer(name, my_read, other_read, before_write):
        try:
            with transaction.atomic(using=alias):
                Hit.objects.using(alias).count()  # a read inside the transaction
                my_read.set()
                other_read.wait(patience)  # let the other writer read too
                before_write.wait(patience)
                Hit.objects.using(alias).create(writer=name)
                if name == "A":
                    a_wrote.set()
            outcome[name] = "committed"
        except OperationalError as error:
            outcome[name] = f"OperationalError: {error}"
        finally:
            connections[alias].close()

    always = threading.Event()
    always.set()
    a = threading.Thread(target=writer, args=("A", a_read, b_read, always))
    b = threading.Thread(target=writer, args=("B", b_read, a_read, a_wrote))
    a.start()
    a_read.wait(patience)  # A's transaction starts first
    b.start()
    a.join()
    b.join()
    return {**dict(sorted(outcome.items())), "rows": list(Hit.objects.using(alias).values_list("writer", flat=True))}


def reader_and_writer(alias: str, patience: float = 3.0) -> dict:
    """A reader opens a transaction and counts the rows; while it stays open, a writer adds a row and
    commits. Returns the writer's outcome, how long its commit took, and the reader's two counts."""
    Hit.objects.using(alias).all().delete()
    reading, writer_done = threading.Event(), threading.Event()
    outcome = {}

    def reader():
        try:
            with transaction.atomic(using=alias):
                first = Hit.objects.using(alias).count()
                reading.set()
                writer_done.wait(patience)  # hold the read transaction open
                outcome["reader saw"] = [first, Hit.objects.using(alias).count()]
        finally:
            connections[alias].close()

    def writer():
        reading.wait(patience)
        start = time.monotonic()
        try:
            with transaction.atomic(using=alias):
                Hit.objects.using(alias).create(writer="W")
            outcome["writer"] = "committed"
        except OperationalError as error:
            outcome["writer"] = f"OperationalError: {error}"
        finally:
            outcome["writer took"] = time.monotonic() - start
            writer_done.set()
            connections[alias].close()

    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome
