"""Server-side cursors behind pgBouncer in transaction mode (notebook 10, section 3, and its checker)."""

import re
from contextlib import nullcontext

import psycopg
from django.db import connections, transaction

from course_project.lessons.connection_pooling.models import BenchRow


def iterate_while_busy(alias: str, in_transaction: bool = False) -> str:
    """Read BenchRow in chunks of 5 with `.iterator()` on `alias` (inside transaction.atomic if asked),
    while a second client holds a transaction open on the same server (pgBouncer): 'ok, N rows', or the
    error the iterator raised."""
    db = connections[alias].settings_dict
    other = psycopg.connect(
        host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], connect_timeout=3
    )
    try:
        with transaction.atomic(using=alias) if in_transaction else nullcontext():
            rows = BenchRow.objects.using(alias).order_by("value").iterator(chunk_size=5)
            next(rows)  # the first chunk: the cursor is declared on one server connection
            other.execute("SELECT 1")  # another client's transaction takes a free server connection:
            # outside atomic(), the one the cursor was declared on
            return f"ok, {1 + sum(1 for _ in rows)} rows"
    except Exception as error:  # the cursor's name is generated per thread: masked
        message = re.sub(r"_django_curs_[0-9_]+", "_django_curs_<n>", str(error).split("\n")[0])
        return f"{type(error).__name__}: {message}"
    finally:
        other.close()
        connections[alias].close()


def fill_rows(n: int = 20, alias: str = "default") -> int:
    """n fresh rows to iterate over."""
    BenchRow.objects.using(alias).all().delete()
    BenchRow.objects.using(alias).bulk_create([BenchRow(name=f"row {i:02}", value=i) for i in range(n)])
    return n
