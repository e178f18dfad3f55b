from django.urls import path

from course_project.lessons.read_replicas import views

app_name = "replicas"
urlpatterns = [
    path("orders/", views.order_create, name="order_create"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
]
