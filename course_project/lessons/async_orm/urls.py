from django.urls import path

from course_project.lessons.async_orm import views

urlpatterns = [path("pid/<str:alias>/", views.backend_pid)]
