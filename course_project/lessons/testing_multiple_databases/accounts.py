"""The code notebook 15 tests: one account on `default`, its audit entry on `analytics` after commit."""

from django.db import transaction

from course_project.lessons.testing_multiple_databases.models import Account, AuditEntry


def open_account(name: str) -> Account:
    with transaction.atomic(using="default"):
        account = Account.objects.create(name=name)
        # Only once the account is really stored: a rolled-back account leaves no audit entry.
        transaction.on_commit(lambda: AuditEntry.objects.create(account=name, action="opened"), using="default")
    return account
