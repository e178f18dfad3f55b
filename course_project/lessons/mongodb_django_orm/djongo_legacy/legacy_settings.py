"""Settings for the legacy djongo project (Django 3.1, run by .venv-djongo's Python).

djongo pins django<=3.1.12 and pymongo<=3.11.4, so it cannot live in the course's environment.
The notebook passes the MongoDB URI (the course's app user, authSource=admin) in DJONGO_MONGO_URI.
"""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "legacy-only")
INSTALLED_APPS = ["blogapp", "embedapp"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {
    "default": {
        "ENGINE": "djongo",
        "NAME": os.environ["DJONGO_DB"],
        "ENFORCE_SCHEMA": False,
        # No authMechanism: the server and the driver agree on SCRAM-SHA-256 themselves.
        "CLIENT": {"host": os.environ["DJONGO_MONGO_URI"], "serverSelectionTimeoutMS": 3000},
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "loggers": {"djongo": {"level": "CRITICAL"}}}
