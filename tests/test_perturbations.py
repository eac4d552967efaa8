"""Plant one change at a time in a seed; the comparison must flag it, with the right type, there."""

from __future__ import annotations

import pytest

from compare.engine import compare_articles
from compare.ingest import article_from_text, load_file
from compare.perturbations import CONTROLS, PERTURBATIONS, SEED, Perturbation, apply

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def original():  # type: ignore[no-untyped-def]
    return load_file(SEED)[0]


@pytest.mark.parametrize("p", PERTURBATIONS, ids=lambda p: p.name)
def test_planted_change_is_flagged(original, p: Perturbation) -> None:  # type: ignore[no-untyped-def]
    changed = article_from_text(apply(original.text, p), id="changed", language="de")
    comparison = compare_articles([original, changed])
    position = changed.text.index(p.new)
    target = next(s for s in comparison.articles[1].sentences if s.start <= position < s.end)
    hits = [d for d in comparison.discrepancies if target.id in d["sentences"]]
    assert [d["type"] for d in hits] == [p.expected], comparison.discrepancies
    assert len(comparison.discrepancies) == 1, "nothing else may be flagged"
    group = next(g for g in comparison.groups if g.id == hits[0]["group"])
    assert group.status == "conflict"
    if p.expected == "number":
        assert hits[0]["values"]["changed"] in p.new
        start, end = hits[0]["spans"][target.id]
        assert changed.text[start:end] == hits[0]["values"]["changed"]


@pytest.mark.parametrize("p", CONTROLS, ids=lambda p: p.name)
def test_equivalent_versions_raise_nothing(original, p: Perturbation) -> None:  # type: ignore[no-untyped-def]
    changed = article_from_text(apply(original.text, p), id="changed", language="de")
    comparison = compare_articles([original, changed])
    assert comparison.discrepancies == []
    assert all(g.status == "agree" for g in comparison.groups)


def test_seeds_raise_no_negation_between_loose_paraphrases() -> None:
    from compare.ingest import load_articles

    seeds = load_articles(sorted(SEED.parent.glob("*.txt")))
    comparison = compare_articles(seeds)
    assert [d for d in comparison.discrepancies if d["type"] == "negation"] == []


def test_cross_language_figure_difference_is_flagged() -> None:
    """German seed vs an English report giving a different aid figure."""
    from pathlib import Path

    english = (Path(__file__).parent / "data" / "blinken_en.txt").read_text(encoding="utf-8")
    other = article_from_text(english.replace("$41.5 million", "$45 million"), id="wire", language="en")
    comparison = compare_articles([load_file(SEED)[0], other])
    numbers = [d for d in comparison.discrepancies if d["type"] == "number"]
    assert len(numbers) == 1
    assert numbers[0]["values"] == {"000_390fca3d3418ce8e": "41,5 Millionen US-Dollar", "wire": "$45 million"}


def test_seeds_and_english_coverage_raise_no_false_alarms() -> None:
    from pathlib import Path

    from compare.ingest import load_articles

    paths = sorted(SEED.parent.glob("*.txt")) + [Path(__file__).parent / "data" / "blinken_en.txt"]
    comparison = compare_articles(load_articles(paths))
    assert comparison.discrepancies == []


def test_skipping_quiet_pairs_loses_no_finding(original, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """find_discrepancies skips pairs of versions whose cached check cores find nothing
    (`_quiet`); a check whose core is missing there would lose its findings. Each planted
    change, and the English report, must give the same discrepancies with and without the
    skip, and together they exercise every group check."""
    from pathlib import Path

    from compare.facts import discrepancies

    english = (Path(__file__).parent / "data" / "blinken_en.txt").read_text(encoding="utf-8")
    wire = article_from_text(english, id="wire", language="en")
    comparisons = [
        compare_articles([original, article_from_text(apply(original.text, p), id="changed", language="de")])
        for p in PERTURBATIONS
    ] + [compare_articles([original, wire])]
    skipping = [[d.to_dict() for d in discrepancies.find_discrepancies(c)] for c in comparisons]
    assert {d["type"] for found in skipping for d in found} >= {"number", "date", "negation", "entity"}
    monkeypatch.setattr(discrepancies, "_quiet", lambda *args, **kwargs: False)
    assert [[d.to_dict() for d in discrepancies.find_discrepancies(c)] for c in comparisons] == skipping


@pytest.fixture(scope="module")
def wire():  # type: ignore[no-untyped-def]
    from pathlib import Path

    english = (Path(__file__).parent / "data" / "blinken_en.txt").read_text(encoding="utf-8")
    return article_from_text(english, id="wire", language="en")


@pytest.mark.parametrize("p", PERTURBATIONS, ids=lambda p: p.name)
def test_change_beside_english_report_is_flagged(original, wire, p: Perturbation) -> None:  # type: ignore[no-untyped-def]
    """A third source can bridge two facts into one group (the English "met Tokayev in
    Astana on Tuesday, on his first trip" joins the day and the trip), so a side holds
    several sentences; the change must still be flagged on the changed sentence."""
    changed = article_from_text(apply(original.text, p), id="changed", language="de")
    comparison = compare_articles([original, changed, wire])
    position = changed.text.index(p.new)
    target = next(s for s in comparison.articles[1].sentences if s.start <= position < s.end)
    hits = [d for d in comparison.discrepancies if target.id in d["sentences"]]
    assert hits and {d["type"] for d in hits} == {p.expected}, comparison.discrepancies
    assert all(target.id in d["sentences"] for d in comparison.discrepancies), "nothing else may be flagged"


@pytest.mark.parametrize("p", CONTROLS, ids=lambda p: p.name)
def test_controls_beside_english_report_raise_nothing(original, wire, p: Perturbation) -> None:  # type: ignore[no-untyped-def]
    changed = article_from_text(apply(original.text, p), id="changed", language="de")
    comparison = compare_articles([original, changed, wire])
    assert comparison.discrepancies == []


def test_quiet_skip_covers_sub_pairs(original, wire, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The sentence sub-pair checks go through the same `_quiet` skip (and the cells of
    `_PairChecks.live_pairs`); with the engine's own pair score, each planted change beside
    the English report gives the same discrepancies with and without the skip, and the
    sub-pairs add at least one (the weekday)."""
    from compare import engine
    from compare.facts import discrepancies

    calls: list[tuple] = []  # type: ignore[type-arg]
    real = engine.find_discrepancies

    def record(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(engine, "find_discrepancies", record)
        for p in PERTURBATIONS:
            compare_articles([original, article_from_text(apply(original.text, p), id="changed", language="de"), wire])
    assert all(len(args) == 4 for args in calls), "the engine passes its pair score"

    def found(args: tuple) -> list[dict]:  # type: ignore[type-arg]
        return [d.to_dict() for d in discrepancies.find_discrepancies(*args)]

    skipping = [found(args) for args in calls]
    assert skipping != [found(args[:3]) for args in calls], "the sub-pairs must add a finding"
    monkeypatch.setattr(discrepancies, "_quiet", lambda *args, **kwargs: False)
    assert [found(args) for args in calls] == skipping
