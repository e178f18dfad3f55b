"""Notebook 15's exercises (reference answers: solutions.py).

Each checker runs what the learner wrote: the TestCase with Django's test machinery, on the correct
code (it must pass), then on broken versions that useful tests must catch: a router that sends the
audit entry to default, an open_account() that never stores the account, one whose on_commit is on
analytics, and one that writes the entry at once (only a rolled-back case shows that one).
The router method is called on models the checker picks, directly and through django.db.router.
"""

from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import router, transaction
from django.test import TransactionTestCase, override_settings

from course_project.lessons.testing_multiple_databases.accounts import open_account
from course_project.lessons.testing_multiple_databases.models import Account, AuditEntry
from course_project.lessons.testing_multiple_databases.runner import run_quietly
from course_project.runtime.checker import Exercises

exercises = Exercises("15_testing_multiple_databases")
LABEL = "testing_multiple_databases"


class ForgetfulRouter:
    """Deliberately broken: forgets that AuditEntry lives on analytics (its table exists on
    default too, so nothing raises: the audit entry just lands in the wrong database)."""

    def db_for_read(self, model, **hints):
        return "default" if model._meta.app_label == LABEL else None

    db_for_write = db_for_read


def _failures(result) -> str:
    return "; ".join(line for line in result.lines if not line.endswith(": ok"))


def audit_outside_on_commit(name: str):
    """Mutant: the audit write moved out of the callback (written at once); on_commit keeps only a welcome
    mail. One callback, the account and the entry all still there after a commit: only a rollback shows it."""
    with transaction.atomic(using="default"):
        account = Account.objects.create(name=name)
        AuditEntry.objects.create(account=name, action="opened")
        transaction.on_commit(lambda: None, using="default")  # send_welcome_mail(name)
    return account


def wrong_using(name: str):
    """Mutant: on_commit registered on analytics' transaction, not on the account's."""
    with transaction.atomic(using="default"):
        account = Account.objects.create(name=name)
        transaction.on_commit(lambda: AuditEntry.objects.create(account=name, action="opened"), using="analytics")
    return account


def no_account(name: str):
    """Mutant: the account is never stored; the audit entry still is, after the commit."""
    with transaction.atomic(using="default"):
        transaction.on_commit(lambda: AuditEntry.objects.create(account=name, action="opened"), using="default")
    return Account(name=name)


@contextmanager
def mutated(function, mutant):
    """Swap a function's code for a mutant's, so that every reference to it runs the mutant."""
    original = function.__code__
    function.__code__ = mutant.__code__
    try:
        yield
    finally:
        function.__code__ = original


@exercises.add(
    "AuditTests",
    "a TestCase: a committed open_account() leaves the account on default and its "
    "audit entry on analytics; one rolled back leaves neither",
    hint="Two tests. For the rollback: inside captureOnCommitCallbacks(execute=True), wrap open_account() "
    "in transaction.atomic(using='default') and raise inside it (assertRaises around the block); "
    "the callbacks of a rolled-back block are discarded. Ask each database with using(...).",
)
def _(answer):
    assert isinstance(answer, type) and issubclass(answer, TransactionTestCase), (
        "write a test class: class AuditTests(TestCase): ..."
    )
    assert answer.databases != "__all__" and set(answer.databases) == {"default", "analytics"}, (
        "declare exactly the databases the test touches: databases = {'default', 'analytics'}"
    )
    result = run_quietly(answer)
    assert result.testsRun, "no tests ran: name the methods test_..."
    assert result.wasSuccessful(), (
        f"your test fails on the correct code ({_failures(result)}). In a TestCase nothing commits: "
        "on_commit callbacks run only inside self.captureOnCommitCallbacks(execute=True)"
    )
    with override_settings(DATABASE_ROUTERS=[ForgetfulRouter(), *settings.DATABASE_ROUTERS]):
        broken = run_quietly(answer)
    assert not broken.wasSuccessful(), (
        "your test also passes with a broken router that writes the audit entry to default: a read through "
        "the router follows the same mistake, so check the database itself with using('analytics')"
    )
    for mutant, message in (
        (no_account, "never stores the account: check the account on default too"),
        (
            wrong_using,
            "registers its on_commit on analytics instead of default: check that the audit entry "
            "really exists after a committed open_account()",
        ),
        (
            audit_outside_on_commit,
            "writes the audit entry at once (its on_commit does something else): test a "
            "rolled-back open_account() too, and check that no audit entry is left",
        ),
    ):
        with mutated(open_account, mutant):
            broken = run_quietly(answer)
        assert not broken.wasSuccessful(), f"your tests also pass when open_account() {message}"


