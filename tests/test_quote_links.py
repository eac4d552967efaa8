"""Quote links across articles, and the quote data in the comparison result."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.engine import compare_articles
from compare.facts.quote_links import ArticleQuote, link_quotes, text_relation, word_diff
from compare.facts.quotes import Quote
from compare.ingest import load_articles

ROOT = Path(__file__).resolve().parent.parent


def _q(qid: str, article: str, text: str, speaker: str | None = "Tokajew", language: str = "de") -> ArticleQuote:
    return ArticleQuote(qid, article, language, None, Quote(0, len(text) + 2, text, speaker, None, None, "direct"))


@pytest.mark.parametrize(
    "a,b,relation",
    [
        ("Wir haben eine starke Beziehung.", "„Wir haben eine starke Beziehung“", "verbatim"),
        ("Wir haben eine starke Beziehung, und sie wird stärker.", "Wir haben eine starke Beziehung", "trimmed"),
        ("Wir haben eine starke Beziehung, und sie wird stärker.", "Wir haben eine gute Beziehung, und sie wird stärker.", "altered"),
        ("Wir haben eine starke Beziehung.", "Der Himmel ist die Grenze.", None),
    ],
)
def test_text_relations(a: str, b: str, relation: str | None) -> None:
    assert text_relation(_q("Q1", "x", a), _q("Q2", "y", b)) == relation


def test_word_diff_lists_changed_words() -> None:
    diff = word_diff("sie wird nur noch stärker", "sie wird noch stärker")
    assert diff == [{"op": "delete", "a": "nur", "b": ""}]


def test_speaker_conflict_and_same_article_pairs() -> None:
    links = link_quotes(
        [
            _q("Q1", "x", "Wir haben eine starke Beziehung.", "Tokajew"),
            _q("Q2", "y", "Wir haben eine starke Beziehung.", "Kuchtar Tleuberdi"),
            _q("Q3", "y", "Wir haben eine starke Beziehung.", "Kassym-Jomart Tokayev"),
            _q("Q4", "x", "Wir haben eine starke Beziehung.", "Tokajew"),
        ]
    )
    pairs = {tuple(link.quotes): link.speaker_conflict for link in links}
    assert ("Q1", "Q4") not in pairs  # same article
    assert pairs[("Q1", "Q2")] is True
    assert pairs[("Q1", "Q3")] is False  # transliteration of the same name


@pytest.mark.slow
def test_translated_quote_links_german_and_english_coverage() -> None:
    articles = load_articles([ROOT / "seeds" / "000_390fca3d3418ce8e.txt", ROOT / "tests" / "data" / "blinken_en.txt"])
    comparison = compare_articles(articles)
    quotes = {q["id"]: q for q in comparison.quotes}
    for q in comparison.quotes:
        article = next(r.article for r in comparison.articles if r.article.id == q["article"])
        assert q["text"] in article.text[q["start"] : q["end"]]
    translations = [link for link in comparison.quote_links if link["relation"] == "translation"]
    assert len(translations) == 1
    a, b = (quotes[i] for i in translations[0]["quotes"])
    assert a["text"].startswith("Wir haben eine starke Beziehung") and b["text"].startswith("We have a strong relationship")
    assert translations[0]["speaker_conflict"] is False
