"""Notebook 14: Django 5.x keys and columns on every backend, against the live servers."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.apps.registry import Apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import (
    DatabaseError,
    IntegrityError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    connections,
    migrations,
    models,
    transaction,
)
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.operations import CreateModel
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ModelState, ProjectState
from django.db.models import Case, F, Func, Value, When
from django.db.models.functions import Cast, Now
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_mongodb_backend.fields import ObjectIdAutoField
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.modern_orm import solutions
from course_project.lessons.modern_orm.exercises import exercises
from course_project.lessons.modern_orm.models import Enrollment, LineItem, Ticket, VirtualLineItem
from course_project.lessons.modern_orm.operations import apply_operations
from course_project.lessons.modern_orm.sqlite import fresh_sqlite_tables
from course_project.lessons.modern_orm.subscriptions import subscription_model

pytestmark = pytest.mark.django_db(databases=["default", "legacy", "sqlite", "mongodb"])
SQL = ["default", "legacy", "sqlite"]
RACE = ["default", "legacy"]
threaded = pytest.mark.django_db(databases=["default", "legacy", "sqlite", "mongodb"], transaction=True)


def ddl(alias, model):
    with connections[alias].schema_editor(collect_sql=True) as editor:
        editor.create_model(model)
    return "\n".join(editor.collected_sql)


def scratch():
    return Apps(["course_project.lessons.modern_orm"])


@pytest.fixture(scope="module", autouse=True)
def sqlite_tables(django_db_setup, django_db_blocker):
    """The lesson's tables in the SQLite test database (the notebook makes them the same way)."""
    with django_db_blocker.unblock():
        assert "modern_orm_lineitem" in fresh_sqlite_tables()


# --- 1. Composite primary keys -------------------------------------------------------------------


@pytest.mark.parametrize("alias", SQL)
def test_composite_pk_is_a_table_constraint_and_pk_is_a_tuple(alias):
    quote = "`" if alias == "legacy" else '"'
    assert f"PRIMARY KEY ({quote}student_id{quote}, {quote}course_code{quote})" in ddl(alias, Enrollment)
    enrollments = Enrollment.objects.using(alias)
    enrollments.bulk_create(
        [Enrollment(student_id=1, course_code="DB101", grade="A"), Enrollment(student_id=2, course_code="DB101")]
    )
    assert enrollments.get(pk=(1, "DB101")).grade == "A"
    assert enrollments.get(pk=(2, "DB101")).pk == (2, "DB101")
    assert enrollments.filter(pk__in=[(1, "DB101"), (3, "X")]).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic(using=alias):
        Enrollment(student_id=1, course_code="DB101").save(using=alias, force_insert=True)


def test_a_foreign_key_to_a_composite_pk_fails_the_checks():
    registry = scratch()

    class Seat(models.Model):
        pk = models.CompositePrimaryKey("room", "number")
        room = models.CharField(max_length=5)
        number = models.IntegerField()

        class Meta:
            app_label = "modern_orm"
            apps = registry

    class Booking(models.Model):
        seat = models.ForeignKey(Seat, on_delete=models.CASCADE)

        class Meta:
            app_label = "modern_orm"
            apps = registry

    assert [p.id for p in Booking.check()] == ["fields.E347"]


def test_the_admin_refuses_a_composite_pk():
    with pytest.raises(ImproperlyConfigured, match="composite primary key"):
        admin.AdminSite(name="test14").register(Enrollment)


@threaded  # DDL on MariaDB commits: no wrapping transaction
@pytest.mark.parametrize("alias", RACE)
def test_migrating_an_id_to_a_composite_pk_silently_drops_the_key(alias):
    columns = [("user_id", models.IntegerField()), ("team_id", models.IntegerField())]
    before, after = ProjectState(), ProjectState()
    before.add_model(ModelState("modern_orm", "Membership", [("id", models.BigAutoField(primary_key=True)), *columns]))
    after.add_model(
        ModelState("modern_orm", "Membership", [("pk", models.CompositePrimaryKey("user_id", "team_id")), *columns])
    )
    operations = (
        MigrationAutodetector(before, after, NonInteractiveMigrationQuestioner())
        ._detect_changes()["modern_orm"][0]
        .operations
    )
    connection = connections[alias]
    try:
        apply_operations(
            alias, [CreateModel("Membership", [("id", models.BigAutoField(primary_key=True)), *columns]), *operations]
        )
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "modern_orm_membership")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS modern_orm_membership")
    assert [c["columns"] for c in constraints.values() if c["primary_key"]] == []


