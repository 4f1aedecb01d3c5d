"""Soak test of the workspace under concurrent use, as a user has it: one writer that
opens the workspace as the window does (lock, start-up check, start-up backup) and saves
a campaign after another, two terminals running read commands in a loop, and a backup
every few seconds. Prints the writer's acknowledged saves against the rows on disk
(they must be equal), the integrity check, how often the writer's write-ahead log was
replaced under it (must be 0), and every error seen.

    .venv/bin/python -m benchmarks.soak_concurrent [--seconds 120]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WRITER = r"""
import sys, time
from pathlib import Path
from kol_desk.services.campaigns import CampaignInput, create_campaign
from kol_desk.store.backup import backup_at_start
from kol_desk.store.lock import WorkspaceLock
from kol_desk.store.migrate import open_workspace
from kol_desk.store.restore import is_healthy

path, backups, until = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
lock = WorkspaceLock.acquire(path)
workspace = open_workspace(path, backups)
assert is_healthy(path)                    # the window's start-up check ...
backup_at_start(workspace, backups)        # ... and start-up backup
print("ready", flush=True)
acknowledged = errors = 0
while time.time() < until:
    try:
        create_campaign(workspace, CampaignInput(name=f"soak {acknowledged}"))
    except Exception as exc:  # counted and shown, never silent
        errors += 1
        print(f"error {type(exc).__name__}: {exc}", flush=True)
        time.sleep(0.05)
        continue
    acknowledged += 1
    time.sleep(0.01)
print(f"acknowledged {acknowledged} errors {errors}", flush=True)
workspace.dispose()
lock.release()
"""


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kol_desk", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=600, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--backup-every", type=float, default=5.0)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kol-desk-soak-"))
    env = dict(os.environ, KOL_DESK_DATA_DIR=str(folder / "data"),
               KOL_DESK_CONFIG_DIR=str(folder / "config"), PYTHONPATH=str(REPO))
    database = folder / "soak.sqlite"
    made = _cli(env, "demo", "--db", str(database), "--creators", "200")
    if made.returncode:
        print(made.stderr)
        return 1
    until = time.time() + args.seconds
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(database),
                               str(folder / "backups"), str(until)],
                              stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    wal = Path(f"{database}-wal")
    first_log = wal.stat().st_ino
    problems: list[str] = []
    counts = {"reads": 0, "backups": 0, "wal replaced": 0}
    guard = threading.Lock()

    def note(kind: str, done: subprocess.CompletedProcess[str], what: str) -> None:
        with guard:
            counts[kind] += 1
            if done.returncode:
                problems.append(f"{what}: exit {done.returncode}: {done.stderr.strip()[-300:]}")

    def reader(number: int) -> None:
        commands = [("creators", "--json"),
                    ("export", "report", "--out", str(folder / f"report{number}.xlsx")),
                    ("export", "creators", "--out", str(folder / f"creators{number}.xlsx")),
                    ("check",)]
        step = 0
        while time.time() < until:
            command = commands[step % len(commands)]
            note("reads", _cli(env, *command, "--db", str(database)), " ".join(command))
            step += 1

    def backups() -> None:
        step = 0
        while time.time() < until:
            time.sleep(args.backup_every)
            out = folder / f"backup{step}.sqlite"
            note("backups", _cli(env, "backup", "--db", str(database), "--out", str(out)),
                 "backup")
            step += 1

    def watch_log() -> None:
        while time.time() < until:
            if not wal.exists() or wal.stat().st_ino != first_log:
                with guard:
                    counts["wal replaced"] += 1
                return
            time.sleep(0.05)

    threads = [threading.Thread(target=reader, args=(n,)) for n in (1, 2)]
    threads += [threading.Thread(target=backups), threading.Thread(target=watch_log)]
    for thread in threads:
        thread.start()
    writer_lines = [line.strip() for line in writer.stdout]
    writer.wait()
    for thread in threads:
        thread.join()
    problems += [line for line in writer_lines if line.startswith("error")]
    summary = next((line for line in writer_lines if line.startswith("acknowledged")), "")
    acknowledged = int(summary.split()[1]) if summary else -1
    connection = sqlite3.connect(database)
    try:
        on_disk = connection.execute(
            "SELECT count(*) FROM campaigns WHERE name LIKE 'soak %'").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    print(f"soak of {args.seconds:.0f} s on {database}")
    print(f"writes acknowledged: {acknowledged}   rows on disk: {on_disk}   "
          f"{'EQUAL' if acknowledged == on_disk else 'LOST ' + str(acknowledged - on_disk)}")
    print(f"read commands run: {counts['reads']}   backups: {counts['backups']}   "
          f"writer's WAL replaced under it: {counts['wal replaced']}")
    print(f"integrity_check: {integrity}")
    print(f"errors seen: {len(problems)}")
    for problem in problems[:20]:
        print(f"  {problem}")
    ok = acknowledged == on_disk and integrity == "ok" and not problems \
        and counts["wal replaced"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
