"""Mutation fuzzing of the agency-list reader, shared by the bounded suite run
(tests/fuzz/test_fuzz_mutations.py) and the larger run (benchmarks/fuzz_import.py).

Each case is a mutated copy of a sample workbook: bytes flipped, the file truncated, zip
members shuffled, dropped or duplicated, XML inside the zip inflated or corrupted. Every
case must end in a parsed list or a clear error (``BadFileError`` / ``KnownError``).
Cases run in a worker process with an address-space limit; a case that raises anything
else, crashes the worker, exceeds the memory limit or takes longer than the per-case
timeout is a failure.
"""

from __future__ import annotations

import io
import json
import os
import random
import select
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Mutation = Callable[[bytes, random.Random], bytes]
REPO = Path(__file__).resolve().parents[2]


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members:
            zf.writestr(name, blob)
    return out.getvalue()


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    blob = bytearray(data)
    for _ in range(rng.choice((1, 2, 8, 64))):
        blob[rng.randrange(len(blob))] ^= 1 << rng.randrange(8)
    return bytes(blob)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def shuffle_members(data: bytes, rng: random.Random) -> bytes:
    members = [(i.filename, b) for i, b in _members(data)]
    rng.shuffle(members)
    return _zip(members)


def drop_member(data: bytes, rng: random.Random) -> bytes:
    members = [(i.filename, b) for i, b in _members(data)]
    members.pop(rng.randrange(len(members)))
    return _zip(members)


def duplicate_member(data: bytes, rng: random.Random) -> bytes:
    members = [(i.filename, b) for i, b in _members(data)]
    name, blob = rng.choice(members)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        return _zip([*members, (name, flip_bytes(blob, rng) if blob else blob)])


def _xml_members(data: bytes) -> list[tuple[str, bytes]]:
    return [(i.filename, b) for i, b in _members(data)]


def inflate_xml(data: bytes, rng: random.Random) -> bytes:
    """Repeat rows or cells of a sheet thousands of times, or pad a string hugely."""
    members = _xml_members(data)
    out = []
    for name, blob in members:
        if name.endswith(".xml") and (b"<row" in blob or b"<si>" in blob):
            how = rng.choice(("rows", "string", "attrs"))
            if how == "rows" and b"</row>" in blob:
                start = blob.find(b"<row")
                end = blob.find(b"</row>", start) + len(b"</row>")
                blob = blob[:end] + blob[start:end] * rng.choice((1000, 20_000)) + blob[end:]
            elif how == "string" and b"<t" in blob:
                at = blob.find(b">", blob.find(b"<t")) + 1
                blob = blob[:at] + ("长" * rng.choice((10_000, 1_000_000))).encode() + blob[at:]
            else:
                blob = blob.replace(b"<row ", b'<row r="1048576" spans="1:16384" ', 50)
        out.append((name, blob))
    return _zip(out)


def corrupt_xml(data: bytes, rng: random.Random) -> bytes:
    """Flip bytes or cut inside one XML member, re-zipped so the CRC is valid again:
    the damage reaches the XML parsers instead of stopping at the zip layer."""
    members = _xml_members(data)
    index = rng.randrange(len(members))
    name, blob = members[index]
    if blob:
        blob = truncate(blob, rng) if rng.random() < 0.4 else flip_bytes(blob, rng)
    members[index] = (name, blob)
    return _zip(members)


def replace_values(data: bytes, rng: random.Random) -> bytes:
    """Odd cell content: huge numbers, NaN-like text, formulas, control characters."""
    odd = rng.choice([b"1e308", b"-0", b"NaN", b"99999999999999999999999", b"=1/0",
                      b"\x01\x02", "面议\u202e万".encode(), b"-1", b"1e-400", b"0x10"])
    members = _xml_members(data)
    out = []
    for name, blob in members:
        if name.endswith(".xml"):
            blob = blob.replace(b"<v>", b"<v>" + odd, rng.randrange(1, 20))
        out.append((name, blob))
    return _zip(out)


