"""The course benchmark runs end to end in quick mode and writes its report (timings are not judged)."""

import json
import subprocess
import sys

import pytest

from course_project.env import PROJECT_ROOT


@pytest.mark.timeout(180)
def test_quick_benchmark_writes_every_section(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "course_tools", "bench", "--quick", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert set(report) >= {"per_query_ms", "per_request_ms", "bulk_rows_per_s", "notebook_suite_s", "machine"}
    assert "psycopg, reused connection (floor)" in report["per_query_ms"]
    assert "PostgreSQL: COPY" in report["bulk_rows_per_s"]
    sections = ("per_query_ms", "per_request_ms", "bulk_rows_per_s")
    assert all(v > 0 for section in sections for v in report[section].values())
    assert "ratio to:" in result.stdout
