"""Reference answers for notebook 03 (checked by tests/test_03_mysql_mariadb.py)."""

from django.db.models.functions import Collate

from course_project.lessons.mysql_mariadb.models import Customer

shop_grant = "GRANT SELECT (id, name, price), UPDATE (price) ON course_tmp_store.item TO 'course_tmp_clerk'@'%'"


def exact_names(name, alias):
    from django.db import connections

    names = Customer.objects.using(alias)
    if connections[alias].vendor == "mysql":  # the column's collation ignores case: compare bytes, trailing spaces too
        names = names.annotate(exact=Collate("name", "utf8mb4_nopad_bin")).filter(exact=name)
    else:  # PostgreSQL compares exactly
        names = names.filter(name=name)
    return names.order_by("id").values_list("id", flat=True)


strict_options = {"init_command": "SET sql_mode = CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES')", "charset": "utf8mb4"}
