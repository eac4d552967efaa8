"""The evaluation gate: alignment quality must not drop below the pinned floors."""

from __future__ import annotations

import json

import pytest

from compare.evaluation import BASELINE, check_against, gold_hash, read_gold_pairs, run_evaluation, EVAL_DIR
from compare.options import CompareOptions


def test_gold_pairs_parse_many_to_many_and_empty_sides() -> None:
    pairs = read_gold_pairs(EVAL_DIR / "textberg" / "gold" / "001")
    assert (0, 0) in pairs and (0, 1) in pairs  # [0]:[0, 1]
    assert all(isinstance(a, int) and isinstance(b, int) for a, b in pairs)


def test_baseline_pins_the_current_gold_data() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert baseline["gold_sha256"] == gold_hash()
    assert baseline["textberg"]["f1"] >= 0.85, "the Text+Berg F1 floor must stay at or above the 0.85 target"


def test_check_against_reports_each_drop() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    worse = {
        "gold_sha256": baseline["gold_sha256"],
        "textberg": {k: v - 0.05 for k, v in baseline["textberg"].items()},
        "textberg_cv": {k: v - 0.05 for k, v in baseline["textberg_cv"].items()},
        "seeds": {"must_align_recall": 0.0, "must_not_align_rate": 1.0},
        "perturbations": {"detection_rate": 0.0, "false_positives": 99},
    }
    failures = check_against(worse, baseline)
    assert len(failures) == 10


def test_baseline_pins_the_cross_validated_figure_beside_the_in_sample_one() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert set(baseline["textberg_cv"]) == {"precision", "recall", "f1"}
    # the in-sample figure may not run away from the held-out one (over-fit)
    assert baseline["textberg"]["f1"] - baseline["textberg_cv"]["f1"] <= 0.02


def test_news_like_variant_keeps_facts_whole_and_remaps_the_gold() -> None:
    import random

    from compare.alignfit import news_like, read_gold_rows

    doc = EVAL_DIR / "textberg"
    fr = (doc / "fr" / "001").read_text(encoding="utf-8").splitlines()
    rows = read_gold_rows(doc / "gold" / "001")
    lines, gold = news_like(fr, rows, random.Random(0))
    assert 0 < len(lines) < len(fr)
    original = read_gold_pairs(doc / "gold" / "001")
    # every remapped pair points at the same French text as one of the original gold pairs
    by_text = {(a, fr[b]) for a, b in original}
    assert all((a, lines[b]) in by_text for a, b in gold)
    # a split fact's French lines stay adjacent
    for left, right in rows:
        if len(right) > 1 and fr[right[0]] in lines and lines.count(fr[right[0]]) == 1:
            start = lines.index(fr[right[0]])
            assert lines[start : start + len(right)] == [fr[i] for i in right]


@pytest.mark.slow
def test_default_settings_meet_the_pinned_floors() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    options = CompareOptions()
    assert (options.embedder, options.support) == (baseline["embedder"], baseline["support"])
    results = run_evaluation(options)
    assert check_against(results, baseline) == []
