"""An async view for the ASGI section of notebook 16: which server connection served a request."""
from asgiref.sync import sync_to_async
from django.db import connections
from django.http import JsonResponse


def _backend_pid(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


async def backend_pid(request, alias):
    return JsonResponse({"pid": await sync_to_async(_backend_pid)(alias)})
