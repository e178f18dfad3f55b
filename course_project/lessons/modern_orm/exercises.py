"""Notebook 14's exercises (reference answers: solutions.py). Each check builds real tables on the servers."""

from decimal import Decimal

from django.apps.registry import Apps
from django.db import IntegrityError, connections, models, transaction
from django.db.migrations.operations import CreateModel
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState

from course_project.lessons.modern_orm.operations import apply_operations
from course_project.runtime.checker import Exercises

exercises = Exercises("14_modern_orm")


MEMBERSHIP = "modern_orm_membership"


def membership_with_an_id_key(alias: str) -> ProjectState:
    """The Membership table as `makemigrations` first made it (an `id` key), with three rows."""
    with connections[alias].cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MEMBERSHIP}")
    create = CreateModel(
        "Membership",
        [
            ("id", models.BigAutoField(primary_key=True)),
            ("user_id", models.IntegerField()),
            ("team_id", models.IntegerField()),
        ],
    )
    state = apply_operations(alias, [create])
    with connections[alias].cursor() as cursor:
        cursor.execute(f"INSERT INTO {MEMBERSHIP} (user_id, team_id) VALUES (1, 10), (1, 20), (2, 10)")
    return state


def unapply_operations(alias: str, operations: list, before: ProjectState) -> None:
    """Run each operation's database_backwards on `alias`, last first, as `migrate` does to go back."""
    states = [before]
    for operation in operations:
        states.append(states[-1].clone())
        operation.state_forwards("modern_orm", states[-1])
    for i in reversed(range(len(operations))):
        with connections[alias].schema_editor() as editor:
            operations[i].database_backwards("modern_orm", editor, states[i + 1], states[i])


def table_key_and_rows(alias: str):
    with connections[alias].cursor() as cursor:
        constraints = connections[alias].introspection.get_constraints(cursor, MEMBERSHIP)
        columns = [c.name for c in connections[alias].introspection.get_table_description(cursor, MEMBERSHIP)]
        cursor.execute(f"SELECT user_id, team_id FROM {MEMBERSHIP} ORDER BY 1, 2")
        rows = cursor.fetchall()
    return [c["columns"] for c in constraints.values() if c["primary_key"]], columns, rows


def accepted(sql: str) -> bool:
    with connections["default"].cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute(sql)
            return True
        except IntegrityError:
            return False


@exercises.add(
    "to_composite_key",
    "to_composite_key: migration operations that make Membership's primary key (user_id, team_id) "
    "and drop its id column, in the database and in Django's state, keeping the rows, and that "
    "migrate back",
    hint="makemigrations' two operations are right for Django's state and wrong for the table. "
    "migrations.RunSQL can run SQL of your own and tell Django's state something else.",
)
def _(answer):
    assert isinstance(answer, (list, tuple)) and all(isinstance(op, Operation) for op in answer), (
        "a list of migration operations, e.g. [migrations.RunSQL(...)]"
    )
    answer = list(answer)
    before = membership_with_an_id_key("default")
    try:
        state = apply_operations("default", answer, before)
        keys, columns, rows = table_key_and_rows("default")
        assert rows == [(1, 10), (1, 20), (2, 10)], f"the table holds {rows} afterwards: keep the rows"
        assert keys, (
            "the table has no primary key afterwards: the operations that suit Django's state drop "
            "the old key and add none; write the ALTER TABLE with RunSQL"
        )
        assert keys[0] == ["user_id", "team_id"], (
            f"the table's primary key is ({', '.join(keys[0])}), not (user_id, team_id), in that order"
        )
        assert "id" not in columns, "the table still has its id column: drop it, as Django's state will not know it"
        model = state.apps.get_model("modern_orm", "Membership")
        assert isinstance(model._meta.pk, models.CompositePrimaryKey) and [f.name for f in model._meta.pk_fields] == [
            "user_id",
            "team_id",
        ], (
            f"Django's state still says the key is {model._meta.pk.name!r}: give RunSQL the autodetector's "
            "operations as state_operations"
        )
        assert "id" not in {f.name for f in model._meta.fields}, (
            "Django's state still has an id field the table no longer has: state_operations should remove it"
        )
        assert not accepted(f"INSERT INTO {MEMBERSHIP} (user_id, team_id) VALUES (1, 10)"), (
            "a second row for (1, 10) was accepted"
        )
        model.objects.using("default").create(user_id=3, team_id=30)  # Django's state and the table agree
        try:
            unapply_operations("default", answer, before)
        except NotImplementedError as e:
            raise AssertionError(f"the migration cannot be undone ({e}): give RunSQL a reverse_sql") from None
        keys, columns, rows = table_key_and_rows("default")
        assert keys == [["id"]] and rows == [(1, 10), (1, 20), (2, 10), (3, 30)], (
            f"migrated back, the table's key is {keys} with rows {rows}: reverse_sql should bring back the id key"
        )
        assert accepted(f"INSERT INTO {MEMBERSHIP} (user_id, team_id) VALUES (1, 10)"), (
            "migrated back, a row without an id is refused: the id column needs its identity (autoincrement) back"
        )
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {MEMBERSHIP}")


def generated_line_items(expression, alias):
    """A throwaway table whose `total` is GENERATED from the learner's expression."""
    registry = Apps()

    class CheckLineItem(models.Model):
        price = models.DecimalField(max_digits=8, decimal_places=2)
        quantity = models.IntegerField()
        total = models.GeneratedField(
            expression=expression, db_persist=True, output_field=models.DecimalField(max_digits=12, decimal_places=2)
        )

        class Meta:
            app_label = "modern_orm"
            apps = registry
            db_table = "modern_orm_check_lineitem"

    with connections[alias].cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS modern_orm_check_lineitem")
    with connections[alias].schema_editor() as editor:
        editor.create_model(CheckLineItem)
    return CheckLineItem


@exercises.add(
    "line_total",
    "line_total: a GeneratedField expression, price × quantity with 10% off from 10 items",
    hint="You need a conditional expression the database can compute: look up Case and When.",
)
def _(answer):
    from django.db.models.expressions import Combinable, Expression

    assert isinstance(answer, (Expression, Combinable)), "an expression such as F(...) * F(...) or Case(When(...))"
    for alias in ("default", "legacy"):
        Model = generated_line_items(answer, alias)
        try:
            items = Model.objects.using(alias)
            # 9 and 10 items pin the threshold from both sides
            items.bulk_create(
                [
                    Model(price=Decimal("2.50"), quantity=10),
                    Model(price=Decimal("4.00"), quantity=3),
                    Model(price=Decimal("1.20"), quantity=20),
                    Model(price=Decimal("3.00"), quantity=9),
                ]
            )
            got = list(items.order_by("id").values_list("total", flat=True))
            assert got == [Decimal("22.50"), Decimal("12.00"), Decimal("21.60"), Decimal("27.00")], (
                f"{alias}: totals {[str(t) for t in got]}, expected 22.50, 12.00, 21.60, 27.00: "
                "10 or more items get 10% off, 9 or fewer none"
            )
            items.filter(price=Decimal("2.50")).update(quantity=4)  # the database recomputes the total
            items.filter(price=Decimal("4.00")).update(quantity=10)
            got = list(items.order_by("id").values_list("total", flat=True))
            assert got == [Decimal("10.00"), Decimal("36.00"), Decimal("21.60"), Decimal("27.00")], (
                f"{alias}: after changing quantities the totals are {[str(t) for t in got]}: "
                "use F('price') and F('quantity')"
            )
        finally:
            with connections[alias].schema_editor() as editor:
                editor.delete_model(Model)
