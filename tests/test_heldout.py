"""Held-out stories (eval/heldout/): the real engine against hand-written gold.

The stories were written after the engine was built and it was never tuned on them, so
this is the check that discrepancies, quote links and their speakers generalise beyond
the seeds. Each story is compared once per module with the default options.

Expectations the engine does not meet yet are listed in KNOWN_GAPS and xfail strictly:
the gold stays honest, and a fix turns the xfail into a failure that asks for the entry
to be removed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from compare.engine import compare_articles, segment_article
from compare.ingest import load_file
from compare.model import Article, Comparison, Sentence

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "eval" / "heldout"
GOLD: dict[str, Any] = json.loads((HELDOUT / "gold.json").read_text(encoding="utf-8"))
STORIES: dict[str, dict[str, Any]] = GOLD["stories"]

pytestmark = pytest.mark.slow

# "<story>/<section>/<gold id>" -> the capability the engine lacks (what it produced instead).
KNOWN_GAPS: dict[str, str] = {
}


def _case(story: str, section: str, gold_id: str) -> Any:
    """A parameter for one gold expectation, xfailing strictly when it is a known gap."""
    key = f"{story}/{section}/{gold_id}"
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[key])] if key in KNOWN_GAPS else []
    return pytest.param(story, gold_id, id=key, marks=marks)


def _cases(section: str, gold_section: str) -> list[Any]:
    """One parameter per gold item of `gold_section`, named "<story>/<section>/<id>"."""
    return [_case(story, section, item["id"]) for story, gold in STORIES.items() for item in gold[gold_section]]


def _story_cases(section: str) -> list[Any]:
    """One parameter per story for a whole-result check, named "<story>/extra/<section>"."""
    return [_case(story, "extra", section) for story in STORIES]


def _item(story: str, section: str, gold_id: str) -> dict[str, Any]:
    return next(item for item in STORIES[story][section] if item["id"] == gold_id)


@dataclass
class StoryText:
    """A story's articles and sentences, to find what the gold's substrings point at."""

    articles: dict[str, Article]
    sentences: dict[str, list[Sentence]]

    def locate(self, article: str, needle: str) -> tuple[Sentence, int]:
        """The sentence holding the gold substring, and the substring's absolute offset."""
        text = self.articles[article].text
        assert text.count(needle) == 1, f"{needle!r} must occur exactly once in {article}"
        offset = text.index(needle)
        sentence = next(s for s in self.sentences[article] if s.start <= offset < s.end)
        return sentence, offset


@dataclass
class StoryResult(StoryText):
    """A story's comparison by the engine."""

    comparison: Comparison

    def quote(self, article: str, needle: str) -> dict[str, Any]:
        found = [q for q in self.comparison.quotes if q["article"] == article and needle in q["text"]]
        assert len(found) == 1, f"expected one quote in {article} containing {needle!r}, found {found}"
        return found[0]


def _load_story(story: str) -> list[Article]:
    return [load_file(HELDOUT / story / f"{stem}.txt")[0] for stem in STORIES[story]["articles"].values()]


class _Results(dict[str, StoryResult]):
    """Stories compared on first use, so selecting one test runs one story."""

    def __missing__(self, story: str) -> StoryResult:
        articles = _load_story(story)
        comparison = compare_articles(articles)
        sentences = {r.article.id: r.sentences for r in comparison.articles}
        self[story] = StoryResult({a.id: a for a in articles}, sentences, comparison)
        return self[story]


