"""From a frozen snapshot of the jury's scores to a ranking and its explanation (pure).

Nothing here touches the database, the request or the clock: the same snapshot and
parameters always give the same result, so a stored result can be checked by recomputing
it from its stored snapshot (whose SHA-256 is stored beside it).

The method, in the words the jury report uses:

1. Each juror's *total* for a nomination is the weighted mean of their criterion scores,
   so it stays on the 1-5 scale.
2. Jurors differ in strictness, and recusals leave gaps, so a lenient juror who is missing
   from one nomination would otherwise lift every nomination they did score. We fit the
   additive model ``total = nomination level + juror offset`` by alternating means: the
   level is the mean of the offset-corrected totals, the offset the mean of a juror's
   residuals, re-centred so that the offsets sum to zero. A juror with fewer than
   ``min_scores_for_offset`` totals keeps the offset 0 (too little evidence). When nobody
   is missing, every offset cancels in the mean and the score equals the plain mean.
3. A nomination's *adjusted score* is the mean of its offset-adjusted totals; with
   ``trim_from`` or more totals the single highest and lowest are dropped first.
4. Quorum: a nomination needs ``max(3, floor(jury size / 2) + 1)`` totals; one that
   falls short is flagged and ranked after every nomination that reached it.
5. Order and ties, rule by rule: adjusted score (2 decimals), adjusted median
   (2 decimals), head-to-head majority among jurors who scored both (within a group still
   tied, a nomination's wins minus losses), the mean score on the highest-weighted
   criterion (2 decimals), a recorded jury decision, and finally a lot drawn from a
   recorded seed. Each adjacent pair records the first rule that separated it.

Flags: ``quorum_short``; ``close`` when two adjacent adjusted scores differ by less than
the standard error of their difference (``sqrt(se_a**2 + se_b**2)`` with
``se = sample sd / sqrt(n)`` of the adjusted totals; fewer than two totals count as
infinitely uncertain) — that is, within the measurement noise; ``method_sensitive`` when
the winner or the set of finalists differs between the raw mean, the adjusted score and
per-juror z-scores; ``outlier`` for a total at least ``outlier_threshold`` points from
the mean of the other adjusted totals of that nomination.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ALGORITHM_VERSION = "jury-aggregation/1"


class Rule(StrEnum):
    """What separated two adjacent nominations, in the order the rules are tried."""

    QUORUM = "quorum"
    SCORE = "score"
    MEDIAN = "median"
    HEAD_TO_HEAD = "head_to_head"
    TOP_CRITERION = "top_criterion"
    JURY_DECISION = "jury_decision"
    LOT = "lot"


class Flag(StrEnum):
    QUORUM_SHORT = "quorum_short"
    CLOSE = "close"
    METHOD_SENSITIVE = "method_sensitive"
    OUTLIER = "outlier"
    NOT_CONVERGED = "not_converged"


# --- input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    name: str
    weight: int


@dataclass(frozen=True)
class NominationSpec:
    id: int
    name: str


@dataclass(frozen=True)
class Sheet:
    """One juror's complete scores for one nomination: (criterion id, 1-5) pairs."""

    juror_id: int
    nomination_id: int
    scores: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TieDecision:
    """The jury decided that ``above`` ranks before ``below`` (used only for a tie)."""

    above: int
    below: int


@dataclass(frozen=True)
class Parameters:
    finalists: int = 3
    min_scores_for_offset: int = 4
    trim_from: int = 7
    min_quorum: int = 3
    outlier_threshold: float = 1.5
    tolerance: float = 1e-10
    max_iterations: int = 10_000


@dataclass(frozen=True)
class Snapshot:
    """Everything the result depends on, frozen at one moment."""

    cycle_id: int
    jury_size: int
    criteria: tuple[CriterionSpec, ...]
    nominations: tuple[NominationSpec, ...]
    sheets: tuple[Sheet, ...]
    tie_decisions: tuple[TieDecision, ...] = ()
    lot_seed: str = ""


