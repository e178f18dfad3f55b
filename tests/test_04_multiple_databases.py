"""The syllabus's AnalyticsRouter and the lesson router, with the live databases."""
from django.apps import apps
from django.db import IntegrityError, connections, router, transaction
from django.test import TestCase, TransactionTestCase
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.multiple_databases.analytics.models import PageView, ReportNote
from course_project.lessons.multiple_databases import solutions
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
        for model, alias in [(PageView, "analytics"), (Book, "default"), (Contact, "default"),
                             (LegacyOrder, "legacy")]:
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



class ExerciseTests(TransactionTestCase):
    """Each exercise: the reference passes, its value as a constant fails, a plausible mistake fails."""

    databases = {"default", "analytics", "legacy"}

    def test_copy_contact(self):
        accepts(exercises, "copy_contact", solutions.copy_contact)
        reference_ids = []

        def reference_once(pk):
            reference_ids.append(solutions.copy_contact(pk))
            return reference_ids[-1]

        accepts(exercises, "copy_contact", reference_once)
        rejects(exercises, "copy_contact", lambda pk: reference_ids[0], hint="return the id of a new analytics row")

        def keeps_the_pk(pk):  # the syllabus's copy, corrected only in its syntax
            contact = Contact.objects.get(pk=pk)
            contact.save(using="analytics")
            return contact.pk

        rejects(exercises, "copy_contact", keeps_the_pk, hint="an existing analytics row was changed")

        def moves_it(pk):
            contact = Contact.objects.get(pk=pk)
            new_pk = solutions.copy_contact(pk)
            contact.delete()
            return new_pk

        rejects(exercises, "copy_contact", moves_it, hint="the original must stay in default")

    def test_reads_from(self):
        accepts(exercises, "reads_from", solutions.reads_from)
        table = solutions.reads_from(["analytics.DailyReport", "multidb.Contact", "multidb.LegacyOrder",
                                      "auth.User", "multidb.Book", "multidb.Author", "analytics.PageView"])
        rejects(exercises, "reads_from", lambda labels: table, hint="after the routers changed")
        rejects(exercises, "reads_from",
                lambda labels: {label: router.db_for_write(apps.get_model(label)) for label in labels},
                hint="after the routers changed, multidb.Book is read from 'analytics'")
        rejects(exercises, "reads_from",  # the app's `database` attribute is the lesson router's rule, not Django's answer
                lambda labels: {label: getattr(apps.get_app_config(label.split(".")[0]), "database", "default")
                                for label in labels},
                hint="analytics.DailyReport is read from 'analytics'")

    def test_stubs_match(self):
        assert_stubs_match(exercises, "04_multiple_databases.ipynb")
