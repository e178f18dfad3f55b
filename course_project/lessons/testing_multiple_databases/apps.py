from django.apps import AppConfig


class TestingMultipleDatabasesConfig(AppConfig):
    """Notebook 15_testing_multiple_databases: Django's test tools across several databases.

    Accounts live on `default`; each account's audit entry is written to `analytics` once the
    account's transaction commits (the model says so: AuditEntry.database)."""

    name = "course_project.lessons.testing_multiple_databases"
    label = "testing_multiple_databases"
    database = "default"
