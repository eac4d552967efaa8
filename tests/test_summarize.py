"""Extractive summaries with the real e5 embedder: citations, budgets, redundancy, lead, cache."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

from compare.embed import Embedder, get_embedder
from compare.errors import InputError, ModelError
from compare.ingest import article_from_text, load_articles
from compare.model import ArticleResult, Comparison
from summarize import (
    SUMMARIZER_SPECS,
    Budget,
    Summarizer,
    Summary,
    get_summarizer,
    parse_summarizer_spec,
    results_for,
    summarize_articles,
    summarize_comparison,
)
from summarize.cache import CachedSummarizer, SummaryCache, default_summary_cache_path
from summarize.extractive import DUPLICATE_COSINE, ExtractiveSummarizer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ENGLISH = ROOT / "tests" / "data" / "blinken_en.txt"

FRENCH = """Blinken en Asie centrale

PARIS – Le secrétaire d'État américain Antony Blinken s'est rendu mardi au Kazakhstan, sa première visite dans ce pays depuis son entrée en fonction.
À Astana, il a rencontré le président Kassym-Jomart Tokaïev, puis les ministres des Affaires étrangères des cinq républiques d'Asie centrale.
Washington cherche à renforcer ses liens avec une région longtemps dominée par la Russie et courtisée par la Chine.
Les États-Unis ont annoncé une aide de 41,5 millions de dollars pour soutenir les économies de la région et ouvrir de nouvelles routes d'exportation.
« Nous avons une relation forte, et elle ne fera que se renforcer », a déclaré M. Tokaïev à son hôte.

Une neutralité prudente
Le Kazakhstan partage sa plus longue frontière terrestre avec la Russie et ménage Moscou depuis l'invasion de l'Ukraine.
Lors du vote de l'Assemblée générale de l'ONU la semaine dernière, les cinq pays se sont abstenus ou n'ont pas voté.
Après Astana, M. Blinken devait poursuivre sa tournée à Tachkent, en Ouzbékistan.
Fin.
"""

BUDGETS = [Budget(), Budget(sentences=1), Budget(sentences=5), Budget(sentences=None, chars=400), Budget(sentences=2, chars=600)]


class Counting:
    """A real embedder that records what it is asked to embed (to observe the cache)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def e5() -> Embedder:
    return get_embedder("e5")


@pytest.fixture(scope="module")
def summarizer(e5: Embedder) -> ExtractiveSummarizer:
    return ExtractiveSummarizer(embedder=e5)


@pytest.fixture(scope="module")
def results() -> list[ArticleResult]:
    """The two German seeds, the English report and the French text: labels A, B, C, D."""
    articles = load_articles([*SEEDS, ENGLISH])
    articles.append(article_from_text(FRENCH, id="fr_report", language="fr"))
    return results_for(articles)


def _claims(result: ArticleResult) -> list:  # type: ignore[type-arg]
    return [s for s in result.sentences if s.kind == "sentence"]


def _with_extra_paragraph(result: ArticleResult, sentence: str) -> ArticleResult:
    """The article with one more paragraph at its end, segmented afresh."""
    a = result.article
    (planted,) = results_for([article_from_text(a.text + "\n\n" + sentence + "\n", id=a.id + "_planted", language=a.language)])
    return planted


