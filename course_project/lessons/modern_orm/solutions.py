"""Reference answers for notebook 14."""
from decimal import Decimal

from django.db import migrations, models
from django.db.models import Case, F, Value, When

line_total = Case(
    When(quantity__gte=10, then=F("price") * F("quantity") * Value(Decimal("0.9"))),
    default=F("price") * F("quantity"),
)

to_composite_key = [
    migrations.RunSQL(
        sql="ALTER TABLE modern_orm_membership DROP CONSTRAINT modern_orm_membership_pkey, "
            "ADD PRIMARY KEY (user_id, team_id)",
        reverse_sql="ALTER TABLE modern_orm_membership DROP CONSTRAINT modern_orm_membership_pkey, "
                    "ADD PRIMARY KEY (id)",
        state_operations=[  # what the autodetector wrote: right for Django's state
            migrations.AddField("membership", "pk", models.CompositePrimaryKey("user_id", "team_id")),
            migrations.AlterField("membership", "id", models.BigIntegerField()),
        ],
    ),
]
