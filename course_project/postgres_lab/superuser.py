"""SQLAlchemy engines for the lesson's live `CREATE DATABASE` / `CREATE ROLE` steps.

Only notebook 02 uses the superuser, to create and drop a throwaway database and role;
the password comes from .env and never appears in a cell or an output.
"""
from sqlalchemy import URL, create_engine

from course_project.env import env
from course_project.services.config import servers


def engine(database: str = "postgres", user: str = "postgres", password: str | None = None):
    s = servers()["postgres"]
    url = URL.create("postgresql+psycopg", username=user, host=s.host, port=s.port, database=database,
                     password=password if password is not None else env("POSTGRES_SUPERUSER_PASSWORD"))
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
