"""The jury's aggregation on hand-computed cases (pure: no app, no database)."""

from __future__ import annotations

import hashlib
import itertools
import random

import pytest

from eventapp.awards.aggregation import (
    ALGORITHM_VERSION,
    CriterionSpec,
    Flag,
    NominationSpec,
    Parameters,
    Rule,
    Sheet,
    Snapshot,
    TieDecision,
    aggregate,
    quorum_for,
    snapshot_from_json,
    snapshot_hash,
    snapshot_to_json,
    weighted_total,
)

ONE = (CriterionSpec(1, "Impact", 1),)


def snap(sheets, *, jury_size, nominations=None, criteria=ONE, decisions=(), seed="seed"):
    ids = nominations or sorted({s.nomination_id for s in sheets})
    return Snapshot(
        cycle_id=1,
        jury_size=jury_size,
        criteria=criteria,
        nominations=tuple(NominationSpec(n, f"N{n}") for n in ids),
        sheets=tuple(sheets),
        tie_decisions=tuple(decisions),
        lot_seed=seed,
    )


def single(juror, nomination, value):
    return Sheet(juror, nomination, ((1, value),))


def by_id(results):
    return {r.nomination_id: r for r in results.ranking}


def test_weighted_total_stays_on_the_scale():
    assert weighted_total(((1, 5), (2, 2)), {1: 3, 2: 1}) == pytest.approx(17 / 4)
    assert weighted_total(((1, 1), (2, 1)), {1: 3, 2: 1}) == 1


def test_quorum_is_three_or_a_majority():
    assert [quorum_for(n) for n in (3, 4, 5, 6, 7, 8, 12)] == [3, 3, 3, 4, 4, 5, 7]


def test_full_design_equals_the_plain_mean():
    rng = random.Random(7)
    criteria = (CriterionSpec(1, "A", 3), CriterionSpec(2, "B", 2), CriterionSpec(3, "C", 1))
    sheets = [
        Sheet(juror, nomination, tuple((c.id, rng.randint(1, 5)) for c in criteria))
        for juror in range(1, 6)
        for nomination in range(10, 16)
    ]
    results = aggregate(snap(sheets, jury_size=5, criteria=criteria))
    weights = {c.id: c.weight for c in criteria}
    for result in results.ranking:
        totals = [
            weighted_total(s.scores, weights)
            for s in sheets
            if s.nomination_id == result.nomination_id
        ]
        plain = sum(totals) / len(totals)
        assert result.adjusted_score == pytest.approx(plain, abs=1e-9)
        assert result.raw_mean == pytest.approx(plain, abs=1e-9)
        assert result.score_count == 5 and result.quorum_met and not result.trimmed
    assert sum(offset for _, offset in results.offsets) == pytest.approx(0, abs=1e-9)
    assert results.converged
    assert results.algorithm_version == ALGORITHM_VERSION


def test_a_lenient_juror_recusing_from_the_top_nomination_is_corrected():
    """Hand-built so the additive model fits exactly.

    Criteria weigh 3 and 1, so totals fall on quarter points. Jurors 1-4 sit 0.5 below
    each nomination's level, juror 5 sits 2.0 above it (offsets sum to zero) and recuses
    from X. Levels: X 3.0, Y 2.75, V 2.5, Z 2.0, W 1.5.
    Plain means: X = 2.5 (juror 5 missing), Y = (4 * 2.25 + 4.75) / 5 = 2.75: Y first.
    Adjusted: X = 3.0, Y = 2.75: X first, as it should be.
    """
    criteria = (CriterionSpec(1, "Impact", 3), CriterionSpec(2, "Model", 1))
    X, Y, Z, W, V = 1, 2, 3, 4, 5
    regular = {X: (3, 1), Y: (2, 3), Z: (1, 3), W: (1, 1), V: (2, 2)}
    lenient = {Y: (5, 4), Z: (4, 4), W: (3, 5), V: (5, 3)}
    sheets = [
        Sheet(juror, n, ((1, a), (2, b))) for juror in (1, 2, 3, 4) for n, (a, b) in regular.items()
    ]
    sheets += [Sheet(5, n, ((1, a), (2, b))) for n, (a, b) in lenient.items()]
    results = aggregate(snap(sheets, jury_size=5, criteria=criteria))
    result = by_id(results)
    assert result[X].raw_mean == pytest.approx(2.5)
    assert result[Y].raw_mean == pytest.approx(2.75)
    assert result[X].adjusted_score == pytest.approx(3.0, abs=1e-8)
    assert result[Y].adjusted_score == pytest.approx(2.75, abs=1e-8)
    assert dict(results.offsets) == pytest.approx(
        {1: -0.5, 2: -0.5, 3: -0.5, 4: -0.5, 5: 2.0}, abs=1e-8
    )
    assert [r.nomination_id for r in results.ranking] == [X, Y, V, Z, W]
    assert results.pairs[0].rule == Rule.SCORE
    assert results.converged
    # The raw mean would have crowned Y: the result depends on the method, and says so.
    assert Flag.METHOD_SENSITIVE in results.flags


