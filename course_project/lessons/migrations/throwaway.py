"""A throwaway Django app in a temporary folder, driven through `django-admin` in a subprocess.

Lessons that must create, delete or break migration files (the "reset migrations" recipe,
a migration conflict) do it here, never to the course's committed migrations.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from course_project.env import PROJECT_ROOT


class ThrowawayApp:
    def __init__(self, label: str = "throwaway"):
        self.label = label
        self.root = Path(tempfile.mkdtemp(prefix="course-throwaway-"))
        self.migrations = self.root / label / "migrations"
        self.migrations.mkdir(parents=True)
        for package in (self.root / label, self.migrations):
            (package / "__init__.py").write_text("")
        (self.root / "throwaway_settings.py").write_text(
            f"from course_project.settings import *  # noqa\nINSTALLED_APPS = [*INSTALLED_APPS, {label!r}]\n"
        )

    def models(self, source: str):
        (self.root / self.label / "models.py").write_text("from django.db import models\n\n" + source)

    def manage(self, *args) -> str:
        """Run a management command; return what it printed (errors included), with exit status."""
        return self._python("-m", "django", *args)

    def leaves(self) -> list:
        """The app's leaf migrations, read by Django's MigrationLoader from the files (one when the graph is a line)."""
        code = (
            "import django; django.setup()\n"
            "from django.db.migrations.loader import MigrationLoader\n"
            f"print(*sorted(n for _, n in MigrationLoader(None).graph.leaf_nodes({self.label!r})))"
        )
        out = self._python("-c", code)
        if out.startswith("[exit"):
            raise RuntimeError(out)
        return out.split()

    def _python(self, *args) -> str:
        env = {
            **os.environ,
            "PYTHONPATH": f"{self.root}{os.pathsep}{PROJECT_ROOT}",
            "DJANGO_SETTINGS_MODULE": "throwaway_settings",
            # ipykernel sets FORCE_COLOR=1, and from Python 3.13 on that colours tracebacks: plain text here.
            "PYTHON_COLORS": "0",
        }
        proc = subprocess.run(
            [sys.executable, *args],
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        out = (proc.stdout + proc.stderr).strip().replace(f"{self.root}/", "")  # no temporary paths
        if proc.returncode:
            lines = [line for line in out.splitlines() if line.strip()]
            return f"[exit {proc.returncode}] " + (lines[-1] if lines else "")
        return out

    def migration_files(self) -> list:
        return sorted(p.name for p in self.migrations.glob("0*.py"))

    def delete_migration_files(self):
        for path in self.migrations.glob("0*.py"):
            path.unlink()
        shutil.rmtree(self.migrations / "__pycache__", ignore_errors=True)

    def close(self):
        """Unapply everything it applied, then delete the folder."""
        if self.migration_files():
            self.manage("migrate", self.label, "zero", "--no-input")
        shutil.rmtree(self.root, ignore_errors=True)
