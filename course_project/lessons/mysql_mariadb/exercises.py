"""Notebook 03's exercises (reference answers: solutions.py)."""
import re

from course_project.runtime.checker import Exercises
from course_project.lessons.mysql_mariadb.models import Customer

exercises = Exercises("03_mysql_mariadb")


@exercises.add("shop_grant", "GRANT SELECT, INSERT, UPDATE, DELETE on shop.* to 'app'@'%'")
def _(answer):
    sql = re.sub(r"\s+", " ", str(answer)).strip().rstrip(";")
    match = re.fullmatch(r"(?i)GRANT (.+?) ON `?shop`?\.\* TO '?app'?@'%'", sql)
    assert "*.*" not in sql, "*.* would grant on every database"
    assert match, "expected GRANT <privileges> ON shop.* TO 'app'@'%'"
    privileges = {p.strip().upper() for p in match.group(1).split(",")}
    assert privileges == {"SELECT", "INSERT", "UPDATE", "DELETE"}, f"privileges {sorted(privileges)}"


@exercises.add("exact_names", "exact_names(name): customers on legacy whose name matches case-sensitively")
def _(answer):
    names = list(Customer.objects.using("legacy").values_list("name", flat=True))
    assert names, "run section 5 first: it creates the customers"
    for probe in ("ada", "Ada", "ADA"):
        expected = sorted(n for n in names if n == probe)
        assert sorted(answer(probe)) == expected, f"exact_names({probe!r}) should be {expected}"


@exercises.add("strict_options", "OPTIONS for MariaDB: strict mode and utf8mb4")
def _(answer):
    assert answer.get("charset") == "utf8mb4", "charset must be utf8mb4 (utf8 is utf8mb3)"
    assert re.search(r"STRICT_(TRANS|ALL)_TABLES", answer.get("init_command", "")), "turn on strict mode"