def test_mongodb_saves_composite_pk_models_without_uniqueness_and_refuses_pk_lookups():
    class MongoEnrollment(models.Model):
        pk = models.CompositePrimaryKey("student_id", "course_code")
        student_id = models.IntegerField()
        course_code = models.CharField(max_length=10)

        class Meta:
            app_label = "mongo_orm"
            apps = scratch()
            db_table = "modern_orm_test_enrollment"

    mongo = connections["mongodb"]
    with mongo.schema_editor() as editor:
        editor.create_model(MongoEnrollment)
    try:
        for _ in range(2):
            MongoEnrollment.objects.using("mongodb").create(student_id=1, course_code="DB101")
        assert MongoEnrollment.objects.using("mongodb").count() == 2
        with pytest.raises(NotSupportedError, match="ColPairs is not supported"):
            MongoEnrollment.objects.using("mongodb").get(pk=(1, "DB101"))
    finally:
        with mongo.schema_editor() as editor:
            editor.delete_model(MongoEnrollment)


# --- 2. Generated columns ------------------------------------------------------------------------


@pytest.mark.parametrize("alias", SQL)
def test_a_stored_generated_column_is_recomputed_and_needs_a_refresh(alias):
    assert "GENERATED ALWAYS AS" in ddl(alias, LineItem) and ddl(alias, LineItem).rstrip(");").endswith("STORED")
    item = LineItem.objects.using(alias).create(price="2.50", quantity=4)
    assert item.total == Decimal("10.00")  # read back by RETURNING
    item.quantity = 10
    item.save(using=alias)
    assert item.total == Decimal("10.00")
    item.refresh_from_db(using=alias)
    assert item.total == Decimal("25.00")
    with pytest.raises(DatabaseError), transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("UPDATE modern_orm_lineitem SET total = 1")


@pytest.mark.parametrize("alias", ["legacy", "sqlite"])
def test_virtual_generated_columns_on_mariadb_and_sqlite(alias):
    assert ddl(alias, VirtualLineItem).rstrip(");").endswith("VIRTUAL")
    VirtualLineItem.objects.using(alias).create(price="1.25", quantity=3)
    VirtualLineItem.objects.using(alias).update(quantity=F("quantity") * 2)
    assert VirtualLineItem.objects.using(alias).values_list("quantity", "total").get() == (6, Decimal("7.50"))


def test_postgresql_has_virtual_generated_columns_from_18_on_and_django_52_does_not_know():
    class PgVirtual(models.Model):
        price = models.IntegerField()
        total = models.GeneratedField(expression=F("price") * 2, output_field=models.IntegerField(), db_persist=False)

        class Meta:
            app_label = "modern_orm"
            apps = scratch()

    # Django 5.2's check refuses them on every PostgreSQL, 18 included; the server's answer is per version.
    assert [p.id for p in PgVirtual._meta.get_field("total").check(databases=["default"])] == ["fields.E221"]
    if connections["default"].pg_version < 180000:
        with (
            pytest.raises(ProgrammingError, match='syntax error at or near "VIRTUAL"'),
            connections["default"].schema_editor() as editor,
        ):
            editor.create_model(PgVirtual)
        return
    with connections["default"].schema_editor() as editor:  # rolled back with the test's transaction
        editor.create_model(PgVirtual)
    PgVirtual.objects.create(price=21)
    PgVirtual.objects.update(price=F("price") + 1)
    assert PgVirtual.objects.values_list("price", "total").get() == (22, 44)


@threaded
@pytest.mark.parametrize(
    "alias,message",
    [
        ("default", "generation expression is not immutable"),
        ("legacy", "cannot be used in the GENERATED ALWAYS AS clause"),
        ("sqlite", "non-deterministic use of strftime() in a generated column"),
    ],
)
def test_a_non_deterministic_generated_column_is_refused(alias, message):
    class Stamped(models.Model):
        name = models.CharField(max_length=10)
        at = models.GeneratedField(expression=Now(), output_field=models.DateTimeField(), db_persist=True)

        class Meta:
            app_label = "modern_orm"
            apps = scratch()

    try:
        with pytest.raises(DatabaseError) as raised:
            with connections[alias].schema_editor() as editor:
                editor.create_model(Stamped)
            Stamped.objects.using(alias).create(name="x")  # SQLite accepts the table, not the row
        assert message in str(raised.value)
    finally:
        with connections[alias].cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS modern_orm_stamped")


