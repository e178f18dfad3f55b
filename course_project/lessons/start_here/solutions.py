"""Reference answers for notebook 00 (checked by tests/test_00_start_here.py)."""


def is_read_only(connection):
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_read_only")
        return cursor.fetchone()[0] == "on"


def sql_modes(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@SESSION.sql_mode")
        modes = cursor.fetchone()[0]
    return set(modes.split(",")) if modes else set()
