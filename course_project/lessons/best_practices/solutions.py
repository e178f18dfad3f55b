"""Reference answers for notebook 12."""
from course_project.lessons.best_practices.models import Player


def roster():
    return [(p.name, p.team.name) for p in Player.objects.select_related("team").order_by("name")]


def find_players(name):
    return [p.name for p in Player.objects.raw("SELECT * FROM practices_player WHERE name = %s", [name])]
