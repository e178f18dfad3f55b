"""Two writers on one SQLite file, run in lockstep so the outcome is the same every time.

Each writer opens a transaction, reads, then writes. The order is fixed with events:
A reads, B reads, A writes, then B writes while A is still committing.
"""
import threading

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
                Hit.objects.using(alias).count()          # a read inside the transaction
                my_read.set()
                other_read.wait(patience)                 # let the other writer read too
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
    return {**dict(sorted(outcome.items())),
            "rows": list(Hit.objects.using(alias).values_list("writer", flat=True))}
