from django.apps import AppConfig


class EmbedappConfig(AppConfig):
    name = "embedapp"