def test_results_for_labels_and_segments_like_a_comparison(results: list[ArticleResult]) -> None:
    assert [r.label for r in results] == ["A", "B", "C", "D"]
    assert [r.article.language for r in results] == ["de", "de", "en", "fr"]
    for r in results:
        assert r.sentences and all(s.id == f"{r.label}{i + 1}" for i, s in enumerate(r.sentences))
        assert all(s.article == r.article.id for s in r.sentences)


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: f"s{b.sentences}-c{b.chars}")
def test_summary_cites_article_sentences_in_order_with_offsets(
    summarizer: ExtractiveSummarizer, results: list[ArticleResult], budget: Budget
) -> None:
    for r in results:
        summary = summarizer.summarize(r, budget)
        by_id = {s.id: s for s in r.sentences}
        assert summary.article == r.article.id
        assert summary.method == summarizer.name and summary.method.startswith("extractive(")
        assert summary.sentences, f"{r.label}: empty summary"
        assert len(summary.offsets) == len(summary.sentences)
        picked = [by_id[sid] for sid in summary.sentences]
        assert [s.index for s in picked] == sorted({s.index for s in picked}), "original order, no repeats"
        for s, (start, end) in zip(picked, summary.offsets):
            assert (start, end) == (s.start, s.end)
            assert r.article.text[start:end] == s.text
            assert s.kind == "sentence"
        assert summary.text == " ".join(s.text for s in picked)
        assert summary.to_dict() == {
            "text": summary.text,
            "sentences": summary.sentences,
            "method": summary.method,
            "offsets": summary.offsets,
        }


def test_sentence_budget_is_respected_and_used(summarizer: ExtractiveSummarizer, results: list[ArticleResult]) -> None:
    for r in results:
        for k in (1, 2, 3, 5):
            summary = summarizer.summarize(r, Budget(sentences=k))
            assert len(summary.sentences) == min(k, len(_claims(r)))


def test_char_budget_is_respected_and_filled(
    summarizer: ExtractiveSummarizer, results: list[ArticleResult], e5: Embedder
) -> None:
    for r in results:
        for chars in (200, 400, 900):
            summary = summarizer.summarize(r, Budget(sentences=None, chars=chars))
            assert summary.sentences and len(summary.text) <= chars
            # Filled: every usable sentence left out would overflow, or repeats a picked one.
            picked = set(summary.sentences)
            picked_vectors = e5.embed([r.article.text[a:b] for a, b in summary.offsets])
            for s in summarizer.candidates(r):
                if s.id in picked:
                    continue
                duplicate = float((e5.embed([s.text]) @ picked_vectors.T).max()) > DUPLICATE_COSINE
                assert duplicate or len(summary.text) + 1 + len(s.text) > chars, (r.label, chars, s.id)


def test_char_budget_smaller_than_any_sentence_gives_the_top_sentence_alone(
    summarizer: ExtractiveSummarizer, results: list[ArticleResult]
) -> None:
    for r in results:
        shortest = min(len(s.text) for s in summarizer.candidates(r))
        summary = summarizer.summarize(r, Budget(sentences=None, chars=shortest - 1))
        assert len(summary.sentences) == 1
        assert summary.sentences == summarizer.summarize(r, Budget(sentences=1)).sentences


def test_both_limits_stop_at_whichever_comes_first(summarizer: ExtractiveSummarizer, results: list[ArticleResult]) -> None:
    r = results[0]
    roomy = summarizer.summarize(r, Budget(sentences=2, chars=10_000))
    assert len(roomy.sentences) == 2
    tight = summarizer.summarize(r, Budget(sentences=10, chars=300))
    assert len(tight.text) <= 300 and len(tight.sentences) < 10


def test_headings_datelines_and_fragments_are_never_chosen(
    summarizer: ExtractiveSummarizer, results: list[ArticleResult]
) -> None:
    kinds = {s.kind for r in results for s in r.sentences}
    assert {"heading", "dateline"} <= kinds, "the test articles have headings and datelines"
    for r in results:
        summary = summarizer.summarize(r, Budget(sentences=None, chars=None))
        chosen = {s.id: s for s in r.sentences if s.id in summary.sentences}
        assert all(s.kind == "sentence" for s in chosen.values())
        assert all(len(s.text.split()) >= summarizer.min_words for s in chosen.values())
    french = results[3]
    fragment = [s.id for s in french.sentences if s.text == "Fin."]
    assert fragment and fragment[0] not in summarizer.summarize(french, Budget(None, None)).sentences


def test_unlimited_budget_keeps_every_distinct_claim(summarizer: ExtractiveSummarizer, results: list[ArticleResult]) -> None:
    """No budget: only duplicates and fragments are left out (the seeds have no copies)."""
    for r in results:
        summary = summarizer.summarize(r, Budget(sentences=None, chars=None))
        assert summary.sentences == [s.id for s in summarizer.candidates(r)]


