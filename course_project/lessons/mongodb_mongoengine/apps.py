from django.apps import AppConfig


class MongoEngineConfig(AppConfig):
    """Notebook 07_mongodb_mongoengine: MongoEngine documents."""

    name = "course_project.lessons.mongodb_mongoengine"
    label = "mongo_engine"
    database = "default"
