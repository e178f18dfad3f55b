"""URLs: each lesson app that has views adds its own include here."""

from django.urls import include, path

urlpatterns = [
    path("replicas/", include("course_project.lessons.read_replicas.urls")),
    path("mongo/", include("course_project.lessons.mongodb_pymongo.urls")),
    path("hybrid/", include("course_project.lessons.hybrid_sql_mongo.urls")),
    path("pooling/", include("course_project.lessons.connection_pooling.urls")),
]
