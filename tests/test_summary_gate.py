"""The summary and briefing gate: figures pinned under "summaries" in eval/baseline.json."""

from __future__ import annotations

import json

import pytest

from compare.evaluation import BASELINE
from compare.ingest import load_articles
from summarize.briefing import BriefingItem, build_briefing
from summarize.evaluation import check_against, line_is_traceable, run_evaluation, stories


@pytest.fixture(scope="module")
def results() -> dict:
    return run_evaluation()


def pinned() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))["summaries"]


def test_traceability_must_be_complete_and_every_dispute_listed() -> None:
    assert pinned()["disputed_coverage_min"] == 1.0
    assert pinned()["traceable_lines_min"] == 1.0


def test_check_against_reports_each_drop() -> None:
    floor = pinned()
    worse = {
        "redundancy_max": 0.99,
        "entity_coverage_mean": 0.0,
        "lead_rate": 0.0,
        "disputed_coverage_min": 0.5,
        "traceable_lines_min": 0.5,
        "consensus_share_mean": 0.0,
    }
    assert len(check_against(worse, floor)) == 6
    assert check_against({**floor, "redundancy_max": floor["redundancy_max"] - 0.01}, floor) == []


@pytest.mark.slow
def test_default_summaries_and_briefings_meet_the_pinned_figures(results: dict) -> None:
    assert results["articles"] >= 9, "the seeds and every held-out story are measured"
    assert check_against(results, pinned()) == []


@pytest.mark.slow
def test_a_line_citing_the_wrong_sentence_is_not_traceable() -> None:
    from compare.engine import compare_articles

    c = compare_articles(load_articles(stories()["heldout/chipfab"]))
    briefing = build_briefing(c)
    groups = {g.id: set(g.sentences) for g in c.groups}
    disputed = briefing.disputed[0]
    assert line_is_traceable(c, disputed, groups)
    other = c.unique[c.articles[0].article.id][0]  # a sentence in no group, holding no disputed value
    forged = BriefingItem(disputed.text, [other, *disputed.citations[1:]], disputed.kind, dict(disputed.extra))
    assert not line_is_traceable(c, forged, groups)
    consensus = briefing.consensus[0]
    assert line_is_traceable(c, consensus, groups)
    moved = BriefingItem(consensus.text, [*consensus.citations, other], "consensus", {})
    assert not line_is_traceable(c, moved, groups)
