"""Reference answers for notebook 10."""
pool_options = {"connect_timeout": 3, "pool": {"max_size": 10}}
bouncer_settings = {"CONN_MAX_AGE": 0, "DISABLE_SERVER_SIDE_CURSORS": True}
