"""URLs: each lesson app that has views adds its own include here."""
from django.urls import path  # noqa: F401

urlpatterns = []
