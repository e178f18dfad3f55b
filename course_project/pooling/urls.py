from django.urls import path

from course_project.pooling import views

urlpatterns = [path("ping/<str:alias>/", views.ping)]
