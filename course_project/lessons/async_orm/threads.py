"""Plumbing for notebook 16: start N threads at once, join them, collect what each returned or raised.

Each thread gets its own database connections (Django keeps them per thread) and closes them
when it is done, so nothing is left open on the servers."""

import threading

from django.db import connections


def run_threads(work, n: int, timeout: float = 60) -> list:
    """Run work(i) in n threads; return what each returned (or the exception it raised), in thread order."""
    results = [None] * n

    def target(i):
        try:
            results[i] = work(i)
        except Exception as error:  # reported to the caller, not printed by the thread
            results[i] = error
        finally:
            connections.close_all()

    pool = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout)
    if any(thread.is_alive() for thread in pool):
        raise TimeoutError(f"threads still running after {timeout} s")
    return results