def test_a_juror_with_fewer_than_four_scores_keeps_offset_zero():
    sheets = [single(j, n, 3 + (j == 1)) for j in (1, 2, 3) for n in (1, 2, 3)]
    results = aggregate(snap(sheets, jury_size=3))
    assert dict(results.offsets) == {1: 0.0, 2: 0.0, 3: 0.0}
    assert by_id(results)[1].adjusted_score == pytest.approx(10 / 3)


def test_quorum_failure_is_flagged_and_ranked_after_the_quorate():
    sheets = [single(1, 1, 5), single(2, 1, 5)]  # two scores: short of quorum 3 for a jury of 5
    sheets += [single(j, 2, 3) for j in (1, 2, 3)]
    results = aggregate(snap(sheets, jury_size=5))
    assert results.quorum == 3
    first, second = results.ranking
    assert first.nomination_id == 2 and first.quorum_met
    assert second.nomination_id == 1 and not second.quorum_met
    assert Flag.QUORUM_SHORT in second.flags and Flag.QUORUM_SHORT in results.flags
    assert results.pairs[0].rule == Rule.QUORUM
    assert results.winner.nomination_id == 2
    assert [f.nomination_id for f in results.finalists] == [2]


def test_no_nomination_reaches_quorum_means_no_winner():
    results = aggregate(snap([single(1, 1, 5)], jury_size=5))
    assert results.winner is None and results.finalists == ()


def test_tie_broken_by_score():
    sheets = [single(j, 1, 3) for j in (1, 2, 3)] + [single(j, 2, 4) for j in (1, 2, 3)]
    results = aggregate(snap(sheets, jury_size=3))
    assert [r.nomination_id for r in results.ranking] == [2, 1]
    pair = results.pairs[0]
    assert (pair.rule, pair.above_value, pair.below_value) == (Rule.SCORE, 4.0, 3.0)


def test_score_compared_at_two_decimals_then_median():
    # Means 3.0 and 3.0; medians 3 and 4: the median separates them.
    sheets = [single(j, 1, 3) for j in (1, 2, 3)]
    sheets += [single(1, 2, 1), single(2, 2, 4), single(3, 2, 4)]
    results = aggregate(snap(sheets, jury_size=3))
    assert [r.nomination_id for r in results.ranking] == [2, 1]
    assert results.pairs[0].rule == Rule.MEDIAN
    assert (results.pairs[0].above_value, results.pairs[0].below_value) == (4.0, 3.0)


def test_tie_broken_by_head_to_head():
    # Same mean (3) and median (4); jurors 1, 4 and 5 prefer Q, jurors 2 and 3 prefer P.
    P, Q = 1, 2
    p_scores = {1: 4, 2: 4, 3: 4, 4: 2, 5: 1}
    q_scores = {1: 5, 2: 1, 3: 1, 4: 4, 5: 4}
    sheets = [single(j, P, v) for j, v in p_scores.items()]
    sheets += [single(j, Q, v) for j, v in q_scores.items()]
    results = aggregate(snap(sheets, jury_size=5))
    p, q = by_id(results)[P], by_id(results)[Q]
    assert (p.adjusted_score, p.adjusted_median) == (q.adjusted_score, q.adjusted_median)
    assert [r.nomination_id for r in results.ranking] == [Q, P]
    assert results.pairs[0].rule == Rule.HEAD_TO_HEAD


def test_tie_broken_by_the_highest_weighted_criterion():
    criteria = (CriterionSpec(1, "Impact", 2), CriterionSpec(2, "Model", 1))
    # Every juror's totals are equal (3.0): (4*2+1)/3 = (3*2+3)/3.
    sheets = [Sheet(j, 1, ((1, 3), (2, 3))) for j in (1, 2, 3)]
    sheets += [Sheet(j, 2, ((1, 4), (2, 1))) for j in (1, 2, 3)]
    results = aggregate(snap(sheets, jury_size=3, criteria=criteria))
    assert [r.nomination_id for r in results.ranking] == [2, 1]
    pair = results.pairs[0]
    assert (pair.rule, pair.above_value, pair.below_value) == (Rule.TOP_CRITERION, 4.0, 3.0)
    assert results.top_criterion_id == 1


def _identical_pair():
    return [single(j, n, 3) for j in (1, 2, 3) for n in (1, 2)]


