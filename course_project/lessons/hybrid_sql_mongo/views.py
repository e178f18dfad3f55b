"""track_product_view: the product from PostgreSQL, the view counted in MongoDB."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from course_project.lessons.hybrid_sql_mongo.models import Product
from course_project.lessons.hybrid_sql_mongo.tracking import record_view


def track_product_view(request, product_id):
    try:
        product = get_object_or_404(Product, pk=product_id)
    except (OperationalError, InterfaceError):  # the database is unreachable, not a bug in the code
        return HttpResponse(
            "The product catalogue is unavailable right now. Please try again in a minute.",
            status=503,
            content_type="text/plain",
        )
    views = record_view(product, request.user)
    return render(request, "hybrid/product_detail.html", {"product": product, "views": views})
