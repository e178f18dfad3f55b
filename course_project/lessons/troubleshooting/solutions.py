"""Reference answers for notebook 13."""


def diagnosis(message):
    if "Connection refused" in message:
        return "server down or wrong port"
    if "timeout expired" in message:
        return "server not answering"
    if "password authentication failed" in message:  # the same for a role that does not exist
        return "wrong password or unknown user"
    if "pg_hba.conf" in message:  # "no pg_hba.conf entry" or "pg_hba.conf rejects connection"
        return "pg_hba.conf"
    if "too many connections" in message:
        return "connection limit"
    if "does not exist" in message:
        return "no such database"
    return "unknown"


def clashes(ours, theirs):
    from django.db.migrations.operations.fields import FieldOperation, RenameField

    def touched(operations):
        found = set()
        for op in operations:
            if not isinstance(op, FieldOperation):  # CreateModel, RunSQL, AddIndex, AddConstraint: no one field
                continue
            names = (op.old_name_lower, op.new_name_lower) if isinstance(op, RenameField) else (op.name_lower,)
            found.update((op.model_name_lower, name) for name in names)
        return found

    return touched(ours) & touched(theirs)
