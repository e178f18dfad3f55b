"""Reference answers for notebook 15."""

from django.db import transaction
from django.test import TestCase

from course_project.lessons.testing_multiple_databases.accounts import open_account
from course_project.lessons.testing_multiple_databases.models import Account, AuditEntry


class AuditTests(TestCase):
    databases = {"default", "analytics"}

    def test_account_on_default_audit_entry_on_analytics(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            open_account("ada")
        self.assertEqual(len(callbacks), 1)
        self.assertTrue(Account.objects.using("default").filter(name="ada").exists())
        self.assertEqual(
            list(AuditEntry.objects.using("analytics").values_list("account", "action")), [("ada", "opened")]
        )

    def test_rolled_back_leaves_neither(self):
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(RuntimeError),
            transaction.atomic(using="default"),
        ):  # outermost first
            open_account("bo")
            raise RuntimeError("roll back")
        self.assertEqual(callbacks, [])  # discarded with the rolled-back block
        self.assertFalse(Account.objects.using("default").exists())
        self.assertFalse(AuditEntry.objects.using("analytics").exists())


def allow_migrate(db, app_label, model_name=None, **hints):
    if app_label != "testing_multiple_databases":
        return None  # not ours: let the next router decide
    if model_name == "auditentry":
        return db in ("default", "analytics")  # AuditEntry.databases
    return db == "default"  # Account, and model_name=None (RunPython, RunSQL): where the app lives
