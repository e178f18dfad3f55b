"""The project's TEST_RUNNER: Django's DiscoverRunner, with mirrors that really mirror.

`TEST["MIRROR"] = "default"` makes an alias use the test database of `default`, but Django only copies
the database NAME: HOST and PORT stay, so the `replica` alias would read the test database on the replica
server (by replication, late), and the `bouncer` alias would go through pgBouncer, which keeps its pooled
connections on the test database open, so that dropping it fails ("being accessed by other users").
In a test run, a mirror reaches the server of the alias it mirrors. pytest (tests/conftest.py) applies
the same function.
"""

from django.db import connections
from django.test.runner import DiscoverRunner

ADDRESS = ("HOST", "PORT")


def point_mirrors_at_their_primary(databases: dict) -> dict:
    """Give each mirror alias the HOST and PORT of the alias it mirrors; return what they were."""
    saved = {}
    for alias, database in databases.items():
        primary = database.get("TEST", {}).get("MIRROR")
        if primary:
            saved[alias] = {key: database[key] for key in ADDRESS}
            database.update({key: databases[primary][key] for key in ADDRESS})
    return saved


class CourseRunner(DiscoverRunner):
    """`python manage.py test`: mirrors on their primary's server; `--db-suffix` for a run beside another."""

    def __init__(self, db_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.db_suffix = db_suffix
        self.addresses, self.names = {}, []

    @classmethod
    def add_arguments(cls, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--db-suffix",
            help="name the test databases test_<NAME>_<suffix>, so that this run "
            "never drops the test databases of another run on the same servers",
        )

    def setup_databases(self, **kwargs):
        connections.close_all()
        self.addresses = point_mirrors_at_their_primary(connections.settings)
        if self.db_suffix:
            for database in connections.settings.values():
                test = database.setdefault("TEST", {})
                if not test.get("MIRROR"):
                    self.names.append((test, test.get("NAME")))
                    test["NAME"] = f"{test.get('NAME') or 'test_' + str(database['NAME'])}_{self.db_suffix}"
        return super().setup_databases(**kwargs)

    def teardown_databases(self, old_config, **kwargs):
        connections.close_all()  # a mirror's connection would keep the test database busy
        super().teardown_databases(old_config, **kwargs)
        for test, name in self.names:
            test["NAME"] = name
        for alias, address in self.addresses.items():
            connections[alias].close()
            connections.settings[alias].update(address)
        self.addresses, self.names = {}, []
