"""Reference answers for notebook 10."""
from course_project.services.config import servers


def pool_options(max_size):
    return {"connect_timeout": 3, "pool": {"min_size": 2, "max_size": max_size}}


def bouncer_settings(base):
    bouncer = servers()["pgbouncer"]
    return {**base, "HOST": bouncer.host, "PORT": bouncer.port, "CONN_MAX_AGE": 0, "DISABLE_SERVER_SIDE_CURSORS": True}
