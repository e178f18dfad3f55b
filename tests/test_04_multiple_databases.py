"""The syllabus's AnalyticsRouter and the lesson router, with the live databases."""

from django.db import IntegrityError, connections, router, transaction
from django.test import TestCase, TransactionTestCase
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.multiple_databases import solutions
from course_project.lessons.multiple_databases.analytics.models import PageView, ReportNote
from course_project.lessons.multiple_databases.exercises import exercises
from course_project.lessons.multiple_databases.models import Author, Book, Contact, LegacyOrder
from course_project.lessons.multiple_databases.routers import AnalyticsRouter
from course_project.lessons.multiple_databases.transfers import copy_as_new, signup


class AnalyticsRouterUnitTests(TestCase):
    databases = {"default"}
    r = AnalyticsRouter()

    def test_routes_only_the_analytics_app(self):
        self.assertEqual(self.r.db_for_read(PageView), "analytics")
        self.assertEqual(self.r.db_for_write(PageView), "analytics")
        self.assertIsNone(self.r.db_for_read(Book))
        self.assertIsNone(self.r.db_for_write(Contact))

    def test_migrations_of_the_analytics_app_go_to_analytics_only(self):
        self.assertTrue(self.r.allow_migrate("analytics", "analytics"))
        self.assertFalse(self.r.allow_migrate("default", "analytics"))
        self.assertIsNone(self.r.allow_migrate("default", "multidb"))

    def test_relations_only_inside_analytics(self):
        self.assertTrue(self.r.allow_relation(PageView(), ReportNote()))
        self.assertIsNone(self.r.allow_relation(PageView(), Book()))


class RouterChainTests(TestCase):
    databases = {"default"}

    def test_every_model_reads_and_writes_where_it_lives(self):
        for model, alias in [(PageView, "analytics"), (Book, "default"), (Contact, "default"), (LegacyOrder, "legacy")]:
            self.assertEqual(router.db_for_read(model), alias, model)
            self.assertEqual(router.db_for_write(model), alias, model)

    def test_model_level_databases_decide_migrations(self):
        self.assertTrue(router.allow_migrate("analytics", "multidb", model_name="contact"))
        self.assertFalse(router.allow_migrate("analytics", "multidb", model_name="book"))
        self.assertFalse(router.allow_migrate("legacy", "multidb", model_name="author"))
        self.assertFalse(router.allow_migrate("analytics", "auth", model_name="user"))


class LiveMultiDatabaseTests(TransactionTestCase):
    databases = {"default", "analytics", "legacy"}
    reset_sequences = True  # ids start at 1 in every test, so the same-pk collisions are certain

    def test_tables_exist_only_where_allowed(self):
        def tables(alias):
            with connections[alias].cursor() as cursor:
                return set(connections[alias].introspection.table_names(cursor))

        self.assertIn("multidb_book", tables("default"))
        self.assertNotIn("multidb_book", tables("analytics"))
        self.assertIn("analytics_pageview", tables("analytics"))
        self.assertNotIn("analytics_pageview", tables("default"))

    def test_saving_with_the_same_pk_overwrites_and_copy_as_new_does_not(self):
        ada = Contact.objects.create(name="Ada", email="ada@example.com")
        other = Contact.objects.using("analytics").create(name="Linus", email="l@example.com")
        self.assertEqual(other.pk, ada.pk)  # two databases, two sequences: the same numbers
        copy = copy_as_new(ada, "analytics")
        self.assertNotEqual(copy.pk, other.pk)
        self.assertEqual(Contact.objects.using("analytics").get(pk=other.pk).name, "Linus")
        ada.save(using="analytics")  # the syllabus's copy, corrected: overwrites Linus
        self.assertEqual(Contact.objects.using("analytics").get(pk=other.pk).name, "Ada")
        with self.assertRaises(IntegrityError), transaction.atomic(using="analytics"):
            ada.save(using="analytics", force_insert=True)

    def test_cross_database_relation_is_refused(self):
        author = Author.objects.using("analytics").create(name="Margaret")
        with self.assertRaisesMessage(ValueError, "the current database router prevents this relation"):
            Book(title="x").author = author

    def test_analytics_write_waits_for_the_main_commit(self):
        with self.assertRaises(RuntimeError), transaction.atomic(using="default"):
            signup("Katherine", "k@example.com")
            raise RuntimeError("request failed")
        self.assertEqual(PageView.objects.count(), 0)
        contact = signup("Frances", "f@example.com")
        self.assertEqual(list(PageView.objects.values_list("user_id", flat=True)), [contact.pk])

    def test_a_failed_analytics_write_reaches_the_caller_and_keeps_the_contact(self):
        with self.assertRaisesMessage(RuntimeError, "analytics is down"):
            signup("Mary", "m@example.com", fail_in_analytics=True)
        mary = Contact.objects.get(name="Mary")
        self.assertFalse(PageView.objects.filter(user_id=mary.pk).exists())


