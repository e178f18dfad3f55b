"""Best practices as tests: query counts, parameters against injection, indexes used."""
import pytest
from django.db import connections

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


def test_parameters_defeat_injection(players):
    injection = "x' OR '1'='1"
    assert len(list(Player.objects.raw(f"SELECT * FROM practices_player WHERE name = '{injection}'"))) == 9
    assert list(Player.objects.raw("SELECT * FROM practices_player WHERE name = %s", [injection])) == []


@pytest.mark.django_db(databases=["default", "legacy"], transaction=True)  # DDL on MariaDB: no wrapping transaction
@pytest.mark.parametrize("alias,used", [("default", "Index Scan on practices_event_user_id_test_idx"),
                                        ("legacy", "key=practices_event_user_id_test_idx")])
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


def test_solutions_pass_and_wrong_answers_fail(players):
    assert exercises.check(vars(solutions)).all_passed, str(exercises.check(vars(solutions)))
    assert exercises.check({}).passed == 0
    wrong = {"roster": lambda: [(p.name, p.team.name) for p in Player.objects.order_by("name")],
             "find_players": lambda name: [p.name for p in Player.objects.raw(
                 f"SELECT * FROM practices_player WHERE name = '{name}'")]}
    assert exercises.check(wrong).passed == 0
