"""Reference answers for notebook 16."""

from django.db import transaction
from django.db.models import Count, F

from course_project.lessons.async_orm.models import Account, Job


def transfer(source, target, amount):
    with transaction.atomic():
        rows = Account.objects.select_for_update().filter(name__in=[source, target]).order_by("pk")
        balance = {account.name: account.balance for account in rows}  # both rows locked, in pk order
        if balance[source] < amount:
            return False
        Account.objects.filter(name=source).update(balance=F("balance") - amount)
        Account.objects.filter(name=target).update(balance=F("balance") + amount)
        return True


async def status_counts():
    rows = Job.objects.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] async for row in rows}
