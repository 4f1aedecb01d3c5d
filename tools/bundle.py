"""The desktop bundle: one self-contained application folder built with PyInstaller for
the system it runs on (Linux, Windows or macOS), plus an archive to hand out.

    python tools/bundle.py [--dist DIR] [--smoke]      (sh tools/package.sh runs it)

Everything that differs between systems is decided here, by functions that take the
system's name (``platform.system()``), so the same code is tested on any one of them:
executable names, the icon format, the archive, and the smoke run of the built app.
``tools/kol-desk.spec`` asks these functions what to build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "kol-desk"
SPEC = ROOT / "tools" / "kol-desk.spec"
RESOURCES = ROOT / "resources"
MIGRATIONS = ROOT / "kol_desk" / "store" / "migrations"


@dataclass(frozen=True)
class Layout:
    """What the bundle of one system holds, and where."""

    system: str
    gui: str  # the program a user starts
    cli: str | None  # a separate console program, where the GUI one has no console
    icon_suffix: str
    app_bundle: bool  # a macOS .app around the folder
    archive_suffix: str

    def folder(self, dist: Path) -> Path:
        return dist / (f"{APP}.app" if self.app_bundle else APP)

    def program(self, dist: Path, console: bool = False) -> Path:
        """The executable to run; ``console``: the one that writes to a terminal."""
        name = self.cli if console and self.cli else self.gui
        if self.app_bundle:
            return self.folder(dist) / "Contents" / "MacOS" / name
        return self.folder(dist) / name


def layout(system: str) -> Layout:
    if system == "Windows":
        # A windowed program has no console on Windows: scripts use kol-desk-cli.exe.
        return Layout(system, f"{APP}.exe", f"{APP}-cli.exe", ".ico", False, ".zip")
    if system == "Darwin":
        return Layout(system, APP, None, ".icns", True, ".zip")
    return Layout(system, APP, None, ".png", False, ".tar.gz")


def data_files() -> list[tuple[str, str]]:
    """(source, folder in the bundle) pairs: resources/ goes where an installed package
    keeps it (kol_desk/resources, see kol_desk.paths); Alembic reads the migrations as
    files, so they go beside the bundled modules as source."""
    pairs = [(str(RESOURCES), "kol_desk/resources")]
    pairs.append((str(MIGRATIONS / "env.py"), "kol_desk/store/migrations"))
    pairs.append((str(MIGRATIONS / "script.py.mako"), "kol_desk/store/migrations"))
    pairs += [(str(path), "kol_desk/store/migrations/versions")
              for path in sorted((MIGRATIONS / "versions").glob("*.py"))]
    return pairs


def render_icon(target: Path, size: int = 512) -> Path:
    """resources/icons/kol-desk.svg as a PNG; PyInstaller turns it into .ico or .icns
    (with Pillow) where the system wants those."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(RESOURCES / "icons" / "kol-desk.svg")).render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target)):
        raise OSError(f"cannot write {target}")
    return target


DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=KOL Desk
GenericName=Influencer marketing workspace
GenericName[zh_CN]=达人营销工作台
Comment=Creators, campaigns, budget and reports, fluent in Excel
Exec="{program}" %F
Icon={icon}
Terminal=false
Categories=Office;
StartupWMClass=kol-desk
"""

INSTALL_SCRIPT = """#!/bin/sh
# Adds KOL Desk to the desktop's application menu, from wherever this folder now lies.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$apps"
sed -e "s#@FOLDER@#$here#g" "$here/kol-desk.desktop" >"$apps/kol-desk.desktop"
echo "KOL Desk is in the application menu ($apps/kol-desk.desktop)"
"""


def add_desktop_entry(folder: Path, icon: Path) -> None:
    """Linux: the icon, a .desktop entry and a script that installs the entry."""
    shutil.copyfile(icon, folder / "kol-desk.png")
    entry = DESKTOP_ENTRY.format(program=f"@FOLDER@/{APP}", icon="@FOLDER@/kol-desk.png")
    (folder / "kol-desk.desktop").write_text(entry, encoding="utf-8")
    script = folder / "install-desktop-entry.sh"
    script.write_text(INSTALL_SCRIPT, encoding="utf-8")
    script.chmod(0o755)


def archive_name(system: str, version: str, machine: str) -> str:
    names = {"Linux": "linux", "Windows": "windows", "Darwin": "macos"}
    return f"{APP}-{version}-{names.get(system, system.lower())}-{machine.lower()}{layout(system).archive_suffix}"


def make_archive(folder: Path, target: Path) -> Path:
    if target.name.endswith(".tar.gz"):
        with tarfile.open(target, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=folder.name)
        return target
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            name = str(Path(folder.name) / path.relative_to(folder))
            if path.is_symlink():
                # Kept as links, the way Info-ZIP and macOS's Archive Utility store them:
                # a macOS .app refers to its frameworks through links.
                info = zipfile.ZipInfo(name)
                info.create_system = 3
                info.external_attr = 0o120755 << 16
                archive.writestr(info, os.readlink(path))
            else:
                archive.write(path, name)
    return target


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path, system: str | None = None) -> Path:
    """Runs PyInstaller on tools/kol-desk.spec; returns the application folder."""
    system = system or platform.system()
    shape = layout(system)
    icon = render_icon(work / "kol-desk.png")
    env = {**os.environ, "KOL_DESK_BUNDLE_ICON": str(icon)}
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
                   env=env, check=True, cwd=ROOT)
    folder = shape.folder(dist)
    if system == "Linux":
        add_desktop_entry(folder, icon)
    return folder


def smoke(dist: Path, system: str | None = None) -> dict[str, object]:
    """Runs the built app as a user's first start would, headless, in a temporary data
    folder: --version, a demo workspace, and a start that shows the main window in
    Chinese and quits. Returns what the window showed and how long each step took."""
    shape = layout(system or platform.system())
    program = shape.program(dist, console=True)
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": "",
               "KOL_DESK_DATA_DIR": str(Path(scratch, "data")),
               "KOL_DESK_CONFIG_DIR": str(Path(scratch, "config"))}

        def run(*args: str) -> tuple[str, float]:
            started = time.perf_counter()
            done = subprocess.run([str(program), *args], env=env, cwd=scratch,
                                  capture_output=True, text=True, timeout=300, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{program.name} {' '.join(args)} failed "
                                   f"({done.returncode}):\n{done.stdout}\n{done.stderr}")
            return done.stdout, time.perf_counter() - started

        version, _ = run("--version")
        database = str(Path(scratch, "demo.sqlite"))
        _, demo_seconds = run("demo", "--db", database, "--creators", "50")
        shown, start_seconds = run("--smoke-test", "--lang", "zh_CN", "--db", database)
    report: dict[str, object] = json.loads(shown.strip().splitlines()[-1])
    report.update(version_line=version.strip(), demo_seconds=round(demo_seconds, 2),
                  start_seconds=round(start_seconds, 2))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--smoke", action="store_true", help="run the built app headless")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kol_desk import __version__

    system = platform.system()
    dist: Path = args.dist.resolve()
    with tempfile.TemporaryDirectory() as work:
        folder = build(dist, Path(work), system)
    archive = make_archive(folder, dist / archive_name(system, __version__, platform.machine()))
    print(f"{folder}: {folder_size(folder) / 1e6:.0f} MB; {archive}: "
          f"{archive.stat().st_size / 1e6:.0f} MB")
    if args.smoke:
        print(json.dumps(smoke(dist, system), ensure_ascii=False))


if __name__ == "__main__":
    main()
