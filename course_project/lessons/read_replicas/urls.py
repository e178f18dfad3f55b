from django.urls import path

from course_project.lessons.read_replicas import views

urlpatterns = [
    path("orders/", views.order_create),
    path("orders/<str:number>/", views.order_detail),
]
