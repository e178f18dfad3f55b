from django.apps import AppConfig


class MysqlLabConfig(AppConfig):
    """Notebook 03_mysql_mariadb: lives on MariaDB (`legacy`); the same model is also migrated on
    PostgreSQL (`default`) so that the two can be compared side by side with using()."""

    name = "course_project.lessons.mysql_mariadb"
    label = "mysql_lab"
    database = "legacy"
    extra_databases = ("default",)