def test_lead_sentence_is_chosen_for_news_articles(summarizer: ExtractiveSummarizer, results: list[ArticleResult]) -> None:
    for r in results:
        first_claim = _claims(r)[0]
        assert first_claim.id in summarizer.summarize(r, Budget()).sentences, r.label


def test_no_two_summary_sentences_are_near_duplicates(
    summarizer: ExtractiveSummarizer, results: list[ArticleResult], e5: Embedder
) -> None:
    for r in results:
        summary = summarizer.summarize(r, Budget(sentences=6))
        vectors = e5.embed([r.article.text[a:b] for a, b in summary.offsets])
        cosines = vectors @ vectors.T
        np.fill_diagonal(cosines, -1.0)
        assert cosines.max() < DUPLICATE_COSINE


@pytest.mark.parametrize("label", ["A", "C", "D"])
@pytest.mark.parametrize("budget", [Budget(sentences=None, chars=None), Budget(sentences=4)], ids=["all", "four"])
def test_planted_copy_of_the_lead_is_picked_once(
    summarizer: ExtractiveSummarizer, results: list[ArticleResult], label: str, budget: Budget
) -> None:
    original = next(r for r in results if r.label == label)
    lead = _claims(original)[0].text
    for copy in (lead, lead.replace(".", "!")):  # an exact copy, and one only the punctuation tells apart
        planted = _with_extra_paragraph(original, copy)
        copies = [s.id for s in planted.sentences if s.text in (lead, copy)]
        assert len(copies) == 2
        summary = summarizer.summarize(planted, budget)
        assert len(set(copies) & set(summary.sentences)) == 1, (label, summary.sentences)


def test_other_embedders_can_be_injected(results: list[ArticleResult]) -> None:
    use = get_embedder("use")
    summarizer = ExtractiveSummarizer(embedder=use)
    assert "use" in summarizer.name
    summary = summarizer.summarize(results[2], Budget(sentences=2))
    assert len(summary.sentences) == 2


def test_embedder_is_taken_lazily_from_the_factory() -> None:
    summarizer = ExtractiveSummarizer(embedder_spec="e5")
    assert summarizer._embedder is None  # building loads nothing
    assert summarizer.embedder is get_embedder("e5")


@pytest.mark.parametrize(
    "kwargs",
    [{"sentences": 0}, {"sentences": -2}, {"sentences": 2.5}, {"sentences": True}, {"sentences": "3"}, {"chars": 0}, {"chars": -100}, {"sentences": None, "chars": 1.5}],
)
def test_bad_budgets_raise_input_error(kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError) as info:
        Budget(**kwargs)
    assert "\n" not in str(info.value)


def test_good_budgets() -> None:
    assert Budget() == Budget(sentences=3, chars=None)
    assert Budget(sentences=None, chars=None).to_dict() == {"sentences": None, "chars": None}
    assert hash(Budget(2, 300)) == hash(Budget(2, 300))


def test_cache_hit_skips_the_embedder(results: list[ArticleResult], tmp_path: Path) -> None:
    """The short English and French articles: the counted embedder runs without its disk cache."""
    counting = Counting(get_embedder("e5", cache=False))
    inner = ExtractiveSummarizer(embedder=counting)
    cached = CachedSummarizer(inner, SummaryCache(tmp_path / "s.sqlite"))
    assert cached.name == inner.name
    first = cached.summarize(results[2], Budget())
    calls = counting.calls
    assert calls >= 1
    again = cached.summarize(results[2], Budget())
    assert counting.calls == calls and again == first
    # a fresh cache object on the same file (a new process) also hits
    reopened = CachedSummarizer(inner, SummaryCache(tmp_path / "s.sqlite"))
    assert reopened.summarize(results[2], Budget()) == first and counting.calls == calls
    # another budget or another article is another key
    other = cached.summarize(results[2], Budget(sentences=1))
    assert counting.calls == calls + 1 and len(other.sentences) == 1
    cached.summarize(results[3], Budget())
    assert counting.calls == calls + 2
    assert first == inner.summarize(results[2], Budget())


