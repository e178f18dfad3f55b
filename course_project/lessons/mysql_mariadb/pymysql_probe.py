"""Run Django on MariaDB through PyMySQL instead of mysqlclient, in a process of its own.

`pymysql.install_as_MySQLdb()` replaces the MySQLdb module for the whole process, so notebook 03
runs this with `python -m course_project.lessons.mysql_mariadb.pymysql_probe` rather than in its kernel.
Prints one JSON line: which driver Django used and what the server answered.
"""

import json
import os

import pymysql

pymysql.install_as_MySQLdb()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course_project.settings")
import django  # noqa: E402

django.setup()
from django.db import connections  # noqa: E402

connection = connections["legacy"]
with connection.cursor() as cursor:
    cursor.execute("SELECT DATABASE(), @@character_set_connection, @@sql_mode")
    database, charset, sql_mode = cursor.fetchone()
print(
    json.dumps(
        {
            "driver": type(connection.connection).__module__,
            "database": database,
            "charset": charset,
            "sql_mode": sql_mode,
        }
    )
)
