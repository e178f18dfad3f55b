"""An async view for the ASGI section of notebook 16: which server connection, and which thread, served a request."""

import threading

from asgiref.sync import sync_to_async
from django.db import connections
from django.http import JsonResponse


def _backend_pid(alias: str) -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return {"pid": cursor.fetchone()[0], "thread": threading.current_thread().name}


async def backend_pid(request, alias):
    return JsonResponse(await sync_to_async(_backend_pid)(alias))