class ExerciseTests(TransactionTestCase):
    """Each exercise: the reference passes, its value as a constant fails, a plausible mistake fails."""

    databases = {"default", "analytics", "legacy"}

    def test_archive_contact(self):
        accepts(exercises, "archive_contact", solutions.archive_contact)
        reference_ids = []

        def reference_once(pk):
            reference_ids.append(solutions.archive_contact(pk))
            return reference_ids[-1]

        accepts(exercises, "archive_contact", reference_once)
        rejects(exercises, "archive_contact", lambda pk: reference_ids[0], hint="return the id of a new analytics row")

        def keeps_the_pk(pk):  # the syllabus's copy, corrected only in its syntax
            contact = Contact.objects.get(pk=pk)
            contact.save(using="analytics")
            contact.delete()
            return pk

        rejects(exercises, "archive_contact", keeps_the_pk, hint="an existing analytics row was changed")

        def copies_only(pk):
            contact = Contact.objects.get(pk=pk)
            contact.pk = None
            contact.save(using="analytics")
            return contact.pk

        rejects(exercises, "archive_contact", copies_only, hint="the original must leave default")

        def deletes_first(pk):
            contact = Contact.objects.get(pk=pk)
            Contact.objects.filter(pk=pk).delete()
            contact.pk = None
            contact.save(using="analytics")
            return contact.pk

        rejects(exercises, "archive_contact", deletes_first, hint="copy first, delete after")

        def swallows_errors(pk):
            try:
                return solutions.archive_contact(pk)
            except Exception:  # noqa: BLE001
                return None

        rejects(exercises, "archive_contact", swallows_errors, hint="let the error propagate")

    def test_legacy_router(self):
        accepts(exercises, "LegacyRouter", solutions.LegacyRouter)
        rejects(exercises, "LegacyRouter", solutions.LegacyRouter(), hint="define a class")

        class PerApp(AnalyticsRouter):  # the syllabus's router, pointed at the legacy model's app
            route_app_labels = {"multidb"}

        rejects(exercises, "LegacyRouter", PerApp, hint="should be 'legacy'")

        class WholeApp(solutions.LegacyRouter):
            def _is_legacy(self, model):
                return model._meta.app_label == "multidb"

        rejects(exercises, "LegacyRouter", WholeApp, hint="return None for every other model")

        class DefaultForOthers(solutions.LegacyRouter):
            def db_for_read(self, model, **hints):
                return super().db_for_read(model) or "default"

        rejects(exercises, "LegacyRouter", DefaultForOthers, hint="db_for_read(multidb.Book) gave 'default'")

        class LetsDjangoDecideMixedRelations(solutions.LegacyRouter):
            def allow_relation(self, obj1, obj2, **hints):
                return super().allow_relation(obj1, obj2) or None

        rejects(exercises, "LegacyRouter", LetsDjangoDecideMixedRelations, hint="False, not None")

        class MigratesOthersOnLegacy(solutions.LegacyRouter):
            def allow_migrate(self, db, app_label, model_name=None, **hints):
                return False if (db, model_name) == ("legacy", "legacyorder") else None

        rejects(exercises, "LegacyRouter", MigratesOthersOnLegacy, hint="should be False, not None")

        class WithoutHints:  # every answer right, but no **hints: `migrate` would crash on model=
            def db_for_read(self, model):
                return "legacy" if model is LegacyOrder else None

            def db_for_write(self, model):
                return "legacy" if model is LegacyOrder else None

            def allow_relation(self, obj1, obj2):
                legacy = [type(o) is LegacyOrder for o in (obj1, obj2)]
                return True if all(legacy) else False if any(legacy) else None

            def allow_migrate(self, db, app_label, model_name=None):
                return False if db == "legacy" else None

        rejects(exercises, "LegacyRouter", WithoutHints, hint="every router method takes **hints")

        class HintsOnlyWhereAskedBare(solutions.LegacyRouter):  # allow_migrate as the checker once called it
            def allow_migrate(self, db, app_label, model_name=None):
                return False if db == "legacy" else None

        rejects(exercises, "LegacyRouter", HintsOnlyWhereAskedBare, hint="every router method takes **hints")

    def test_stubs_match(self):
        assert_stubs_match(exercises, "04_multiple_databases.ipynb")
