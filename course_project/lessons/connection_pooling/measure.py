"""Timings taken side by side in one run (the lesson and the benchmark share them).

Requests go through a real WSGI server on loopback (wsgiref, in a background thread), because
Django's test Client deliberately skips the step that closes or keeps connections at the end
of a request, which is exactly what is being measured.
"""

import http.client
import json
import statistics
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

from course_project.services.config import servers


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class LoopbackServer:
    """The project's WSGI application on 127.0.0.1 and a free port, for the length of a `with`."""

    def __enter__(self):
        from django.core.wsgi import get_wsgi_application

        self.httpd = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_QuietHandler)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        return self

    def _serve(self):
        from django.db import connections

        try:
            self.httpd.serve_forever()
        finally:  # the requests' connections belong to this thread: persistent ones end with it
            connections.close_all()

    def get(self, path: str):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


_server = None


def server() -> LoopbackServer:
    global _server
    if _server is None:
        _server = LoopbackServer().__enter__()
    return _server


def stop_server():
    global _server
    if _server is not None:
        _server.__exit__(None, None, None)
        _server = None


class _Client:
    def get(self, path):
        status, body = server().get(path)
        return _Response(status, body)


class _Response:
    def __init__(self, status, body):
        self.status_code, self.body = status, body

    def json(self):
        return json.loads(self.body)


_client = _Client()


def _request_ms(alias: str) -> float:
    """Milliseconds for one full Django request (middleware, view, one query, connection handling)."""
    start = time.perf_counter()
    response = _client.get(f"/pooling/ping/{alias}/")
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{alias}: HTTP {response.status_code}")
    return elapsed


def per_request_interleaved(aliases: dict, rounds: int = 200, warmup: int = 10) -> dict:
    """Milliseconds per full Django request, for each {name: alias}, measured in turn: each round sends one
    request per alias, so a burst of load on the machine slows every mode alike, not one block of them."""
    timings = {name: [] for name in aliases}
    for i in range(rounds + warmup):
        for name, alias in aliases.items():
            elapsed = _request_ms(alias)
            if i >= warmup:
                timings[name].append(elapsed)
    return timings


def server_processes(alias: str, n: int = 20) -> int:
    """How many different server processes answered n requests."""
    return len({_client.get(f"/pooling/ping/{alias}/").json()["server_process"] for _ in range(n)})


def _pg(server="postgres", **kwargs):
    return servers()[server].connect(**kwargs)


def per_query_raw(new_connection: bool, n: int = 200, server: str = "postgres") -> list:
    """Milliseconds per SELECT 1 with psycopg alone: a new connection each time, or one reused."""
    timings, reused = [], None if new_connection else _pg(server)
    try:
        for _ in range(n):
            start = time.perf_counter()
            conn = _pg(server) if new_connection else reused
            conn.execute("SELECT 1").fetchone()
            if new_connection:
                conn.close()
            timings.append((time.perf_counter() - start) * 1000)
    finally:
        if reused:
            reused.close()
    return timings


def median(values) -> float:
    return statistics.median(values)


def quartiles(values) -> tuple:
    """The first quartile, the median and the third quartile: half of the values lie between the outer two."""
    return tuple(statistics.quantiles(values, n=4))
