"""Notebook 15's tests in Django's own style: `python manage.py test` finds and runs them."""

from django.db import connections
from django.test import TestCase, TransactionTestCase

from course_project.lessons.testing_multiple_databases.accounts import open_account
from course_project.lessons.testing_multiple_databases.course_code import Order
from course_project.lessons.testing_multiple_databases.models import Account, AuditEntry


class OpenAccountTests(TestCase):
    databases = {"default", "analytics"}

    def test_account_on_default_and_audit_entry_on_analytics_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            open_account("ada")
        self.assertEqual(len(callbacks), 1)
        self.assertTrue(Account.objects.using("default").filter(name="ada").exists())
        self.assertEqual([str(e) for e in AuditEntry.objects.using("analytics")], ["ada: opened"])


class MirrorTests(TransactionTestCase):
    """Writes commit (a TransactionTestCase), and every mirror alias reads the same test database."""

    databases = {"default", "replica", "bouncer"}

    def test_a_committed_write_reads_back_through_each_mirror(self):
        Order.objects.using("default").create(number="T-1")
        for alias in ("replica", "bouncer"):
            with self.subTest(alias=alias):
                self.assertTrue(Order.objects.using(alias).filter(number="T-1").exists())

    def test_mirrors_reach_the_primary_server(self):
        primary = connections["default"].settings_dict
        for alias in ("replica", "bouncer"):
            mirror = connections[alias].settings_dict
            self.assertEqual(
                (mirror["NAME"], mirror["HOST"], mirror["PORT"]), (primary["NAME"], primary["HOST"], primary["PORT"])
            )
