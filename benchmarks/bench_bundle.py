"""Start-up of the desktop bundle against the start from the virtual environment.

Both start the same way, headless: ``kol-desk --smoke-test --lang zh_CN --db DEMO`` opens
a 300-creator demo workspace, shows the main window and quits once it is shown; timed
from process start to exit, alternately, after one unmeasured start of each (the first
start after a build also reads every file from disk). Prints the medians and the
bundle's size on disk.

    sh tools/package.sh && .venv/bin/python benchmarks/bench_bundle.py [--runs 7] [--dist dist]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

from bundle import folder_size, layout  # noqa: E402


def timed(program: Path, args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(program), *args], env=env, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    args = parser.parse_args()
    shape = layout(platform.system())
    bundled = shape.program(args.dist, console=True)
    scripts = "Scripts" if os.name == "nt" else "bin"
    from_venv = Path(sys.prefix, scripts, shape.cli or shape.gui)
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "KOL_DESK_DATA_DIR": str(Path(scratch, "data")),
               "KOL_DESK_CONFIG_DIR": str(Path(scratch, "config"))}
        database = str(Path(scratch, "demo.sqlite"))
        subprocess.run([str(from_venv), "demo", "--db", database], env=env, check=True,
                       capture_output=True)
        start = ["--smoke-test", "--lang", "zh_CN", "--db", database]
        times: dict[str, list[float]] = {"venv": [], "bundle": []}
        for program in (from_venv, bundled):
            timed(program, start, env)
        for _ in range(args.runs):
            times["venv"].append(timed(from_venv, start, env))
            times["bundle"].append(timed(bundled, start, env))
    venv_s, bundle_s = (statistics.median(times[k]) for k in ("venv", "bundle"))
    print(f"start to the shown main window, median of {args.runs}: "
          f"virtual environment {venv_s:.2f} s, bundle {bundle_s:.2f} s "
          f"({bundle_s / venv_s:.2f}×); ranges {min(times['venv']):.2f}–{max(times['venv']):.2f} s "
          f"and {min(times['bundle']):.2f}–{max(times['bundle']):.2f} s")
    folder = shape.folder(args.dist)
    archives = sorted(args.dist.glob(f"kol-desk-*{shape.archive_suffix}"))
    print(f"bundle {folder}: {folder_size(folder) / 1e6:.0f} MB"
          + (f"; archive {archives[-1].name}: {archives[-1].stat().st_size / 1e6:.0f} MB"
             if archives else ""))


if __name__ == "__main__":
    main()