def test_tie_broken_by_a_recorded_jury_decision():
    results = aggregate(snap(_identical_pair(), jury_size=3, decisions=[TieDecision(2, 1)]))
    assert [r.nomination_id for r in results.ranking] == [2, 1]
    assert results.pairs[0].rule == Rule.JURY_DECISION
    assert not results.lot_used
    other = aggregate(snap(_identical_pair(), jury_size=3, decisions=[TieDecision(1, 2)]))
    assert [r.nomination_id for r in other.ranking] == [1, 2]


def test_a_remaining_tie_is_a_lot_drawn_from_the_recorded_seed():
    for seed in ("a", "b", "c", "d"):
        results = aggregate(snap(_identical_pair(), jury_size=3, seed=seed))
        expected = sorted((1, 2), key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())
        assert [r.nomination_id for r in results.ranking] == expected
        assert results.pairs[0].rule == Rule.LOT
        assert results.lot_used and results.lot_seed == seed
        # The same seed always draws the same lot.
        assert aggregate(snap(_identical_pair(), jury_size=3, seed=seed)) == results


def test_trimmed_mean_at_seven_scores():
    values = (1, 2, 3, 3, 4, 5, 5)
    results = aggregate(snap([single(j, 1, v) for j, v in enumerate(values, 1)], jury_size=7))
    (result,) = results.ranking
    assert result.trimmed
    assert result.adjusted_score == pytest.approx((2 + 3 + 3 + 4 + 5) / 5)
    assert result.raw_mean == pytest.approx(23 / 7)
    six = aggregate(snap([single(j, 1, v) for j, v in enumerate(values[:6], 1)], jury_size=7))
    assert not six.ranking[0].trimmed
    assert six.ranking[0].adjusted_score == pytest.approx(18 / 6)


def test_close_result_within_the_standard_error():
    # 3.67 vs 3.33 with spreads of about 0.58 each: the difference is within the noise.
    sheets = [single(1, 1, 4), single(2, 1, 4), single(3, 1, 3)]
    sheets += [single(1, 2, 3), single(2, 2, 3), single(3, 2, 4)]
    results = aggregate(snap(sheets, jury_size=3))
    assert results.pairs[0].close
    assert Flag.CLOSE in results.flags
    clear = [single(j, 1, 5) for j in (1, 2, 3)] + [
        single(1, 2, 1),
        single(2, 2, 2),
        single(3, 2, 1),
    ]
    assert not aggregate(snap(clear, jury_size=3)).pairs[0].close


def test_outlier_scores_are_flagged():
    sheets = [single(j, 1, 4) for j in (1, 2, 3)] + [single(4, 1, 1)]
    results = aggregate(snap(sheets, jury_size=4))
    assert results.ranking[0].outlier_jurors == (4,)
    assert Flag.OUTLIER in results.flags


def test_three_way_head_to_head_cycle_falls_through_to_the_next_rule():
    # A Condorcet cycle: each beats the next by 2-1; wins minus losses tie at 0 -> lot.
    scores = {1: (1, 2, 3), 2: (2, 3, 1), 3: (3, 1, 2)}
    sheets = [single(j, n, scores[j][n - 1]) for j in (1, 2, 3) for n in (1, 2, 3)]
    results = aggregate(snap(sheets, jury_size=3))
    assert {p.rule for p in results.pairs} == {Rule.LOT}


def test_snapshot_round_trips_and_hash_is_stable():
    snapshot = snap(_identical_pair(), jury_size=3, decisions=[TieDecision(1, 2)])
    text = snapshot_to_json(snapshot)
    assert snapshot_from_json(text) == snapshot
    assert snapshot_hash(snapshot) == hashlib.sha256(text.encode()).hexdigest()
    changed = snap(_identical_pair()[:-1], jury_size=3, decisions=[TieDecision(1, 2)])
    assert snapshot_hash(changed) != snapshot_hash(snapshot)


@pytest.mark.parametrize("jurors,nominations", [(5, 4), (8, 10), (12, 6)])
def test_gappy_designs_converge_with_offsets_summing_to_zero(jurors, nominations):
    rng = random.Random(jurors * 100 + nominations)
    sheets = [
        single(j, n, rng.randint(1, 5))
        for j, n in itertools.product(range(1, jurors + 1), range(1, nominations + 1))
        if rng.random() > 0.2
    ]
    results = aggregate(snap(sheets, jury_size=jurors), Parameters(finalists=3))
    assert results.converged
    free = [o for j, o in results.offsets if sum(s.juror_id == j for s in sheets) >= 4]
    assert sum(free) == pytest.approx(0, abs=1e-8)
    assert [r.rank for r in results.ranking] == list(range(1, nominations + 1))
