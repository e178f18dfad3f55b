from django.apps import AppConfig


class MongoOrmConfig(AppConfig):
    """Notebook 08_mongodb_django_orm: django-mongodb-backend models."""

    name = "course_project.mongo_orm"
    label = "mongo_orm"
    database = "mongodb"
