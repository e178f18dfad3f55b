"""Reference answers for notebook 12."""

from django.db.models import Prefetch

from course_project.lessons.best_practices.models import Player, Team


def squads():
    newest_first = Prefetch("players", queryset=Player.objects.order_by("-id"))
    return [(team.name, [p.name for p in team.players.all()]) for team in Team.objects.prefetch_related(newest_first)]


def find_players(names):
    if not names:
        return []
    placeholders = ", ".join(["%s"] * len(names))
    sql = f"SELECT * FROM practices_player WHERE name IN ({placeholders}) ORDER BY name"
    return [p.name for p in Player.objects.raw(sql, list(names))]
