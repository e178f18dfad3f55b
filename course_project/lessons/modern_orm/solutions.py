"""Reference answers for notebook 14."""
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, F, Value, When

from course_project.lessons.modern_orm.models import Job, StockItem


def increment_stock(pk, n):
    StockItem.objects.filter(pk=pk).update(stock=F("stock") + n)


def claim_job(worker):
    with transaction.atomic():
        job = Job.objects.select_for_update(skip_locked=True).filter(status="queued").order_by("id").first()
        if job is None:
            return None
        job.status, job.worker = "taken", worker
        job.save(update_fields=["status", "worker"])
        return job.name


line_total = Case(
    When(quantity__gte=10, then=F("price") * F("quantity") * Value(Decimal("0.9"))),
    default=F("price") * F("quantity"),
)
