"""Two tiny JSON views that say which database answered them."""
from django.http import JsonResponse
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
    order = Order.objects.create(number=request.POST["number"])
    again = Order.objects.filter(pk=order.pk)
    return JsonResponse({"created": order.number, "read_back_from": again.db, "found": again.exists()})
