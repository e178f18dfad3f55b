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


def _both_backends() -> str:
    """Why compose and native cannot be measured side by side here, or '' if they can."""
    from course_project.services.docker_engine import engine_answers
    from course_tools.install import native_needs

    if not engine_answers():
        return "no Docker engine answers (CI's compose leg has one: .ci/compose run ./course test)"
    missing = [need.what for need in native_needs() if not need.present]
    return f"the native servers are not installed ({', '.join(missing)})" if missing else ""


@pytest.mark.timeout(600)
def test_backends_benchmark_measures_compose_beside_native(tmp_path):
    if reason := _both_backends():
        pytest.skip(reason)
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "course_tools", "bench", "--backends", "--quick", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=590,
    )
    assert result.returncode == 0, (result.stderr or result.stdout)[-2000:]
    report = json.loads((tmp_path / "bench-backends.json").read_text())
    labels = {
        f"{phase}, {backend}"
        for phase in ("from empty data", "restart, data kept")
        for backend in ("native", "compose")
    }
    assert set(report["services_up_s"]) == labels
    assert all(seconds > 0 for seconds in report["services_up_s"].values())
    assert result.stdout.count("ratio to: native") == 2
    assert not list((PROJECT_ROOT / "var" / "instances").glob("bench-*")), "the throwaway instances were not removed"
