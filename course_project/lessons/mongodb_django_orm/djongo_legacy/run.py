"""Run the syllabus's djongo models (Option 1, then its embedded documents) against the course's MongoDB
server; print one JSON report.

    DJONGO_MONGO_URI=... DJONGO_DB=... .venv-djongo/bin/python run.py

Called by notebook 08 (course_project/lessons/mongodb_django_orm/legacy.py) from this folder.
"""

import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legacy_settings")
import django  # noqa: E402

django.setup()
import pymongo  # noqa: E402
from blogapp.models import Author, Blog, Entry  # noqa: E402
from bson import ObjectId  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, IntegrityError, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.signals import pre_save  # noqa: E402
from embedapp.models import Blog as EmbeddedBlog  # noqa: E402

report = {"django": django.get_version(), "pymongo": pymongo.version}
notices = io.StringIO()
with redirect_stdout(notices), redirect_stderr(notices):  # djongo prints a notice per unsupported SQL feature
    call_command("migrate", verbosity=0, interactive=False)
report["migrate"] = "ok"

Entry.objects.all().delete()
Author.objects.all().delete()
Blog.objects.all().delete()
engines = Blog.objects.create(name="Engines", tagline="Analytical")
notes = Blog.objects.create(name="Notes", tagline="Short ones")
ada = Author.objects.create(name="Ada", email="ada@example.com")
grace = Author.objects.create(name="Grace", email="grace@example.com")
for blog, headline, authors in [
    (engines, "Bernoulli numbers", [ada]),
    (engines, "Looms", [ada, grace]),
    (notes, "Compilers", [grace]),
]:
    Entry.objects.create(blog=blog, headline=headline, body_text="...").authors.set(authors)

report["entries"] = Entry.objects.count()
report["join: entries in blog 'Engines'"] = Entry.objects.filter(blog__name="Engines").count()
report["many-to-many: entries by Ada"] = sorted(
    Entry.objects.filter(authors__name="Ada").values_list("headline", flat=True)
)
report["annotate: entries per blog"] = sorted(Blog.objects.annotate(n=Count("entry")).values_list("name", "n"))
try:
    with transaction.atomic():
        Blog.objects.create(name="Engines", tagline="again")
except (IntegrityError, DatabaseError) as error:
    report["unique violation raises"] = f"{type(error).__module__}.{type(error).__name__}"
    report["is IntegrityError"] = isinstance(error, IntegrityError)

# get_or_create's race: another request creates the same blog between our get() and our create().
# Django's answer to that is to catch IntegrityError and get() again; djongo raises DatabaseError.
rival = {"armed": True}


def another_request(sender, instance, **kwargs):
    if rival.pop("armed", False):
        Blog.objects.create(name=instance.name, tagline="created by another request")


pre_save.connect(another_request, sender=Blog)
try:
    blog, created = Blog.objects.get_or_create(name="Races", defaults={"tagline": "ours"})
    report["get_or_create, lost race"] = f"returned the other request's blog, created={created}"
except DatabaseError as error:
    chain, e, duplicate = [], error, None
    while e is not None and not isinstance(e, Blog.DoesNotExist):
        chain.append(type(e).__name__)
        duplicate = getattr(e, "details", {}).get("writeErrors", [{}])[0].get("errmsg") or duplicate
        e = e.__cause__ or e.__context__
    report["get_or_create, lost race"] = f"{chain[0]}: {str(error) or '(no message)'}"
    report["raised from"] = " <- ".join(chain[1:]) + f": {duplicate}"
finally:
    pre_save.disconnect(another_request, sender=Blog)

# The syllabus's embedded documents: one blog document holds its entries (ArrayField) and its counters
# (EmbeddedField); DjongoManager adds `mongo_*` methods that take MongoDB queries as they are.
# (djongo 1.3.7 takes and returns the embedded values as dicts, not BlogEntry/MetaData instances)
EmbeddedBlog.objects.all().delete()
entries = [{"headline": "Looms", "body_text": "..."}, {"headline": "Bernoulli numbers", "body_text": "..."}]
try:  # as the syllabus writes it: BlogEntry's ObjectIdField is a required field of every entry
    EmbeddedBlog.objects.create(name="Engines", entries=entries, metadata={"views": 3, "likes": 1})
except ValidationError as error:
    report["embedded, as the syllabus writes it"] = f"ValidationError: {error.messages[0]}"
EmbeddedBlog.objects.create(
    name="Engines", entries=[{"_id": ObjectId(), **entry} for entry in entries], metadata={"views": 3, "likes": 1}
)
blog = EmbeddedBlog.objects.get(name="Engines")
report["embedded: entries"] = [entry["headline"] for entry in blog.entries]
report["embedded: metadata"] = dict(blog.metadata)
stored = EmbeddedBlog.objects.mongo_find_one({"name": "Engines"})
report["embedded: one document holds"] = sorted(key for key in stored if key != "_id")
report["embedded: mongo_count on entries.headline"] = EmbeddedBlog.objects.mongo_count({"entries.headline": "Looms"})
print(json.dumps(report))
sys.exit(0)
