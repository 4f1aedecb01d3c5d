"""The desktop bundle: what each system's build holds (checked here for all three), and a
real build of this system's bundle, run headless as a new user would start it."""

from __future__ import annotations

import ctypes.util
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

from bundle import (  # noqa: E402
    add_desktop_entry,
    archive_name,
    data_files,
    layout,
    make_archive,
    render_icon,
)


def test_each_system_gets_its_programs_icon_and_archive(tmp_path: Path) -> None:
    windows, mac, linux = layout("Windows"), layout("Darwin"), layout("Linux")
    assert windows.program(tmp_path) == tmp_path / "kol-desk" / "kol-desk.exe"
    assert windows.program(tmp_path, console=True) == tmp_path / "kol-desk" / "kol-desk-cli.exe"
    assert mac.program(tmp_path, console=True) == tmp_path / "kol-desk.app" / "Contents" / "MacOS" / "kol-desk"
    assert linux.program(tmp_path, console=True) == tmp_path / "kol-desk" / "kol-desk"
    assert (windows.icon_suffix, mac.icon_suffix, linux.icon_suffix) == (".ico", ".icns", ".png")
    assert archive_name("Windows", "1.2.0", "AMD64") == "kol-desk-1.2.0-windows-amd64.zip"
    assert archive_name("Darwin", "1.2.0", "arm64") == "kol-desk-1.2.0-macos-arm64.zip"
    assert archive_name("Linux", "1.2.0", "x86_64") == "kol-desk-1.2.0-linux-x86_64.tar.gz"


def test_the_bundle_carries_resources_and_every_migration() -> None:
    pairs = data_files()
    assert (str(REPO / "resources"), "kol_desk/resources") in pairs
    versions = {Path(source).name for source, folder in pairs
                if folder == "kol_desk/store/migrations/versions"}
    assert versions == {p.name for p in (REPO / "kol_desk/store/migrations/versions").glob("*.py")}
    assert {Path(s).name for s, f in pairs if f == "kol_desk/store/migrations"} == {
        "env.py", "script.py.mako"}


def test_linux_desktop_entry_points_at_the_folder_where_it_is_installed(tmp_path: Path) -> None:
    folder = tmp_path / "Apps" / "kol-desk"
    folder.mkdir(parents=True)
    icon = render_icon(tmp_path / "icon.png", size=64)
    assert icon.read_bytes().startswith(b"\x89PNG")
    add_desktop_entry(folder, icon)
    home = tmp_path / "share"
    subprocess.run(["sh", str(folder / "install-desktop-entry.sh")], check=True,
                   env={**os.environ, "XDG_DATA_HOME": str(home)}, capture_output=True)
    entry = (home / "applications" / "kol-desk.desktop").read_text("utf-8")
    assert f'Exec="{folder}/kol-desk" %F' in entry
    assert f"Icon={folder}/kol-desk.png" in entry
    assert (folder / "kol-desk.png").is_file()


@pytest.mark.parametrize("suffix", [".zip", ".tar.gz"])
def test_archives_hold_the_folder(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / "kol-desk"
    (folder / "_internal").mkdir(parents=True)
    (folder / "_internal" / "data.txt").write_text("达人", encoding="utf-8")
    (folder / "Frameworks").symlink_to("_internal")
    archive = make_archive(folder, tmp_path / f"out{suffix}")
    unpacked = tmp_path / "unpacked"
    if suffix == ".zip":
        with zipfile.ZipFile(archive) as opened:
            link = opened.getinfo("kol-desk/Frameworks")
            assert link.external_attr >> 28 == 0o12  # a symbolic link
            assert opened.read(link) == b"_internal"
            opened.extract("kol-desk/_internal/data.txt", unpacked)
        assert (unpacked / "kol-desk" / "_internal" / "data.txt").read_text("utf-8") == "达人"
    else:
        # (no extractall: Debian 12's Python 3.11.2 predates its safe `filter`)
        with tarfile.open(archive) as packed:
            assert packed.getmember("kol-desk/Frameworks").linkname == "_internal"
            data = packed.extractfile("kol-desk/_internal/data.txt")
            assert data is not None and data.read().decode("utf-8") == "达人"


def missing_build_tools() -> str | None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return "PyInstaller is not installed (pip install -e '.[bundle]')"
    if platform.system() == "Linux" and not (shutil.which("objdump") and shutil.which("objcopy")):
        return "PyInstaller needs binutils (objdump, objcopy): sh tools/system-deps.sh bundle"
    soname = sysconfig.get_config_var("INSTSONAME") or ""
    if (platform.system() == "Linux" and not Path(sysconfig.get_config_var("LIBDIR"), soname).exists()
            and not ctypes.util.find_library(f"python{sys.version_info[0]}.{sys.version_info[1]}")):
        return f"PyInstaller needs Python's shared library {soname}: sh tools/system-deps.sh bundle"
    return None


@pytest.mark.slow
@pytest.mark.skipif(missing_build_tools() is not None, reason=str(missing_build_tools()))
def test_the_built_bundle_starts_headless_in_chinese(tmp_path: Path) -> None:
    """tools/bundle.py --smoke, as `sh tools/package.sh --smoke` runs it: PyInstaller
    builds the folder and its archive, then the built program prints its version,
    writes a demo workspace (the migrations) and shows the main window offscreen."""
    dist = tmp_path / "dist"
    done = subprocess.run([sys.executable, str(REPO / "tools" / "bundle.py"), "--dist", str(dist),
                           "--smoke"], capture_output=True, text=True, timeout=1200,
                          check=False, env={**os.environ, "PYTHONPATH": ""})
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["frozen"] is True and shown["visible"] is True
    assert shown["version_line"].startswith("KOL Desk ")
    assert shown["tabs"] == ["达人", "项目", "预算", "报表"]
    assert shown["icon"] is True and shown["style_sheet"] is True
    shape = layout(platform.system())
    folder = shape.folder(dist)
    assert Path(shown["resources"]).is_relative_to(folder)
    assert (Path(shown["resources"]) / "fonts" / "kol-desk-cjk.ttf").is_file()
    assert list(dist.glob(f"kol-desk-*{shape.archive_suffix}"))
    if platform.system() == "Linux":
        assert (folder / "kol-desk.desktop").is_file() and (folder / "kol-desk.png").is_file()
