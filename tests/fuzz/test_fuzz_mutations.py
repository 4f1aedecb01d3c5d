"""A bounded mutation fuzz of the sample agency lists: every damaged copy ends in a
parsed list or a clear refusal, never an uncaught exception, a hang or runaway memory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fuzz_engine import MUTATIONS, fuzz, make_cases, samples

CASES = 64  # every mutation on every sample at least once; benchmarks/ runs thousands
TIMEOUT = 60.0  # per case: generous for a loaded CI machine; real cases take < 1 s
MEMORY_MB = 2048


def test_mutations_really_change_the_files(agency_lists: Path, tmp_path: Path) -> None:
    sources = samples(agency_lists)
    assert len(sources) >= 5
    cases = list(make_cases(sources, len(MUTATIONS) * 2, seed=1, out=tmp_path))
    originals = {p.read_bytes() for p in sources}
    assert sum(c.read_bytes() not in originals for c in cases) >= len(cases) - 2
    assert {c.name.split("-", 1)[1].rsplit("-p", 1)[0] for c in cases} == set(MUTATIONS)


def test_every_mutated_workbook_is_parsed_or_refused_clearly(agency_lists: Path, tmp_path: Path) -> None:
    report = fuzz(agency_lists, CASES, seed=20261128, timeout=TIMEOUT, memory_mb=MEMORY_MB,
                  keep=tmp_path / "cases")
    assert len(report.outcomes) == CASES
    failures = "\n".join(f"{o.case}: {o.detail}" for o in report.failures)
    assert not report.failures, failures
    # Both ends are exercised: some damage is survivable, some must be refused.
    assert report.count("parsed") > 0 and report.count("refused") > 0
    assert report.peak_rss_mb < MEMORY_MB


@pytest.mark.parametrize("how", ["truncate", "corrupt-xml"])
def test_refusals_name_the_file(agency_lists: Path, tmp_path: Path, how: str) -> None:
    import random

    from fuzz_engine import MUTATIONS as M

    from kol_desk.importing import BadFileError, parse_file

    rng = random.Random(7)
    source = samples(agency_lists)[0]
    refused = 0
    for i in range(6):
        path = tmp_path / f"damaged {i}.xlsx"
        path.write_bytes(M[how](source.read_bytes(), rng))
        try:
            parse_file(path)
        except BadFileError as exc:
            refused += 1
            assert path.name in str(exc) and "\n" not in str(exc)
    assert how == "corrupt-xml" or refused == 6