def test_mongodb_has_no_generated_fields():
    class MongoLineItem(models.Model):
        id = ObjectIdAutoField(primary_key=True)
        price = models.IntegerField()
        total = models.GeneratedField(expression=F("price") * 2, output_field=models.IntegerField(), db_persist=True)

        class Meta:
            app_label = "mongo_orm"
            apps = scratch()

    assert "fields.E220" in [p.id for p in MongoLineItem._meta.get_field("total").check(databases=["mongodb"])]


# --- 3. db_default versus default ----------------------------------------------------------------


@pytest.mark.parametrize("alias", SQL)
def test_db_default_is_in_the_ddl_and_reaches_raw_inserts_but_default_does_not(alias):
    sql = ddl(alias, Ticket)
    assert "DEFAULT 3" in sql and "status` varchar(10) NOT NULL," in sql.replace('"', "`")
    ticket = Ticket.objects.using(alias).create(title="orm")
    assert (ticket.status, ticket.priority) == ("new", 3) and ticket.opened_at is not None
    with connections[alias].cursor() as cursor:
        with pytest.raises(IntegrityError), transaction.atomic(using=alias):
            cursor.execute("INSERT INTO modern_orm_ticket (title) VALUES ('raw, no status')")
        cursor.execute("INSERT INTO modern_orm_ticket (title, status) VALUES ('raw', 'new')")
    raw = Ticket.objects.using(alias).get(title="raw")
    assert raw.priority == 3 and raw.opened_at is not None


def raw_insert(alias, model):
    """A row inserted by raw SQL, relying on the default; its expires_at as text (or the error)."""
    table = model._meta.db_table
    with connections[alias].cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    with connections[alias].schema_editor() as editor:
        editor.create_model(model)
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (name) VALUES ('raw')")
        return model.objects.using(alias).values_list(Cast("expires_at", models.CharField()), flat=True).get()
    except DatabaseError as e:
        return e
    finally:
        with connections[alias].schema_editor() as editor:
            editor.delete_model(model)


@threaded
@pytest.mark.parametrize("alias", SQL)
def test_now_plus_timedelta_as_db_default_is_a_number_on_mariadb_and_sqlite(alias):
    """Django 5.2's schema editor compiles db_default without resolving it: no duration arithmetic."""
    naive = subscription_model(Now() + timedelta(days=90))
    assert ("7776000000000" in ddl(alias, naive)) == (alias != "default")
    stored = raw_insert(alias, naive)
    if alias == "legacy":
        assert isinstance(stored, OperationalError) and stored.args[0] == 1292
    elif alias == "sqlite":
        assert parse_datetime(stored) is None and int(float(stored)) > 7776000000000
    else:
        assert parse_datetime(stored) is not None


class NowPlusDays(Func):
    output_field = models.DateTimeField()

    def __init__(self, days):
        self.days = int(days)
        super().__init__()

    def as_postgresql(self, compiler, connection):
        return f"STATEMENT_TIMESTAMP() + INTERVAL '{self.days} days'", []

    def as_mysql(self, compiler, connection):
        return f"CURRENT_TIMESTAMP(6) + INTERVAL {self.days} DAY", []

    def as_sqlite(self, compiler, connection):
        return f"STRFTIME('%%Y-%%m-%%d %%H:%%M:%%f', 'NOW', '+{self.days} days')", []


@threaded
@pytest.mark.parametrize("alias", SQL)
def test_per_backend_date_arithmetic_as_db_default_works_everywhere(alias):
    stored = parse_datetime(raw_insert(alias, subscription_model(NowPlusDays(90))))
    stored = stored if timezone.is_aware(stored) else timezone.make_aware(stored, UTC)
    assert round((stored - timezone.now()) / timedelta(days=1)) == 90


def test_mongodb_cannot_encode_a_db_default():
    from bson.errors import InvalidDocument

    class MongoTicket(models.Model):
        id = ObjectIdAutoField(primary_key=True)
        title = models.CharField(max_length=50)
        priority = models.IntegerField(db_default=3)

        class Meta:
            app_label = "mongo_orm"
            apps = scratch()
            db_table = "modern_orm_test_ticket"

    try:
        with pytest.raises(InvalidDocument, match="DatabaseDefault"):
            MongoTicket.objects.using("mongodb").create(title="x")
    finally:
        connections["mongodb"].database.drop_collection("modern_orm_test_ticket")


# --- Exercises -----------------------------------------------------------------------------------


def test_notebook_stubs_are_the_exercises():
    assert_stubs_match(exercises, "14_modern_orm.ipynb")


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


