"""requirements*.txt are the one source of package versions; the lock and environment.yml agree with them."""

import sys
from importlib.metadata import version

import pytest
import yaml
from packaging.requirements import Requirement

from course_project.env import PROJECT_ROOT


def requirements(name):
    lines = (PROJECT_ROOT / name).read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_environment_yml_defers_to_the_pip_files():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert conda == ["python>=3.11,<3.15", "pip"], "put packages in requirements*.txt, not in environment.yml"
    assert pip == ["-r requirements-lab.lock"]
    assert (3, 11) <= sys.version_info[:2] <= (3, 14)


def locked(lock="requirements-lab.lock", environment=None) -> dict:
    pins = {}
    for line in requirements(lock):
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(environment):  # the universal lock has per-Python entries
            pins[req.name.lower().replace("_", "-")] = next(iter(req.specifier)).version
    return pins


def assert_compiled_by_the_lock_command(lock):
    from course_tools.lock import COMMANDS

    header = (PROJECT_ROOT / lock).read_text().splitlines()[1].strip("# ").split()
    assert header == ["uv"] + [arg for arg in COMMANDS[lock] if arg != "--quiet"], "run ./course lock"


def test_the_lock_is_compiled_from_the_pins_by_the_lock_command():
    assert_compiled_by_the_lock_command("requirements-lab.lock")
    pins = locked()
    for line in requirements("requirements.txt") + requirements("requirements-lab.txt")[1:]:
        req = Requirement(line)
        if req.marker and not req.marker.evaluate():  # not for this Python: the lock has it for the others
            assert any(Requirement(lock).name == req.name for lock in requirements("requirements-lab.lock"))
            continue
        assert pins.get(req.name.lower()) == next(iter(req.specifier)).version, f"{req.name}: run ./course lock"


def test_notebook_17s_lock_is_compiled_from_its_pins_by_the_lock_command():
    lock = "requirements-django6.lock"
    assert_compiled_by_the_lock_command(lock)
    pins = locked(lock, {"python_version": "3.12", "python_full_version": "3.12.0"})  # its kernel's minimum
    for line in requirements("requirements-django6.txt"):
        req = Requirement(line)
        assert pins.get(req.name.lower()) == next(iter(req.specifier)).version, f"{req.name}: run ./course lock"


def test_the_environment_is_the_lock_and_nothing_else():
    from importlib.metadata import distributions

    pins = locked()
    installed = {d.metadata["Name"].lower().replace("_", "-"): d.version for d in distributions()}
    extra = set(installed) - set(pins) - {"pip", "setuptools"}
    assert not extra, f"installed but not in the lock: {sorted(extra)}"
    wrong = {
        name: (installed.get(name), want)
        for name, want in pins.items()
        if name in installed and installed[name] != want
    }
    assert not wrong, wrong


def test_lab_requirements_extend_the_course_requirements():
    assert requirements("requirements-lab.txt")[0] == "-r requirements.txt"


@pytest.mark.parametrize("line", requirements("requirements.txt") + requirements("requirements-lab.txt")[1:])
def test_every_package_is_pinned_and_installed_at_that_version(line):
    req = Requirement(line)
    (spec,) = req.specifier
    assert spec.operator == "==", f"pin {req.name} exactly"
    if req.marker and not req.marker.evaluate():  # SecantusDB on Python 3.14: in .venv-mongodb
        assert installed_in_the_server_environment(req.name) == spec.version
        return
    assert version(req.name) == spec.version, f"{req.name}: installed {version(req.name)}, pinned {spec.version}"


def installed_in_the_server_environment(name: str) -> str:
    import subprocess

    from course_project import services
    from course_project.services.native.mongodb import SERVER_VENV

    if services.backend() == "compose":
        pytest.skip(f"{name} is for the native servers; these run in compose")
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    return subprocess.run(
        [str(SERVER_VENV / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize("python", [(3, 11), (3, 13), (3, 14), (3, 15)])
def test_the_set_up_reads_the_secantusdb_pin_as_packaging_does(python):
    from course_tools import mongodb_env

    (line,) = [line for line in requirements("requirements.txt") if line.lower().startswith("secantusdb")]
    req = Requirement(line)
    assert mongodb_env.pinned_version() == next(iter(req.specifier)).version
    gets_a_wheel = req.marker.evaluate(
        {"python_version": "{}.{}".format(*python), "python_full_version": "{}.{}.0".format(*python)}
    )
    assert (python >= mongodb_env.below()) is not gets_a_wheel


def test_django_is_the_lts_and_the_mongodb_backend_matches():
    assert version("django").startswith("5.2.")
    assert version("django-mongodb-backend").startswith("5.2.")


def test_jupysql_replaces_ipython_sql():
    names = {Requirement(line).name.lower() for line in requirements("requirements.txt")}
    assert "jupysql" in names and "ipython-sql" not in names  # both provide the `sql` module


def test_the_legacy_djongo_environment_is_pinned_and_installed():
    line, *stand_ins = requirements("requirements-djongo.txt")
    assert line == "djongo==1.3.7"
    for stand_in in stand_ins:  # modules newer Pythons removed, only where they are gone
        req = Requirement(stand_in)
        assert req.name in ("setuptools", "legacy-cgi") and req.marker is not None, stand_in
        assert str(req.specifier).startswith("=="), f"pin {req.name} exactly"
    python = PROJECT_ROOT / ".venv-djongo" / "bin" / "python"
    assert python.exists(), "./course setup creates .venv-djongo"
    import subprocess

    out = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('djongo'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "1.3.7"
