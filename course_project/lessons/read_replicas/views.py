"""Two tiny views that say which database answered them: a form's POST, and the page it redirects to."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from course_project.lessons.read_replicas.models import Order


@require_GET
def order_detail(request, number):
    orders = Order.objects.filter(number=number)
    return JsonResponse({"number": number, "found": orders.exists(), "read_from": orders.db})


@csrf_exempt
@require_POST
def order_create(request):
    """Save, then redirect to the order's page (Post/Redirect/Get, as every form view does)."""
    order = Order.objects.create(number=request.POST["number"])
    return redirect("replicas:order_detail", number=order.number)
