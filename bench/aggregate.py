"""Time the jury aggregation: 300 nominations x 12 jurors x 6 criteria.

    .venv/bin/python bench/aggregate.py [--repeat 5] [--gaps 0.15]

A random but seeded design: each juror has a strictness offset, about ``--gaps`` of the
juror-nomination pairs are missing (recusals), scores are 1-5 integers. Prints the time of
each run and the best, plus the snapshot hash and the iterations the offsets needed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventapp.awards.aggregation import (  # noqa: E402
    CriterionSpec,
    NominationSpec,
    Sheet,
    Snapshot,
    aggregate,
    snapshot_hash,
)

NOMINATIONS, JURORS, CRITERIA = 300, 12, 6


def build(gaps: float, seed: int = 2026) -> Snapshot:
    rng = random.Random(seed)
    criteria = tuple(CriterionSpec(c, f"Criterion {c}", rng.randint(1, 5)) for c in range(1, 7))
    quality = {n: rng.uniform(1.5, 4.5) for n in range(1, NOMINATIONS + 1)}
    strictness = {j: rng.uniform(-0.7, 0.7) for j in range(1, JURORS + 1)}
    sheets = []
    for n, level in quality.items():
        for j, offset in strictness.items():
            if rng.random() < gaps:
                continue
            scores = tuple(
                (c.id, min(5, max(1, round(level + offset + rng.gauss(0, 0.6))))) for c in criteria
            )
            sheets.append(Sheet(j, n, scores))
    return Snapshot(
        cycle_id=1,
        jury_size=JURORS,
        criteria=criteria,
        nominations=tuple(NominationSpec(n, f"Nomination {n}") for n in quality),
        sheets=tuple(sheets),
        lot_seed="bench",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--gaps", type=float, default=0.15)
    args = parser.parse_args()
    snapshot = build(args.gaps)
    print(
        f"{len(snapshot.nominations)} nominations x {JURORS} jurors x {CRITERIA} criteria, "
        f"{len(snapshot.sheets)} score sheets ({args.gaps:.0%} gaps)"
    )
    timings = []
    for run in range(1, args.repeat + 1):
        started = time.perf_counter()
        results = aggregate(snapshot)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        print(f"run {run}: {elapsed * 1000:.1f} ms")
    print(f"best: {min(timings) * 1000:.1f} ms")
    print(
        f"offsets converged: {results.converged} after {results.iterations} iterations; "
        f"flags: {', '.join(results.flags) or 'none'}"
    )
    started = time.perf_counter()
    digest = snapshot_hash(snapshot)
    print(f"snapshot hash {digest[:16]}… in {(time.perf_counter() - started) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
