from django.apps import AppConfig


class MysqlLabConfig(AppConfig):
    """Notebook 03_mysql_mariadb: MySQL/MariaDB."""

    name = "course_project.mysql_lab"
    label = "mysql_lab"
    database = "legacy"
