from django.db import connections
from django.http import JsonResponse

SERVER_PROCESS = {"postgresql": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}


def ping(request, alias):
    """One query on `alias`; answers which server process (PostgreSQL backend or MariaDB thread) ran it."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(SERVER_PROCESS[connection.vendor])
        return JsonResponse({"alias": alias, "server_process": cursor.fetchone()[0]})
