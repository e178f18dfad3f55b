"""The syllabus's AnalyticsRouter, as the project really uses it.

One correction: the syllabus allows any relation that *involves* an analytics model, which would
let a foreign key point from one database into another, something no database can enforce.
Here a relation is allowed when both objects are analytics models; otherwise the router
abstains (returns None) and the next router, or Django's same-database rule, decides.
"""

ANALYTICS_DB = "analytics"


class AnalyticsRouter:
    """Route the `analytics` app to the analytics database: reads, writes, relations, migrations."""

    route_app_labels = {"analytics"}

    def db_for_read(self, model, **hints):
        if model._meta.app_label in self.route_app_labels:
            return ANALYTICS_DB
        return None

    def db_for_write(self, model, **hints):
        if model._meta.app_label in self.route_app_labels:
            return ANALYTICS_DB
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # corrected: True only when BOTH objects are analytics models (the syllabus: either one)
        labels = {obj1._meta.app_label, obj2._meta.app_label}
        if labels <= self.route_app_labels:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label in self.route_app_labels:
            return db == ANALYTICS_DB
        return None
