"""The native backend: the same servers as docker-compose.yml, started from local packages."""

from course_project.services.native.mariadb import MariaDB
from course_project.services.native.mongodb import MongoDB
from course_project.services.native.pgbouncer import PgBouncer
from course_project.services.native.postgres import Postgres, Replica

SERVERS = {cls.name: cls for cls in (Postgres, Replica, PgBouncer, MariaDB, MongoDB)}
