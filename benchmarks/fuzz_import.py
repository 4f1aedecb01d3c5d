"""The larger mutation fuzz of the agency-list reader (the suite runs a bounded 64 cases).

    .venv/bin/python benchmarks/fuzz_import.py [--cases 5000] [--seed 1] [--samples DIR]
        [--timeout 30] [--memory-mb 2048] [--keep DIR]

Prints the cases run, how they ended (parsed / refused with a clear error / FAILURE),
the peak memory of the worker, and each failure with its traceback; exit 1 on failures.
``--keep`` keeps the mutated files, so a failure can be reproduced with parse_file.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "fuzz"))

from fuzz_engine import fuzz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples" / "agency_lists")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per case")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space limit")
    parser.add_argument("--keep", type=Path, help="keep the mutated files here")
    args = parser.parse_args()
    report = fuzz(args.samples, args.cases, args.seed, timeout=args.timeout,
                  memory_mb=args.memory_mb, keep=args.keep)
    by_mutation = Counter((o.case.split("-", 1)[1].rsplit("-p", 1)[0], o.verdict)
                          for o in report.outcomes)
    print(f"cases: {len(report.outcomes)}  parsed: {report.count('parsed')}  "
          f"refused clearly: {report.count('refused')}  FAILURES: {len(report.failures)}")
    print(f"peak worker memory: {report.peak_rss_mb:.0f} MB (limit {args.memory_mb} MB); "
          f"{report.seconds:.0f} s")
    for (mutation, verdict), n in sorted(by_mutation.items()):
        print(f"  {mutation:12} {verdict:8} {n}")
    for outcome in report.failures:
        print(f"\nFAILURE {outcome.case}: {outcome.detail}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
