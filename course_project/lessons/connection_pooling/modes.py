"""The connection modes the lesson compares, as extra database aliases made at run time.

Each mode is the project's own alias with a few settings changed, registered in Django's
connection handler, so a view can use it like any alias in settings.DATABASES.
"""

import copy

from django.conf import settings
from django.db import connections

# mode -> (alias, base alias, settings changed)
MODES = {
    "new connection per request": ("pg_new", "default", {"CONN_MAX_AGE": 0}),
    "persistent (CONN_MAX_AGE=60)": ("pg_persistent", "default", {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}),
    "Django's pool (psycopg 3)": (
        "pg_pool",
        "default",
        {"CONN_MAX_AGE": 0, "OPTIONS": {"connect_timeout": 3, "pool": {"min_size": 2, "max_size": 4}}},
    ),
    "pgBouncer, transaction mode": ("pg_bouncer", "bouncer", {"CONN_MAX_AGE": 0}),
    "pgBouncer + CONN_MAX_AGE=60": ("pg_bouncer_kept", "bouncer", {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}),
    "MariaDB, new per request": ("maria_new", "legacy", {"CONN_MAX_AGE": 0}),
    "MariaDB, persistent": ("maria_persistent", "legacy", {"CONN_MAX_AGE": 60}),
}


def add_alias(alias: str, base: str, changes: dict) -> str:
    """Register `alias` as a copy of `base` with `changes` (idempotent)."""
    if alias not in connections.settings:
        config = copy.deepcopy(settings.DATABASES[base])
        config.update(copy.deepcopy(changes))
        register(alias, config)
    return alias


def register(alias: str, config: dict) -> str:
    """Register a complete settings dict as `alias`, with Django's defaults filled in."""
    config = {key: value for key, value in config.items() if key != "TEST"}
    connections.settings[alias] = connections.configure_settings({"default": config, alias: config})[alias]
    return alias


def unregister(alias: str):
    """Close `alias` (and its pool, if it has one) and forget it."""
    connection = connections[alias]
    connection.close()
    if connection.settings_dict["OPTIONS"].get("pool"):
        connection.close_pool()
    del connections[alias]
    del connections.settings[alias]


def register_all() -> dict:
    return {mode: add_alias(alias, base, changes) for mode, (alias, base, changes) in MODES.items()}
