from django.urls import path

from course_project.lessons.connection_pooling import views

urlpatterns = [path("ping/<str:alias>/", views.ping)]
