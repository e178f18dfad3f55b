"""Plumbing for notebook 16: call Django's real ASGI handler in-process, and extra aliases."""

import asyncio
import copy
import json

from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.db import connections
from django.test.utils import override_settings

URLCONF = "course_project.lessons.async_orm.urls"


def add_alias(alias: str, base: str = "default", **changes) -> str:
    """Register `alias`: a copy of `base` with some settings changed (idempotent)."""
    if alias not in connections.settings:
        config = copy.deepcopy(settings.DATABASES[base])
        config.pop("TEST", None)
        for key, value in changes.items():
            if key == "OPTIONS":
                config["OPTIONS"] = {**config.get("OPTIONS", {}), **value}
            else:
                config[key] = value
        connections.settings[alias] = connections.configure_settings({"default": config, alias: config})[alias]
    return alias


async def asgi_get(path: str) -> dict:
    """One GET request through django.core.handlers.asgi.ASGIHandler, as an ASGI server sends it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    sent, requested, done = [], [], asyncio.Event()

    async def receive():
        if not requested:  # the request (no body), then nothing until the response is complete
            requested.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    with override_settings(ROOT_URLCONF=URLCONF):
        await ASGIHandler()(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {"status": status, **json.loads(body)}
