from django.apps import AppConfig


class MongoOrmConfig(AppConfig):
    """Notebook 08_mongodb_django_orm: Django models stored in MongoDB by django-mongodb-backend.

    Its primary keys are ObjectIds (the backend's ObjectIdAutoField), and it lives on the
    `mongodb` alias next to the SQL databases."""

    name = "course_project.lessons.mongodb_django_orm"
    label = "mongo_orm"
    database = "mongodb"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
