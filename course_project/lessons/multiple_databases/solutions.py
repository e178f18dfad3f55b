"""Reference answers for notebook 04."""

from course_project.lessons.multiple_databases.models import Contact, LegacyOrder


def archive_contact(pk):
    contact = Contact.objects.using("default").get(pk=pk)
    original_pk = contact.pk
    contact.pk = None
    contact.save(using="analytics", force_insert=True)  # raises if it fails: the original stays
    Contact.objects.using("default").filter(pk=original_pk).delete()
    return contact.pk


class LegacyRouter:
    def _is_legacy(self, model):
        return model is LegacyOrder

    def db_for_read(self, model, **hints):
        return "legacy" if self._is_legacy(model) else None

    def db_for_write(self, model, **hints):
        return "legacy" if self._is_legacy(model) else None

    def allow_relation(self, obj1, obj2, **hints):
        legacy = [self._is_legacy(type(obj)) for obj in (obj1, obj2)]
        if all(legacy):
            return True
        if any(legacy):
            return False
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == "legacy" else None
