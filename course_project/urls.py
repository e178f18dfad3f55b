"""URLs: each lesson app that has views adds its own include here."""
from django.urls import include, path

urlpatterns = [
    path("replicas/", include("course_project.replicas.urls")),
    path("mongo/", include("course_project.mongo_pymongo.urls")),
    path("hybrid/", include("course_project.hybrid.urls")),
    path("pooling/", include("course_project.pooling.urls")),
]