@threaded
def test_reference_answers_pass():
    accepts(exercises, "to_composite_key", solutions.to_composite_key)
    accepts(
        exercises,
        "to_composite_key",
        [
            migrations.RunSQL(  # another valid answer: the key dropped by name
                sql="ALTER TABLE modern_orm_membership DROP CONSTRAINT modern_orm_membership_pkey, DROP COLUMN id; "
                "ALTER TABLE modern_orm_membership ADD PRIMARY KEY (user_id, team_id)",
                reverse_sql=solutions.to_composite_key[0].reverse_sql,
                state_operations=STATE_OPERATIONS,
            )
        ],
    )
    accepts(exercises, "line_total", solutions.line_total)
    assert exercises.check({}, record=False).passed == 0


STATE_OPERATIONS = [
    migrations.RemoveField("membership", "id"),
    migrations.AddField("membership", "pk", models.CompositePrimaryKey("user_id", "team_id")),
]


@threaded
def test_to_composite_key_wrong_answers_fail_with_their_hint():
    reference = solutions.to_composite_key[0]
    rejects(exercises, "to_composite_key", STATE_OPERATIONS, hint="the table has no primary key afterwards")
    rejects(
        exercises,
        "to_composite_key",
        [migrations.RunSQL(reference.sql, reference.reverse_sql)],
        hint="give RunSQL the autodetector's operations",
    )
    recreate = [
        migrations.RunSQL(
            "DROP TABLE modern_orm_membership; CREATE TABLE modern_orm_membership "
            "(user_id integer, team_id integer, PRIMARY KEY (user_id, team_id))",
            state_operations=STATE_OPERATIONS,
        )
    ]
    rejects(exercises, "to_composite_key", recreate, hint="keep the rows")
    keeps_id = [
        migrations.RunSQL(  # the table keeps id as an identity column that Django's state calls a plain field
            "ALTER TABLE modern_orm_membership DROP CONSTRAINT modern_orm_membership_pkey, "
            "ADD PRIMARY KEY (user_id, team_id)",
            "ALTER TABLE modern_orm_membership DROP CONSTRAINT modern_orm_membership_pkey, ADD PRIMARY KEY (id)",
            state_operations=[
                migrations.AddField("membership", "pk", models.CompositePrimaryKey("user_id", "team_id")),
                migrations.AlterField("membership", "id", models.BigIntegerField()),
            ],
        )
    ]
    rejects(exercises, "to_composite_key", keeps_id, hint="still has its id column")
    reversed_key = [
        migrations.RunSQL(
            reference.sql.replace("(user_id, team_id)", "(team_id, user_id)"),
            reference.reverse_sql,
            state_operations=STATE_OPERATIONS,
        )
    ]
    rejects(exercises, "to_composite_key", reversed_key, hint="in that order")
    no_way_back = [migrations.RunSQL(reference.sql, state_operations=STATE_OPERATIONS)]
    rejects(exercises, "to_composite_key", no_way_back, hint="give RunSQL a reverse_sql")
    rejects(exercises, "to_composite_key", "ALTER TABLE ...", hint="a list of migration operations")


@threaded
def test_line_total_constant_no_discount_and_a_low_threshold_fail():
    rejects(exercises, "line_total", Value(Decimal("22.50")), hint="totals ['22.50', '22.50', '22.50', '22.50']")
    rejects(exercises, "line_total", F("price") * F("quantity"), hint="10 or more items get 10% off")
    from_five = Case(
        When(quantity__gte=5, then=F("price") * F("quantity") * Value(Decimal("0.9"))),
        default=F("price") * F("quantity"),
    )
    rejects(exercises, "line_total", from_five, hint="9 or fewer none")
    rejects(exercises, "line_total", Decimal("22.50"), hint="an expression")


def test_the_lesson_never_migrates_onto_sqlite():
    """Notebook 01 lists the tables migrate makes on `sqlite`: this lesson's must not be among them."""
    from django.apps import apps
    from django.db import router

    lesson = list(apps.get_app_config("modern_orm").get_models())
    assert not any(router.allow_migrate_model("sqlite", model) for model in lesson)
    assert all(router.allow_migrate_model("default", model) for model in lesson if model is not VirtualLineItem)
    assert {model.__name__ for model in lesson} == {"Enrollment", "LineItem", "VirtualLineItem", "Ticket"}
    assert router.allow_migrate_model("legacy", VirtualLineItem) and not router.allow_migrate_model(
        "default", VirtualLineItem
    )
