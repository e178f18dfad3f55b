"""EXPLAIN, reduced to what a lesson prints: plan steps without costs or timings."""

from django.db import connections


def plan(alias: str, sql: str, params=()) -> list:
    """PostgreSQL: the plan's nodes ('Seq Scan on table', 'Bitmap Index Scan on index', ...);
    MariaDB: 'type=... key=...' per table."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            nodes, stack = [], [cursor.fetchone()[0][0]["Plan"]]
            while stack:
                node = stack.pop(0)
                target = node.get("Index Name") or node.get("Relation Name")
                nodes.append(node["Node Type"] + (f" on {target}" if target else ""))
                stack = node.get("Plans", []) + stack
            return nodes
        cursor.execute("EXPLAIN " + sql, params)
        columns = [c[0] for c in cursor.description]
        rows = (dict(zip(columns, r, strict=True)) for r in cursor.fetchall())
        return [f"type={row['type']} key={row['key']}" for row in rows]