MUTATIONS: dict[str, Mutation] = {
    "flip": flip_bytes, "truncate": truncate, "shuffle": shuffle_members,
    "drop": drop_member, "duplicate": duplicate_member, "inflate": inflate_xml,
    "corrupt-xml": corrupt_xml, "values": replace_values,
}


def samples(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.xlsx") if p.stat().st_size > 1000)


def make_cases(sources: list[Path], count: int, seed: int, out: Path) -> Iterator[Path]:
    """Write ``count`` mutated files into ``out``; deterministic for a seed."""
    rng = random.Random(seed)
    names = sorted(MUTATIONS)
    for i in range(count):
        # Every mutation in turn, each turn on the next sample: all pairs get covered.
        how = names[i % len(names)]
        source = sources[(i + i // len(names)) % len(sources)]
        data = source.read_bytes()
        try:
            mutated = MUTATIONS[how](data, rng)
        except (zipfile.BadZipFile, ValueError, IndexError):
            mutated = flip_bytes(data, rng)
        path = out / f"{i:05d}-{how}-{source.stem}.xlsx"
        path.write_bytes(mutated)
        yield path


# ---------------------------------------------------------------------------- running

@dataclass
class Outcome:
    case: str
    verdict: str  # parsed | refused | FAILURE
    detail: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    seconds: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict == "FAILURE"]

    def count(self, verdict: str) -> int:
        return sum(o.verdict == verdict for o in self.outcomes)


WORKER = r"""
import json, resource, sys, traceback
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from kol_desk.errors import KnownError
from kol_desk.importing import BadFileError, parse_file
for line in sys.stdin:
    path = line.strip()
    try:
        parsed = parse_file(path)
        out = {"verdict": "parsed", "detail": f"{len(parsed.rows)} rows"}
    except (BadFileError, KnownError) as exc:
        out = {"verdict": "refused", "detail": str(exc)[:300]}
    except BaseException as exc:
        tb = traceback.format_exc(limit=-4)
        out = {"verdict": "FAILURE", "detail": f"{type(exc).__name__}: {exc}"[:300] + "\n" + tb}
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out), flush=True)
"""


def run_cases(cases: list[Path], *, timeout: float = 30.0, memory_mb: int = 2048) -> Report:
    """Parse every case in a worker process; a hang or a dead worker fails that case
    and a fresh worker continues with the next one."""
    report = Report()
    started = time.monotonic()
    pending = list(cases)
    while pending:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(memory_mb * 1024 * 1024)], cwd=REPO,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert worker.stdin is not None and worker.stdout is not None
        try:
            while pending:
                case = pending.pop(0)
                worker.stdin.write(f"{case}\n")
                worker.stdin.flush()
                # The first case also waits for the worker to start (imports).
                ready, _, _ = select.select([worker.stdout], [], [], timeout + 30)
                line = worker.stdout.readline() if ready else ""
                if not ready:
                    report.outcomes.append(Outcome(case.name, "FAILURE", f"hang (> {timeout:.0f} s)"))
                    break
                if not line:
                    code = worker.wait()
                    report.outcomes.append(Outcome(case.name, "FAILURE",
                                                   f"worker died (exit {code}; memory limit?)"))
                    break
                result = json.loads(line)
                report.peak_rss_mb = max(report.peak_rss_mb, result.pop("rss"))
                report.outcomes.append(Outcome(case.name, result["verdict"], result["detail"]))
        except BrokenPipeError:
            report.outcomes.append(Outcome(case.name, "FAILURE", "worker died"))
        finally:
            worker.kill()
            worker.wait()
    report.seconds = time.monotonic() - started
    return report


def fuzz(folder: Path, count: int, seed: int, *, timeout: float = 30.0,
         memory_mb: int = 2048, keep: Path | None = None) -> Report:
    with tempfile.TemporaryDirectory(prefix="kol-fuzz-") as tmp:
        out = keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        cases = list(make_cases(samples(folder), count, seed, out))
        return run_cases(cases, timeout=timeout, memory_mb=memory_mb)
