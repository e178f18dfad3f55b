"""Settings for the course's one Django project, read from the environment or .env.

One alias per server the course uses. Lessons are apps (course_project/lessons); each app's AppConfig names the
alias it lives on (`database = "..."`) and course_project.routers.LessonRouter keeps it there.
"""

from course_project.env import PROJECT_ROOT, env
from course_project.lessons import installed_apps
from course_project.services.config import mongo_uri, servers, state_dir

BASE_DIR = PROJECT_ROOT
SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "course_project.urls"
WSGI_APPLICATION = "course_project.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
STATIC_URL = "static/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    *installed_apps(),  # one app per lesson, in course order (course_project/lessons)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "course_project.lessons.read_replicas.routers.ReadYourWritesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Databases: one alias per server --------------------------------------------------
SERVERS = servers()
CONNECT_TIMEOUT = 3  # seconds: a stopped server fails fast instead of hanging


def postgres(server: str, name: str | None = None, **extra) -> dict:
    s = SERVERS[server]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name or s.database,
        "USER": s.user,
        "PASSWORD": s.password,
        "HOST": s.host,
        "PORT": str(s.port),
        "OPTIONS": {"connect_timeout": CONNECT_TIMEOUT},
        **extra,
    }


_maria = SERVERS["mariadb"]
_mongo = SERVERS["mongodb"]


def build_databases() -> dict:
    """One alias per server, from the environment (tests compare it with the services' view)."""
    return {
        # PostgreSQL primary: Django's own tables (auth, sessions, admin) and most lessons.
        "default": postgres("postgres"),
        # SQLite: a file, no server.
        "sqlite": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": state_dir() / "sqlite" / "course.sqlite3",
            "OPTIONS": {"timeout": 5},
            "TEST": {"NAME": state_dir() / "sqlite" / "test_course.sqlite3", "DEPENDENCIES": []},
        },
        # The same engine tuned for concurrent writers: WAL journal and BEGIN IMMEDIATE (Django 5.1+).
        "sqlite_wal": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": state_dir() / "sqlite" / "course_wal.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
            },
            "TEST": {"NAME": state_dir() / "sqlite" / "test_course_wal.sqlite3", "DEPENDENCIES": []},
        },
        # A second PostgreSQL database on the same server.
        "analytics": postgres("postgres", name=env("POSTGRES_ANALYTICS_DB"), TEST={"DEPENDENCIES": []}),
        # The streaming replica: read-only; in tests a mirror of default (its NAME only: notebook 05).
        "replica": postgres("replica", TEST={"MIRROR": "default"}),
        # The primary again, through pgBouncer in transaction mode.
        "bouncer": postgres("pgbouncer", DISABLE_SERVER_SIDE_CURSORS=True, TEST={"MIRROR": "default"}),
        # MariaDB: the "legacy" database.
        "legacy": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": _maria.database,
            "USER": _maria.user,
            "PASSWORD": _maria.password,
            "HOST": _maria.host,
            "PORT": str(_maria.port),
            "OPTIONS": {
                "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
                "charset": "utf8mb4",
                "connect_timeout": CONNECT_TIMEOUT,
            },
            "TEST": {"DEPENDENCIES": []},
        },
        # MongoDB through the official django-mongodb-backend.
        "mongodb": {
            "ENGINE": "django_mongodb_backend",
            "HOST": mongo_uri(database=_mongo.database),
            "NAME": _mongo.database,
            "OPTIONS": {"serverSelectionTimeoutMS": CONNECT_TIMEOUT * 1000},
            "TEST": {"DEPENDENCIES": []},
        },
    }


DATABASES = build_databases()
(state_dir() / "sqlite").mkdir(parents=True, exist_ok=True)

# Lessons' own routers first; LessonRouter (app/model -> alias) decides whatever they leave open.
# `python manage.py test`: Django's runner, with TEST["MIRROR"] aliases reaching their primary's server.
TEST_RUNNER = "course_project.runtime.discover_runner.CourseRunner"

DATABASE_ROUTERS = [
    "course_project.lessons.multiple_databases.routers.AnalyticsRouter",
    "course_project.lessons.read_replicas.routers.PrimaryReplicaRouter",
    "django_mongodb_backend.routers.MongoRouter",  # embedded models get no collection
    "course_project.routers.LessonRouter",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # 4xx responses are part of the lessons (a 400 for a bad id, ...): no warning line for each.
    "loggers": {"django.request": {"level": "ERROR"}},
}