# (db, app_label, model_name): what a correct allow_migrate answers
EXPECTED = {
    ("default", LABEL, "account"): True,
    ("analytics", LABEL, "account"): False,
    ("default", LABEL, "auditentry"): True,
    ("analytics", LABEL, "auditentry"): True,
    ("legacy", LABEL, "account"): False,
    ("legacy", LABEL, "auditentry"): False,
    ("mongodb", LABEL, "auditentry"): False,
    ("sqlite", LABEL, "account"): False,
    # model_name=None: an operation on no model (RunPython, RunSQL): it runs where the app lives, default only
    ("default", LABEL, None): True,
    ("analytics", LABEL, None): False,
    ("mongodb", LABEL, None): False,
    # and nowhere else: not on SQLite, nor on the aliases that reach the primary's own tables
    ("sqlite", LABEL, "auditentry"): False,
    ("replica", LABEL, "auditentry"): False,
    ("bouncer", LABEL, "auditentry"): False,
    ("replica", LABEL, "account"): False,
    ("replica", LABEL, None): False,
}
OTHER_APPS = [
    ("default", "auth", "user"),
    ("analytics", "analytics", "pageview"),
    ("default", "replicas", "order"),
    ("legacy", "multidb", "legacyorder"),
    ("mongodb", "mongo_orm", "author"),
]


COURSE_ROUTING = {"LessonRouter", "alias_for", "aliases_for"}


def names_used(code) -> set:
    """The global, attribute and closure names a function's code (nested functions too) refers to."""
    nested = (names_used(c) for c in code.co_consts if hasattr(c, "co_names"))
    return set(code.co_names + code.co_freevars).union(*nested)


@exercises.add(
    "allow_migrate",
    "allow_migrate(db, app_label, model_name=None, **hints): this lesson's tables "
    "where their models say, None for every other app; the rules written out, "
    "without the course's LessonRouter or aliases_for",
    hint="Return None first for any app_label that is not this lesson's. AuditEntry's table may exist where "
    "its `databases` tuple says; Account has no such attribute, so it lives where the app "
    "lives (default) only; so does an operation with model_name=None (RunPython, RunSQL).",
)
def _(answer):
    function = getattr(answer, "__func__", answer)
    code = getattr(function, "__code__", None)
    reused = getattr(function, "__module__", None) == "course_project.routers" or bool(
        code and COURSE_ROUTING & names_used(code)
    )
    assert not reused, (
        "write the rules out yourself: the answer must not call the course's LessonRouter, alias_for or aliases_for"
    )
    for db, app_label, model_name in OTHER_APPS:
        assert answer(db, app_label, model_name=model_name) is None, (
            f"abstain (return None) for other apps such as {app_label!r}: False would keep them off {db!r}"
        )
    for (db, app_label, model_name), expected in EXPECTED.items():
        got = answer(db, app_label, model_name=model_name)
        assert got is expected, (
            f"allow_migrate({db!r}, {app_label!r}, model_name={model_name!r}) returned "
            f"{got!r}: AuditEntry.databases says where its table may be created; Account and "
            f"model_name=None belong on default only"
        )
    learner_router = type("LearnerRouter", (), {"allow_migrate": staticmethod(answer)})()
    with override_settings(DATABASE_ROUTERS=[learner_router, *settings.DATABASE_ROUTERS]):
        for model in apps.get_app_config(LABEL).get_models():
            for db in ("default", "analytics", "legacy"):
                assert router.allow_migrate_model(db, model) is EXPECTED[(db, LABEL, model._meta.model_name)], (
                    f"through django.db.router, {model.__name__} on {db!r} is decided wrongly"
                )