def test_cache_key_depends_on_settings(results: list[ArticleResult], tmp_path: Path) -> None:
    e5 = get_embedder("e5")
    cache = SummaryCache(tmp_path)
    plain = CachedSummarizer(ExtractiveSummarizer(embedder=e5, min_words=4), cache)
    strict = CachedSummarizer(ExtractiveSummarizer(embedder=e5, min_words=30), cache)
    assert plain.name == strict.name  # min_words is not in the name, only in the settings
    long_only = strict.summarize(results[0], Budget(sentences=None, chars=None))
    everything = plain.summarize(results[0], Budget(sentences=None, chars=None))
    assert len(long_only.sentences) < len(everything.sentences)


def test_corrupt_or_unwritable_cache_warns_and_computes(
    results: list[ArticleResult], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    inner = ExtractiveSummarizer(embedder=get_embedder("e5"))
    expected = inner.summarize(results[2], Budget())
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    for path in (corrupt, blocker / "sub" / "s.sqlite"):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="summarize.cache"):
            cached = CachedSummarizer(inner, SummaryCache(path))
            assert cached.summarize(results[2], Budget()) == expected
            assert cached.summarize(results[2], Budget()) == expected
        assert any("summary cache" in rec.getMessage() for rec in caplog.records), path


def test_default_cache_sits_next_to_the_embedding_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path))
    assert default_summary_cache_path() == tmp_path / "summaries.sqlite"
    assert SummaryCache().path == tmp_path / "summaries.sqlite"


def test_summarize_articles_and_comparison(summarizer: ExtractiveSummarizer, results: list[ArticleResult]) -> None:
    notes: list[str] = []
    summaries = summarize_articles(results, summarizer, Budget(sentences=2), progress=notes.append)
    assert list(summaries) == [r.article.id for r in results]
    assert len(notes) == len(results)
    assert all(isinstance(s, Summary) and len(s.sentences) == 2 for s in summaries.values())
    comparison = Comparison(articles=results[:2], groups=[], unique={})
    out = summarize_comparison(comparison, summarizer, Budget(sentences=2))
    assert comparison.summaries == {k: v.to_dict() for k, v in out.items()}
    assert comparison.to_dict()["summaries"][results[0].article.id]["sentences"] == summaries[results[0].article.id].sentences


def test_factory_builds_once_and_rejects_unknown_specs() -> None:
    assert set(SUMMARIZER_SPECS) == {"extractive", "hf:<model>"}
    one = get_summarizer("extractive", cache=False)
    assert one is get_summarizer(" Extractive ", cache=False)
    assert isinstance(one, Summarizer) and isinstance(one, ExtractiveSummarizer)
    cached = get_summarizer("extractive")
    assert isinstance(cached, CachedSummarizer) and cached.name == one.name
    other = get_summarizer("extractive", cache=False, embedder_spec="use", lead_weight=0.2)
    assert other is not one and "use" in other.name and "lead=0.2" in other.name
    assert parse_summarizer_spec("hf:facebook/bart-large-cnn") == ("hf", "facebook/bart-large-cnn")
    for bad in ("lexrank", "", "extractive:e5", "hf:", "bart"):
        with pytest.raises(ModelError) as info:
            get_summarizer(bad)
        assert "\n" not in str(info.value)
    with pytest.raises(ModelError, match="valid: extractive"):
        get_summarizer("lexrank")
    with pytest.raises(ModelError):
        get_summarizer("extractive", cache=False, no_such_setting=1)


def test_no_cache_reaches_the_extractive_summarizers_embeddings() -> None:
    from compare.embed import get_embedder
    from summarize.factory import clear_summarizers

    clear_summarizers()
    try:
        uncached = get_summarizer("extractive", cache=False)
        assert uncached.embedder is get_embedder("e5", cache=False)
        cached = get_summarizer("extractive", cache=True)
        assert cached.inner.embedder is get_embedder("e5", cache=True)
    finally:
        clear_summarizers()
