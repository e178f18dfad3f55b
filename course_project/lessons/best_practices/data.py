"""Fill the lesson's tables inside each database (no row-by-row round trips)."""

from django.db import connections

EVENTS = 100_000
FILL = {
    "postgresql": (
        "INSERT INTO practices_event (user_id, kind, created_at) "
        "SELECT n %% 5000, (ARRAY['view', 'click', 'buy', 'share'])[1 + n %% 4], "
        "timestamp '2024-01-01' + n * interval '1 minute' FROM generate_series(1, %s) AS n"
    ),
    "mysql": (
        "INSERT INTO practices_event (user_id, kind, created_at) "
        "SELECT seq % 5000, ELT(1 + seq % 4, 'view', 'click', 'buy', 'share'), "
        "TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE FROM seq_1_to_{n}"
    ),
}


def fill_events(alias: str) -> int:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE practices_event")
        if connection.vendor == "postgresql":
            cursor.execute(FILL["postgresql"], [EVENTS])
            cursor.execute("ANALYZE practices_event")
        else:
            cursor.execute(FILL["mysql"].format(n=EVENTS))
            cursor.execute("ANALYZE TABLE practices_event")
        cursor.execute("SELECT count(*) FROM practices_event")
        return cursor.fetchone()[0]


from course_project.runtime.explain import plan  # noqa: E402,F401 (notebook 12 imports it from here)