@pytest.fixture(scope="module")
def results() -> _Results:
    """Each story compared at most once per module, with the default options."""
    return _Results()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _matches(result: StoryResult, found: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Same type, same articles, each gold value inside the engine's value, in the gold sentences."""
    if found["type"] != gold["type"] or set(found["values"]) != set(gold["values"]):
        return False
    for article, value in gold["values"].items():
        if _norm(value) not in _norm(found["values"][article]):
            return False
        sentence, _ = result.locate(article, gold["sentences"][article])
        if sentence.id not in found["sentences"]:
            return False
    if "diff" in gold:
        pairs = {(d["a"], d["b"]) for d in found.get("diff", [])}
        if pairs != {tuple(p) for p in gold["diff"]}:
            return False
    return True


def _gold_discrepancy(result: StoryResult, story: str, found: dict[str, Any]) -> bool:
    return any(_matches(result, found, gold) for gold in STORIES[story]["discrepancies"])


def _link(result: StoryResult, gold: dict[str, Any]) -> dict[str, Any] | None:
    ids = {result.quote(article, q["text"])["id"] for article, q in gold["quotes"].items()}
    return next((link for link in result.comparison.quote_links if set(link["quotes"]) == ids), None)


def test_gold_strings_locate_one_place_each() -> None:
    """The gold is usable: every string occurs once, inside one sentence, in an article of the right language."""
    for story, gold in STORIES.items():
        articles = {a.id: a for a in _load_story(story)}
        assert set(articles) == set(gold["articles"])
        languages = {a.language for a in articles.values()}
        assert languages == {"de", "en"}, (story, languages)
        result = StoryText(articles, {aid: segment_article(a, aid.upper()) for aid, a in articles.items()})
        for item in gold["discrepancies"]:
            for article, needle in item["sentences"].items():
                sentence, _ = result.locate(article, needle)
                assert item["values"][article] in sentence.text, (story, item["id"], article)
        for item in gold["must_not_flag"]:
            assert len(item["values"]) >= 2
            for article, value in item["values"].items():
                sentence, offset = result.locate(article, value)
                assert offset + len(value) <= sentence.end, (story, item["id"], article)
        for item in gold["quote_links"]:
            for article, quote in item["quotes"].items():
                assert articles[article].text.count(quote["text"]) == 1, (story, item["id"], article)


@pytest.mark.parametrize("story,gold_id", _cases("discrepancies", "discrepancies"))
def test_expected_discrepancy_is_found(results: dict[str, StoryResult], story: str, gold_id: str) -> None:
    result = results[story]
    gold = _item(story, "discrepancies", gold_id)
    found = [d for d in result.comparison.discrepancies if _matches(result, d, gold)]
    assert len(found) == 1, f"{gold} not found once in {result.comparison.discrepancies}"
    group = found[0]["group"]
    if group is not None:
        status = next(g.status for g in result.comparison.groups if g.id == group)
        assert status == "conflict"


@pytest.mark.parametrize("story,gold_id", _story_cases("discrepancies"))
def test_every_discrepancy_is_a_gold_one(results: dict[str, StoryResult], story: str, gold_id: str) -> None:
    result = results[story]
    extra = [d for d in result.comparison.discrepancies if not _gold_discrepancy(result, story, d)]
    assert not extra, f"discrepancies not in the gold: {extra}"


@pytest.mark.parametrize("story,gold_id", _cases("must_not_flag", "must_not_flag"))
def test_equivalent_facts_raise_nothing(results: dict[str, StoryResult], story: str, gold_id: str) -> None:
    """Equal facts in different forms: no discrepancy between these articles marks these values,
    and no discrepancy outside the gold touches their sentences."""
    result = results[story]
    gold = _item(story, "must_not_flag", gold_id)
    located = {article: result.locate(article, value) for article, value in gold["values"].items()}
    sentence_ids = {sentence.id for sentence, _ in located.values()}
    for d in result.comparison.discrepancies:
        touched = sentence_ids & set(d["sentences"])
        if not touched:
            continue
        assert _gold_discrepancy(result, story, d), f"{gold_id}: unexpected {d}"
        if d["type"] == "quote" or len(set(d["values"]) & set(gold["values"])) < 2:
            continue  # a quote discrepancy spans the whole quotation; other pairs may differ
        for article, (sentence, offset) in located.items():
            span = d["spans"].get(sentence.id)
            end = offset + len(gold["values"][article])
            assert not (span and span[0] < end and offset < span[1]), f"{gold_id}: {d} marks an equal value"


@pytest.mark.parametrize("story,gold_id", _cases("quote_links", "quote_links"))
def test_expected_quote_link_exists(results: dict[str, StoryResult], story: str, gold_id: str) -> None:
    gold = _item(story, "quote_links", gold_id)
    link = _link(results[story], gold)
    assert link is not None, f"{gold_id}: no link in {results[story].comparison.quote_links}"
    assert link["relation"] == gold["relation"]
    assert link["speaker_conflict"] is gold["speaker_conflict"]


@pytest.mark.parametrize("story,gold_id", _cases("speakers", "quote_links"))
def test_linked_quotes_have_the_right_speakers(results: dict[str, StoryResult], story: str, gold_id: str) -> None:
    result = results[story]
    gold = _item(story, "quote_links", gold_id)
    for article, expected in gold["quotes"].items():
        quote = result.quote(article, expected["text"])
        assert quote["speaker"] and _norm(expected["speaker"]) in _norm(quote["speaker"]), (article, quote)


@pytest.mark.parametrize("story,gold_id", _story_cases("quote_links"))
def test_every_quote_link_is_a_gold_one(results: dict[str, StoryResult], story: str, gold_id: str) -> None:
    result = results[story]
    expected = [_link(result, gold) for gold in STORIES[story]["quote_links"]]
    extra = [link for link in result.comparison.quote_links if link not in expected]
    assert not extra, f"quote links not in the gold: {extra}"
