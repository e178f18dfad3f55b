from django.urls import path

from course_project.lessons.hybrid_sql_mongo import views

urlpatterns = [path("products/<int:product_id>/", views.track_product_view, name="product-detail")]
