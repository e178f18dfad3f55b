"""Best practices as tests: query counts, parameters against injection, indexes used."""

import pytest
from django.db import connections
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.best_practices import solutions
from course_project.lessons.best_practices.data import fill_events, plan
from course_project.lessons.best_practices.exercises import exercises
from course_project.lessons.best_practices.models import Player, Team

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])


@pytest.fixture
def players():
    teams = Team.objects.bulk_create([Team(name=n) for n in ("A", "B", "C")])
    Player.objects.bulk_create([Player(name=f"P{i:02}", team=teams[i % 3]) for i in range(9)])


def test_select_related_removes_the_n_plus_one(players, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [(p.name, p.team.name) for p in Player.objects.select_related("team")]
    with django_assert_num_queries(10):
        plain = [(p.name, p.team.name) for p in Player.objects.all()]
    assert rows == plain


def test_prefetch_related_is_two_queries(players, django_assert_num_queries):
    with django_assert_num_queries(2):
        squads = {t.name: [p.name for p in t.players.all()] for t in Team.objects.prefetch_related("players")}
    assert squads["A"] == ["P00", "P03", "P06"]


PROBE = """
import copy, json
from course_project.runtime.bootstrap import django_setup
django_setup()
from django.db import ProgrammingError, connections

def alias(name, **changes):
    config = copy.deepcopy(connections["default"].settings_dict)
    config.update(changes.get("top", {}))
    config["OPTIONS"].update(changes.get("options", {}))
    connections.settings[name] = config
    return connections[name]

result = {}
with alias("syllabus", top={"NAME": None}).cursor() as cursor:
    cursor.execute("SELECT current_database()")
    result["database"] = cursor.fetchone()[0]
with alias("server_binding", options={"server_side_binding": True}).cursor() as cursor:
    try:
        cursor.execute("SET application_name = %s", ["x"])
        result["server_binding"] = "accepted"
    except ProgrammingError as error:
        result["server_binding"] = str(error).splitlines()[0]
name = "x'; DROP TABLE t; --"
for name_alias in ("default", "legacy"):
    with connections[name_alias].cursor() as cursor:
        cursor.execute("SELECT %s", [name])
        result[name_alias] = connections[name_alias].ops.last_executed_query(cursor, "SELECT %s", [name])
connections.close_all()
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def probe():
    """The notebook's settings experiments, in a process of its own on the course's databases (new aliases
    are not allowed inside a pytest-django test)."""
    import json
    import subprocess
    import sys

    from course_project.env import PROJECT_ROOT

    run = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def test_a_none_database_name_connects_to_the_postgres_database(probe):
    assert probe["database"] == "postgres"


def test_both_drivers_bind_on_the_client_by_default_and_server_binding_refuses_utility_statements(probe):
    assert probe["default"] == "SELECT 'x''; DROP TABLE t; --'"
    assert probe["legacy"] == "SELECT 'x\\'; DROP TABLE t; --'"
    assert 'syntax error at or near "$1"' in probe["server_binding"]


def test_the_syllabus_logging_disables_django_request_and_the_fix_does_not():
    import logging.config

    from django.conf import settings
    from django.utils.log import configure_logging

    syllabus = {
        "version": 1,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "loggers": {"django.db.backends": {"handlers": ["console"], "level": "DEBUG"}},
    }
    try:
        logging.config.dictConfig(syllabus)
        assert all(logging.getLogger(name).disabled for name in ("django", "django.request", "django.server"))
        logging.config.dictConfig({**syllabus, "disable_existing_loggers": False})
        assert not logging.getLogger("django.request").disabled
    finally:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_parameters_defeat_injection(players):
    injection = "x' OR '1'='1"
    assert len(list(Player.objects.raw(f"SELECT * FROM practices_player WHERE name = '{injection}'"))) == 9
    assert list(Player.objects.raw("SELECT * FROM practices_player WHERE name = %s", [injection])) == []


@pytest.mark.django_db(databases=["default", "legacy"], transaction=True)  # DDL on MariaDB: no wrapping transaction
@pytest.mark.parametrize(
    "alias,used",
    [("default", "Index Scan on practices_event_user_id_test_idx"), ("legacy", "key=practices_event_user_id_test_idx")],
)
def test_an_index_changes_the_plan(alias, used):
    from django.db import models

    from course_project.lessons.best_practices.models import Event

    fill_events(alias)
    index = models.Index(fields=["user_id"], name="practices_event_user_id_test_idx")
    before = plan(alias, "SELECT * FROM practices_event WHERE user_id = %s", [42])
    with connections[alias].schema_editor() as editor:
        editor.add_index(Event, index)
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("ANALYZE practices_event" if alias == "default" else "ANALYZE TABLE practices_event")
        after = plan(alias, "SELECT * FROM practices_event WHERE user_id = %s", [42])
    finally:
        with connections[alias].schema_editor() as editor:
            editor.remove_index(Event, index)
    assert not any("practices_event_user_id_test_idx" in step for step in before)
    assert any(used in step for step in after), after


def test_squads_checker_needs_a_prefetch_sorted_by_the_database(players):
    from django.db.models import Prefetch

    accepts(exercises, "squads", solutions.squads)
    constant = solutions.squads()
    rejects(exercises, "squads", lambda: constant, hint="wrong teams or team order")
    # the notebook's prefetch cell, as a list: the players come in the model's default (name) order
    rejects(
        exercises,
        "squads",
        lambda: [(t.name, [p.name for p in t.players.all()]) for t in Team.objects.prefetch_related("players")],
        hint="players in the wrong order",
    )
    rejects(
        exercises,
        "squads",
        lambda: [(t.name, [p.name for p in t.players.order_by("-id")]) for t in Team.objects.all()],
        hint="queries, not 2",
    )
    rejects(
        exercises,
        "squads",
        lambda: [
            (t.name, [p.name for p in sorted(t.players.all(), key=lambda p: -p.id)])
            for t in Team.objects.prefetch_related("players")
        ],
        hint="sorted in Python",
    )
    # reverse name order is not newest first: the checker inserts its players out of name order
    rejects(
        exercises,
        "squads",
        lambda: [
            (t.name, [p.name for p in t.players.all()])
            for t in Team.objects.prefetch_related(Prefetch("players", Player.objects.order_by("-name")))
        ],
        hint="players in the wrong order",
    )
    # a DESC on the teams' query does not sort the players
    rejects(
        exercises,
        "squads",
        lambda: [
            (t.name, [p.name for p in sorted(t.players.all(), key=lambda p: -p.id)])
            for t in Team.objects.order_by("name", "-id").prefetch_related("players")
        ],
        hint="sorted in Python",
    )
    accepts(
        exercises,
        "squads",
        lambda: [
            (t.name, [p.name for p in t.newest])
            for t in Team.objects.prefetch_related(
                Prefetch("players", queryset=Player.objects.order_by("-pk"), to_attr="newest")
            )
        ],
    )
    assert Player.objects.count() == 9  # the checker's players are gone again


def test_find_players_checker_wants_one_parameter_per_name(players):
    accepts(exercises, "find_players", solutions.find_players)
    rejects(exercises, "find_players", lambda names: ["P00"], hint="an injection attempt must match nothing")

    def search_safe(name):  # the notebook's cell, given a list: the whole list is one value, which matches no name
        return [
            p.name for p in Player.objects.raw("SELECT * FROM practices_player WHERE name = %s ORDER BY name", [name])
        ]

    rejects(exercises, "find_players", search_safe, hint="not the two players asked for")

    def no_order(names):  # the rows come in the order the table holds them
        if not names:
            return []
        placeholders = ", ".join(["%s"] * len(names))
        return [
            p.name
            for p in Player.objects.raw(f"SELECT * FROM practices_player WHERE name IN ({placeholders})", list(names))
        ]

    rejects(exercises, "find_players", no_order, hint="not in name order")

    def no_empty_case(names):
        placeholders = ", ".join(["%s"] * len(names))
        return [
            p.name
            for p in Player.objects.raw(
                f"SELECT * FROM practices_player WHERE name IN ({placeholders}) ORDER BY name", list(names)
            )
        ]

    rejects(exercises, "find_players", no_empty_case, hint="the query failed")

    def pasted(names):
        listed = ", ".join("'" + name.replace("'", "''") + "'" for name in names) or "NULL"
        return [
            p.name for p in Player.objects.raw(f"SELECT * FROM practices_player WHERE name IN ({listed}) ORDER BY name")
        ]

    rejects(exercises, "find_players", pasted, hint="a name is part of the SQL text")

    def first_name_only(names):
        return solutions.find_players(names[:1])

    rejects(exercises, "find_players", first_name_only, hint="not the two players asked for")
    accepts(
        exercises,
        "find_players",
        lambda names: list(Player.objects.filter(name__in=names).order_by("name").values_list("name", flat=True)),
    )
    accepts(
        exercises,
        "find_players",
        lambda names: [
            p.name
            for p in Player.objects.raw(
                "SELECT * FROM practices_player WHERE name = ANY(%s) ORDER BY name", [list(names)]
            )
        ],
    )
    assert Player.objects.count() == 9


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "12_best_practices.ipynb")
