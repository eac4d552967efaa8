"""compare.facts.quote_groups: a same-speaker quote link joins sentences alignment left apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.engine import compare_articles
from compare.facts.quote_groups import group_linked_quotes
from compare.facts.quote_links import ArticleQuote, QuoteLink
from compare.facts.quotes import Quote
from compare.ingest import load_articles
from compare.model import Article, ArticleResult, Comparison, Group, Sentence
from summarize.briefing import build_briefing

ROOT = Path(__file__).resolve().parent.parent


def _story(texts: dict[str, list[tuple[str, str | None]]]) -> tuple[Comparison, list[ArticleQuote]]:
    """Articles of (sentence, speaker) pairs; a sentence's „…“ part is a direct quote by its
    speaker (None: no quote in it)."""
    results, quotes = [], []
    for n, (label, sentences) in enumerate(texts.items()):
        text = " ".join(s for s, _ in sentences)
        article = Article(id=label.lower(), text=text, language="de")
        units, start = [], 0
        for i, (sentence, speaker) in enumerate(sentences):
            begin = text.index(sentence, start)
            units.append(Sentence(f"{label}{i + 1}", article.id, i, begin, begin + len(sentence), sentence))
            start = begin + len(sentence)
            if speaker is not None:
                q0, q1 = text.index("„", begin) + 1, text.index("“", begin)
                quote = Quote(q0, q1, text[q0:q1], speaker, None, None, "direct")
                quotes.append(ArticleQuote(f"Q{len(quotes) + 1}", article.id, "de", f"{label}{i + 1}", quote))
        results.append(ArticleResult(article, label, units))
    unique = {r.article.id: [s.id for s in r.sentences] for r in results}
    return Comparison(results, [], unique), quotes


def _link(a: str, b: str, conflict: bool = False) -> QuoteLink:
    return QuoteLink([a, b], "translation", conflict, [])


QUOTE_A = "„Die Beziehung ist stark und wird noch stärker“, sagte Blinken."
QUOTE_B = "„Die Partnerschaft ist stark und wird stärker“, sagte Blinken."
FACT = "Das Treffen dauerte zwei Stunden."


def _score(a: str, b: str) -> float:
    return 0.5


def test_two_ungrouped_quote_sentences_of_one_speaker_form_a_group() -> None:
    comparison, quotes = _story({"A": [(FACT, None), (QUOTE_A, "Antony Blinken")], "B": [(QUOTE_B, "Blinken")]})
    assert group_linked_quotes(comparison, quotes, [_link("Q1", "Q2")], _score) == 2
    (group,) = comparison.groups
    assert (group.id, group.sentences, group.articles) == ("G1", ["A2", "B1"], ["a", "b"])
    assert group.score == 0.5 and group.probability is None
    assert comparison.unique == {"a": ["A1"], "b": []}


def test_a_loose_quote_sentence_joins_the_group_of_its_counterpart() -> None:
    comparison, quotes = _story(
        {"A": [(QUOTE_A, "Blinken")], "B": [(QUOTE_B, "Blinken")], "C": [(QUOTE_B, "Blinken")]}
    )
    comparison.groups = [Group("G1", ["A1", "B1"], ["a", "b"], 2.0, probability=0.9)]
    comparison.unique = {"a": [], "b": [], "c": ["C1"]}
    assert group_linked_quotes(comparison, quotes, [_link("Q2", "Q3")], _score) == 1
    (group,) = comparison.groups
    assert group.sentences == ["A1", "B1", "C1"] and group.articles == ["a", "b", "c"]
    assert (group.score, group.probability) == (2.0, 0.9)  # the scorer's links still define them


@pytest.mark.parametrize(
    "case",
    ["conflict", "other speaker", "article already in the group", "both grouped", "not mostly a quote"],
)
def test_links_that_must_not_join(case: str) -> None:
    speaker_b = "Tokajew" if case == "other speaker" else "Blinken"
    b_sentence = "Bei dem Treffen, das zwei Stunden dauerte und in Astana stattfand, hieß es „stark“." if case == "not mostly a quote" else QUOTE_B
    comparison, quotes = _story({"A": [(QUOTE_A, "Blinken"), (FACT, None)], "B": [(b_sentence, speaker_b), (FACT, None)]})
    if case == "article already in the group":
        comparison.groups = [Group("G1", ["A2", "B1"], ["a", "b"], 1.0, probability=0.8)]
    if case == "both grouped":
        comparison.groups = [
            Group("G1", ["A1", "B2"], ["a", "b"], 1.0, probability=0.8),
            Group("G2", ["A2", "B1"], ["a", "b"], 1.0, probability=0.8),
        ]
    before = [(g.sentences[:], g.articles[:]) for g in comparison.groups]
    assert group_linked_quotes(comparison, quotes, [_link("Q1", "Q2", conflict=case == "conflict")], _score) == 0
    assert [(g.sentences, g.articles) for g in comparison.groups] == before


@pytest.mark.slow
def test_translated_quote_of_the_twin_story_is_a_shared_fact_in_the_briefing() -> None:
    """Blinken's German quote and its English translation are linked by speaker; they are one
    group, so the briefing does not list either as reported by one source only."""
    comparison = compare_articles(
        load_articles([ROOT / "tests" / "data" / "twin_quotes_de.txt", ROOT / "tests" / "data" / "twin_quotes_en.txt"])
    )
    quotes = {q["id"]: q for q in comparison.quotes}
    (link,) = [link for link in comparison.quote_links if link["relation"] == "translation"]
    pair = {quotes[qid]["sentence"] for qid in link["quotes"]}
    group = next(g for g in comparison.groups if pair <= set(g.sentences))
    assert group.probability is None and group.status == "agree"
    only_in = {sid for items in build_briefing(comparison).unique.values() for item in items for sid in item.citations}
    assert not pair & only_in
