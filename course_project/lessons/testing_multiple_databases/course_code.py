"""The rest of the course that notebook 15 tests, imported in this one place.

The notebook imports only from course_setup and this app; if the course's modules move, this file
is the one to update.
"""

from course_project.lessons.mongodb_django_orm.models import Author as MongoAuthor  # noqa: F401 (notebook 08)
from course_project.lessons.mongodb_mongoengine.documents import Author as AuthorDocument  # noqa: F401 (notebook 07)
from course_project.lessons.multiple_databases.analytics.models import PageView  # noqa: F401 (notebook 04: routed to analytics)
from course_project.lessons.multiple_databases.routers import AnalyticsRouter  # noqa: F401 (notebook 04)
from course_project.lessons.read_replicas.lag import pause_replay, resume_replay  # noqa: F401 (notebook 05)
from course_project.lessons.read_replicas.models import Order  # noqa: F401 (notebook 05: PrimaryReplicaRouter)
from course_project.services.config import mongo_uri  # noqa: F401 (the app user's MongoDB URI)
