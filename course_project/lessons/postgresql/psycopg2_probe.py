"""Run Django's PostgreSQL backend on psycopg2 instead of psycopg 3, in a process of its own.

Django imports psycopg 3 when it can and falls back to psycopg2. With both installed, the only way to
see the fallback is a process where psycopg 3 cannot be imported, so notebook 02 runs this with
`python -m course_project.lessons.postgresql.psycopg2_probe`. Prints one JSON line.
"""

import json
import os
import sys

sys.modules["psycopg"] = None  # `import psycopg` now raises ImportError in this process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course_project.settings")
import django  # noqa: E402

django.setup()
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.backends.postgresql.base import DatabaseWrapper  # noqa: E402

connection = connections["default"]
with connection.cursor() as cursor:
    cursor.execute("SELECT current_user")
    user = cursor.fetchone()[0]
report = {"driver": connection.Database.__name__, "user": user}

pooled = DatabaseWrapper(
    {**connection.settings_dict, "OPTIONS": {**connection.settings_dict["OPTIONS"], "pool": True}}, "pooled"
)
try:
    pooled.ensure_connection()
    report["pool"] = "opened"
except ImproperlyConfigured as error:
    report["pool"] = f"{type(error).__name__}: {error}"
print(json.dumps(report))
