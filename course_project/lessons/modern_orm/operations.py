"""Apply migration operations to a real table, as `migrate` does, without writing a migration file."""

from django.db import connections
from django.db.migrations.state import ProjectState


def apply_operations(
    alias: str, operations: list, state: ProjectState | None = None, app_label: str = "modern_orm"
) -> ProjectState:
    """Run each operation's database_forwards on `alias`, carrying Django's model state along; the final state."""
    state = state or ProjectState()
    for operation in operations:
        new_state = state.clone()
        operation.state_forwards(app_label, new_state)
        with connections[alias].schema_editor() as editor:
            operation.database_forwards(app_label, editor, state, new_state)
        state = new_state
    return state