# --- output ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NominationResult:
    nomination_id: int
    name: str
    rank: int
    is_finalist: bool
    score_count: int
    quorum_met: bool
    raw_mean: float | None
    adjusted_score: float | None
    adjusted_median: float | None
    z_mean: float | None
    standard_error: float | None
    trimmed: bool
    top_criterion_mean: float | None
    outlier_jurors: tuple[int, ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class PairExplanation:
    above: int
    below: int
    rule: Rule
    above_value: float | None
    below_value: float | None
    close: bool


@dataclass(frozen=True)
class Results:
    algorithm_version: str
    parameters: Parameters
    quorum: int
    ranking: tuple[NominationResult, ...]
    pairs: tuple[PairExplanation, ...]
    offsets: tuple[tuple[int, float], ...]
    iterations: int
    converged: bool
    top_criterion_id: int | None
    flags: tuple[Flag, ...]
    lot_seed: str
    lot_used: bool = field(default=False)

    @property
    def winner(self) -> NominationResult | None:
        if self.ranking and self.ranking[0].quorum_met:
            return self.ranking[0]
        return None

    @property
    def finalists(self) -> tuple[NominationResult, ...]:
        return tuple(result for result in self.ranking if result.is_finalist)


# --- helpers --------------------------------------------------------------------------------


def quorum_for(jury_size: int, min_quorum: int = 3) -> int:
    """At least ``min_quorum`` totals and a strict majority of the jury."""
    return max(min_quorum, jury_size // 2 + 1)


def weighted_total(scores: Iterable[tuple[int, int]], weights: Mapping[int, int]) -> float:
    """The weighted mean of one juror's criterion scores (1-5)."""
    pairs = [(weights[criterion], value) for criterion, value in scores if criterion in weights]
    total_weight = sum(weight for weight, _ in pairs)
    if total_weight == 0:
        raise ValueError("a sheet without scores on known criteria")
    return sum(weight * value for weight, value in pairs) / total_weight


def _round2(value: float | None) -> float | None:
    """Two decimals, half up, from the shortest decimal text (2.675 gives 2.68, not 2.67)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _trimmed(values: Sequence[float], trim_from: int) -> tuple[list[float], bool]:
    ordered = sorted(values)
    if len(ordered) >= trim_from:
        return ordered[1:-1], True
    return ordered, False


def _standard_error(values: Sequence[float]) -> float:
    """Sample standard deviation over the square root of n; infinite below two values."""
    if len(values) < 2:
        return math.inf
    mean = _mean(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return math.sqrt(variance / len(values))


def fit_offsets(
    totals: Mapping[tuple[int, int], float], parameters: Parameters
) -> tuple[dict[int, float], dict[int, float], int, bool]:
    """Fit total = level[nomination] + offset[juror] by alternating means.

    Returns (levels, offsets, iterations, converged). Offsets of jurors with fewer than
    ``min_scores_for_offset`` totals stay 0; the others are re-centred to sum to zero.
    """
    by_nomination: dict[int, list[tuple[int, float]]] = {}
    by_juror: dict[int, list[tuple[int, float]]] = {}
    for (juror, nomination), value in totals.items():
        by_nomination.setdefault(nomination, []).append((juror, value))
        by_juror.setdefault(juror, []).append((nomination, value))
    free = sorted(
        j for j, rows in by_juror.items() if len(rows) >= parameters.min_scores_for_offset
    )
    offsets = {juror: 0.0 for juror in by_juror}
    levels: dict[int, float] = {}
    iterations, converged = 0, False
    while iterations < parameters.max_iterations:
        iterations += 1
        levels = {
            n: _mean([value - offsets[j] for j, value in rows]) for n, rows in by_nomination.items()
        }
        if not free:
            converged = True
            break
        raw = {j: _mean([value - levels[n] for n, value in by_juror[j]]) for j in free}
        centre = _mean(list(raw.values()))
        change = 0.0
        for juror in free:
            new = raw[juror] - centre
            change = max(change, abs(new - offsets[juror]))
            offsets[juror] = new
        if change < parameters.tolerance:
            levels = {
                n: _mean([value - offsets[j] for j, value in rows])
                for n, rows in by_nomination.items()
            }
            converged = True
            break
    return levels, offsets, iterations, converged


def _juror_z_scores(totals: Mapping[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Each total as a z-score within its juror's own totals (0 when a juror never varies)."""
    by_juror: dict[int, list[float]] = {}
    for (juror, _), value in totals.items():
        by_juror.setdefault(juror, []).append(value)
    spread = {}
    for juror, values in by_juror.items():
        mean = _mean(values)
        spread[juror] = (mean, math.sqrt(_mean([(v - mean) ** 2 for v in values])))
    z = {}
    for (juror, nomination), value in totals.items():
        mean, sd = spread[juror]
        z[(juror, nomination)] = 0.0 if sd < 1e-12 else (value - mean) / sd
    return z


def _order_by(values: Mapping[int, float | None], quorum_met: Mapping[int, bool]) -> list[int]:
    """A plain ordering for the method comparison: quorum first, value, then id."""
    return sorted(
        values,
        key=lambda n: (
            not quorum_met[n],
            -(values[n] if values[n] is not None else -math.inf),
            n,
        ),
    )


def _lot_key(seed: str, nomination_id: int) -> str:
    return hashlib.sha256(f"{seed}:{nomination_id}".encode()).hexdigest()


def _wins_minus_losses(
    group: Sequence[int], beats: Mapping[tuple[int, int], int]
) -> dict[int, int]:
    score = {n: 0 for n in group}
    for a in group:
        for b in group:
            if a < b:
                margin = beats.get((a, b), 0) - beats.get((b, a), 0)
                if margin:
                    winner, loser = (a, b) if margin > 0 else (b, a)
                    score[winner] += 1
                    score[loser] -= 1
    return score


# --- the function ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stats:
    """One nomination's figures on the way to its result."""

    count: int
    raw: float | None
    adjusted: float | None
    median: float | None
    z: float | None
    se: float | None
    trimmed: bool
    top: float | None
    outliers: tuple[int, ...]
    quorum: bool


def aggregate(snapshot: Snapshot, parameters: Parameters | None = None) -> Results:
    """Rank the snapshot's nominations and explain every step (see the module docstring)."""
    parameters = parameters or Parameters()
    weights = {c.id: c.weight for c in snapshot.criteria}
    nominations = {n.id: n for n in snapshot.nominations}
    totals: dict[tuple[int, int], float] = {}
    criterion_scores: dict[tuple[int, int], dict[int, int]] = {}
    for sheet in snapshot.sheets:
        if sheet.nomination_id not in nominations:
            continue
        key = (sheet.juror_id, sheet.nomination_id)
        totals[key] = weighted_total(sheet.scores, weights)
        criterion_scores[key] = dict(sheet.scores)

    _, offsets, iterations, converged = fit_offsets(totals, parameters)
    z_scores = _juror_z_scores(totals)
    quorum = quorum_for(snapshot.jury_size, parameters.min_quorum)
    top_criterion = max(snapshot.criteria, key=lambda c: c.weight, default=None)

    keys_by_nomination: dict[int, list[tuple[int, int]]] = {n: [] for n in nominations}
    for key in totals:
        keys_by_nomination[key[1]].append(key)
    per: dict[int, _Stats] = {}
    for nomination_id in nominations:
        keys = keys_by_nomination[nomination_id]
        raw = [totals[key] for key in keys]
        adjusted_by_juror = {key[0]: totals[key] - offsets[key[0]] for key in keys}
        adjusted = list(adjusted_by_juror.values())
        kept, trimmed = _trimmed(adjusted, parameters.trim_from)
        outliers = []
        if len(adjusted) >= 3:
            for juror, value in adjusted_by_juror.items():
                others = [v for j, v in adjusted_by_juror.items() if j != juror]
                if abs(value - _mean(others)) >= parameters.outlier_threshold - 1e-12:
                    outliers.append(juror)
        top_values = [
            criterion_scores[key][top_criterion.id]
            for key in keys
            if top_criterion is not None and top_criterion.id in criterion_scores[key]
        ]
        per[nomination_id] = _Stats(
            count=len(keys),
            raw=_mean(raw) if raw else None,
            adjusted=_mean(kept) if kept else None,
            median=statistics.median(adjusted) if adjusted else None,
            z=_mean([z_scores[key] for key in keys]) if keys else None,
            se=_standard_error(kept) if kept else None,
            trimmed=trimmed,
            top=_mean(top_values) if top_values else None,
            outliers=tuple(sorted(outliers)),
            quorum=len(keys) >= quorum,
        )

    by_juror: dict[int, dict[int, float]] = {}
    for (juror, nomination), value in totals.items():
        by_juror.setdefault(juror, {})[nomination] = value

    def head_to_head(group: Sequence[int]) -> dict[tuple[int, int], int]:
        # Who beats whom among jurors who scored both (offsets cancel within one juror).
        beats: dict[tuple[int, int], int] = {}
        for scored in by_juror.values():
            present = [n for n in group if n in scored]
            for a in present:
                for b in present:
                    if scored[a] > scored[b] + 1e-12:
                        beats[(a, b)] = beats.get((a, b), 0) + 1
        return beats

    decided: dict[tuple[int, int], int] = {}
    for decision in snapshot.tie_decisions:
        decided[(decision.above, decision.below)] = 1

    def neg(value: float | None) -> float:
        return -value if value is not None else math.inf

    def primary(n: int) -> tuple[bool, float, float]:
        return (
            not per[n].quorum,
            neg(_round2(per[n].adjusted)),
            neg(_round2(per[n].median)),
        )

    groups: dict[tuple[bool, float, float], list[int]] = {}
    for n in nominations:
        groups.setdefault(primary(n), []).append(n)
    head: dict[int, int] = {}
    decision_score: dict[int, int] = {}
    for group in groups.values():
        beats = head_to_head(group) if len(group) > 1 else {}
        head.update(_wins_minus_losses(group, beats))
    keys_of: dict[int, tuple[bool, float, float, int, float]] = {}
    for n in nominations:
        keys_of[n] = (*primary(n), -head[n], neg(_round2(per[n].top)))
    tied: dict[tuple[bool, float, float, int, float], list[int]] = {}
    for n in nominations:
        tied.setdefault(keys_of[n], []).append(n)
    for group in tied.values():
        decision_score.update(_wins_minus_losses(group, decided))
    order = sorted(
        nominations,
        key=lambda n: (*keys_of[n], -decision_score[n], _lot_key(snapshot.lot_seed, n)),
    )

    rule_fields = (
        (Rule.QUORUM, lambda n: per[n].quorum),
        (Rule.SCORE, lambda n: _round2(per[n].adjusted)),
        (Rule.MEDIAN, lambda n: _round2(per[n].median)),
        (Rule.HEAD_TO_HEAD, lambda n: head[n]),
        (Rule.TOP_CRITERION, lambda n: _round2(per[n].top)),
        (Rule.JURY_DECISION, lambda n: decision_score[n]),
    )
    pairs: list[PairExplanation] = []
    close_ids: set[int] = set()
    lot_used = False
    for above, below in zip(order, order[1:], strict=False):
        rule, above_value, below_value = Rule.LOT, None, None
        for candidate, value_of in rule_fields:
            if value_of(above) != value_of(below):
                rule = candidate
                if candidate not in (Rule.QUORUM, Rule.HEAD_TO_HEAD, Rule.JURY_DECISION):
                    above_value, below_value = value_of(above), value_of(below)
                break
        lot_used = lot_used or rule == Rule.LOT
        close = False
        a, b = per[above], per[below]
        if (
            a.quorum
            and b.quorum
            and a.adjusted is not None
            and b.adjusted is not None
            and a.se is not None
            and b.se is not None
        ):
            noise = math.sqrt(a.se**2 + b.se**2)
            close = abs(a.adjusted - b.adjusted) < noise
        if close:
            close_ids.update((above, below))
        pairs.append(PairExplanation(above, below, rule, above_value, below_value, close))

    quorum_met = {n: per[n].quorum for n in nominations}
    finalist_count = min(parameters.finalists, sum(quorum_met.values()))
    finalists = [n for n in order if quorum_met[n]][:finalist_count]

    method_orders = [
        _order_by({n: getattr(per[n], name) for n in nominations}, quorum_met)
        for name in ("raw", "z")
    ]
    method_orders.append(order)
    # The winner, the nomination in the last finalist place, or the finalists as a set.
    sensitive = bool(finalists) and any(
        len(set(view)) > 1
        for view in (
            [o[0] for o in method_orders],
            [o[finalist_count - 1] for o in method_orders],
            [frozenset(o[:finalist_count]) for o in method_orders],
        )
    )

    ranking = []
    for rank, n in enumerate(order, start=1):
        data = per[n]
        flags = []
        if not data.quorum:
            flags.append(Flag.QUORUM_SHORT)
        if n in close_ids:
            flags.append(Flag.CLOSE)
        if data.outliers:
            flags.append(Flag.OUTLIER)
        ranking.append(
            NominationResult(
                nomination_id=n,
                name=nominations[n].name,
                rank=rank,
                is_finalist=n in finalists,
                score_count=data.count,
                quorum_met=data.quorum,
                raw_mean=data.raw,
                adjusted_score=data.adjusted,
                adjusted_median=data.median,
                z_mean=data.z,
                standard_error=None if data.se in (None, math.inf) else data.se,
                trimmed=data.trimmed,
                top_criterion_mean=data.top,
                outlier_jurors=data.outliers,
                flags=tuple(flags),
            )
        )

    overall: list[Flag] = []
    if any(not r.quorum_met for r in ranking):
        overall.append(Flag.QUORUM_SHORT)
    decisive = {0, finalist_count - 1} if finalist_count else set()
    if any(pairs[index].close for index in decisive if index < len(pairs)):
        overall.append(Flag.CLOSE)
    if sensitive:
        overall.append(Flag.METHOD_SENSITIVE)
    if any(r.outlier_jurors for r in ranking):
        overall.append(Flag.OUTLIER)
    if not converged:
        overall.append(Flag.NOT_CONVERGED)
    return Results(
        algorithm_version=ALGORITHM_VERSION,
        parameters=parameters,
        quorum=quorum,
        ranking=tuple(ranking),
        pairs=tuple(pairs),
        offsets=tuple(sorted(offsets.items())),
        iterations=iterations,
        converged=converged,
        top_criterion_id=top_criterion.id if top_criterion else None,
        flags=tuple(overall),
        lot_seed=snapshot.lot_seed,
        lot_used=lot_used,
    )


# --- storing --------------------------------------------------------------------------------


def snapshot_to_json(snapshot: Snapshot) -> str:
    """The canonical JSON text of a snapshot (sorted keys, no spaces): what the hash covers."""
    return json.dumps(asdict(snapshot), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_hash(snapshot: Snapshot) -> str:
    return hashlib.sha256(snapshot_to_json(snapshot).encode()).hexdigest()


def snapshot_from_json(text: str) -> Snapshot:
    """Read back a snapshot stored with ``snapshot_to_json``."""
    data = json.loads(text)
    return Snapshot(
        cycle_id=data["cycle_id"],
        jury_size=data["jury_size"],
        criteria=tuple(CriterionSpec(**c) for c in data["criteria"]),
        nominations=tuple(NominationSpec(**n) for n in data["nominations"]),
        sheets=tuple(
            Sheet(s["juror_id"], s["nomination_id"], tuple(tuple(p) for p in s["scores"]))
            for s in data["sheets"]
        ),
        tie_decisions=tuple(TieDecision(**d) for d in data["tie_decisions"]),
        lot_seed=data["lot_seed"],
    )


def results_to_dict(results: Results) -> dict:
    """A JSON-ready dict (infinite values become None)."""

    def clean(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    data = asdict(results)
    data["winner_id"] = results.winner.nomination_id if results.winner else None
    cleaned = clean(data)
    assert isinstance(cleaned, dict)
    return cleaned
