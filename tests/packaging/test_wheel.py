"""The wheel is the whole app: built from the source files an sdist holds, installed (not
editable) into a fresh virtual environment, it starts in Chinese with its icon, style
sheet and fonts, and creates a workspace with its migrations.

The new environment gets the dependencies by a path file pointing at this environment's
site-packages (installing PySide6 and matplotlib again would cost a minute and half a
gigabyte per run); ``kol_desk`` itself comes from the wheel only, which the test checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="the venv layout below is POSIX"),
]

REPO = Path(__file__).resolve().parents[2]
# What the build needs, as in an sdist (MANIFEST.in): no tests, no .venv, no build/.
SOURCES = ["setup.py", "setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md", "kol_desk",
           "resources"]


def run(command: list[str | Path], env: dict[str, str] | None = None,
        timeout: int = 600) -> subprocess.CompletedProcess[str]:
    # Outside the checkout: `python -c` would import kol_desk from the current folder.
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          timeout=timeout, check=False,
                          env={**os.environ, "PYTHONPATH": "", **(env or {})},
                          cwd=Path(command[0]).anchor)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


def missing_backend() -> list[str]:
    """pyproject.toml's build requirements this environment lacks (the test extras
    install them: ``pip install -e '.[test]'``)."""
    import tomllib
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    wanted = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    missing = []
    for text in wanted:
        requirement = Requirement(text)
        try:
            if not requirement.specifier.contains(version(requirement.name), prereleases=True):
                missing.append(text)
        except PackageNotFoundError:
            missing.append(text)
    return missing


def _build_wheel(source: Path, dist: Path) -> None:
    """Build with this environment's setuptools and wheel, offline: pip's default build
    isolation would fetch them from the package index at every run. Without them here,
    the isolated build is tried, and a package index that cannot be reached (CI has only
    a local one, a laptop may have none) skips the test with the reason, not a failure."""
    missing = missing_backend()
    if not missing:
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--no-index", "--quiet", "-w", dist, source])
        return
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                           str(dist), str(source)], capture_output=True, text=True, timeout=600,
                          check=False, env={**os.environ, "PYTHONPATH": ""}, cwd=source.anchor)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        fetch_failed = any(sign in output for sign in (
            "Could not find a version that satisfies the requirement", "No matching distribution",
            "Failed to establish a new connection", "Temporary failure in name resolution",
            "Network is unreachable"))
        if fetch_failed:
            pytest.skip(f"the build backend ({', '.join(missing)}) is not installed here and the "
                        "package index cannot provide it; pip install -e '.[test]' installs it")
        raise AssertionError(f"pip wheel: {output}")


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(REPO / name, source / name)
    _build_wheel(source, work / "dist")
    (wheel,) = (work / "dist").glob("kol_desk-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
         "--ignore-installed", "--quiet", wheel])
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    ours = sysconfig.get_paths()
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        f"{ours['purelib']}\n{ours['platlib']}\n", encoding="utf-8")
    return venv


def test_the_package_and_its_resources_come_from_the_wheel(venv: Path) -> None:
    done = run([venv / "bin" / "python", "-c",
                "import json, kol_desk, kol_desk.paths as p; from kol_desk.store import migrate; "
                "print(json.dumps([kol_desk.__file__, str(p.RESOURCES), str(p.CJK_FALLBACK_FONT), "
                "str(migrate.MIGRATIONS)]))"])
    package, resources, font, migrations = map(Path, json.loads(done.stdout))
    for path in (package, resources, font, migrations):
        assert venv in path.parents, path
    assert resources == package.parent / "resources"
    assert font.is_file() and (resources / "icons" / "kol-desk.svg").is_file()
    assert {p.name for p in (resources / "translations" / "zh_CN").glob("*.json")} == {
        p.name for p in (REPO / "resources" / "translations" / "zh_CN").glob("*.json")}
    assert len(list((migrations / "versions").glob("0*.py"))) == len(
        list((REPO / "kol_desk" / "store" / "migrations" / "versions").glob("0*.py")))


def test_the_installed_app_starts_in_chinese_on_a_migrated_workspace(
        venv: Path, tmp_path: Path) -> None:
    env = {"QT_QPA_PLATFORM": "offscreen"}
    version = run([venv / "bin" / "kol-desk", "--version"], env=env)
    assert version.stdout.startswith("KOL Desk ")
    database = tmp_path / "demo.sqlite"
    run([venv / "bin" / "kol-desk", "demo", "--db", database, "--creators", "30"], env=env)
    run([venv / "bin" / "kol-desk", "check", "--db", database], env=env)
    done = run([venv / "bin" / "kol-desk", "--smoke-test", "--lang", "zh_CN", "--db", database],
               env=env)
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["visible"] is True
    assert shown["tabs"] == ["达人", "项目", "预算", "报表"]
    assert shown["icon"] is True and shown["style_sheet"] is True
    assert venv in Path(shown["resources"]).parents
