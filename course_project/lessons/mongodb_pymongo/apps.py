from django.apps import AppConfig


class MongoPymongoConfig(AppConfig):
    """Notebook 06_mongodb_pymongo: JSON views over PyMongo."""

    name = "course_project.lessons.mongodb_pymongo"
    label = "mongo_pymongo"
    database = "default"
