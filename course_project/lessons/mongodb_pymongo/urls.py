from django.urls import path

from course_project.lessons.mongodb_pymongo import views

urlpatterns = [
    path("posts/", views.post_list),
    path("posts/search/", views.search),
    path("posts/search-unsafe/", views.search_unsafe),
    path("posts/<str:post_id>/", views.post_detail),
    path("posts/<str:post_id>/view/", views.post_view),
]
