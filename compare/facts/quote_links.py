"""Link quotations across articles: the same words, trimmed, altered, or translated.

Relations, checked in this order for every pair of statements (direct or partial
quotes) from different articles:

* verbatim    - equal after normalising case, typography and spacing;
* trimmed     - one is a contiguous part (at least four words) of the other;
* altered     - same language, rapidfuzz ratio >= ALTERED_MIN_RATIO: the same quote with
                changed words; `diff` lists them (difflib over words);
* translation - different languages, and the two are each other's best match by
                cosine (among the other article's quotes) and stand out against unrelated
                news sentences: (cos - mean closeness of both to the background set) /
                spread of quote-to-background cosines >= TRANSLATION_MIN_STANDING.

`speaker_conflict` marks a link whose two speakers are both known and differ
(`quotes.same_speaker`, transliteration-aware).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from rapidfuzz import fuzz

from compare.background import background_sentences
from compare.embed import Embedder
from compare.facts.quotes import Quote, same_speaker
from compare.model import Comparison

ALTERED_MIN_RATIO = 70.0
MIN_TRIMMED_WORDS = 4
TRANSLATION_MIN_STANDING = 2.0
STATEMENT_KINDS = frozenset({"direct", "partial"})

_QUOTE_MARKS = re.compile(r"[„“”\"»«‘’‚‹›']")
_WORDS = re.compile(r"\w+(?:[-’']\w+)*", re.UNICODE)


@dataclass
class ArticleQuote:
    """A quote located in its article and sentence, with its result id (Q1, Q2, ...)."""

    id: str
    article: str
    language: str | None
    sentence: str | None
    quote: Quote

    def to_dict(self) -> dict[str, Any]:
        q = self.quote
        span = [q.speaker_start, q.speaker_end] if q.speaker_start is not None else None
        return {
            "id": self.id,
            "article": self.article,
            "sentence": self.sentence,
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "speaker": q.speaker,
            "speaker_span": span,
            "kind": q.kind,
        }


@dataclass
class QuoteLink:
    quotes: list[str]
    relation: str
    speaker_conflict: bool
    diff: list[dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "quotes": list(self.quotes),
            "relation": self.relation,
            "speaker_conflict": self.speaker_conflict,
            "diff": list(self.diff),
        }


def words(text: str) -> list[str]:
    return _WORDS.findall(_QUOTE_MARKS.sub(" ", text).lower())


def word_diff(a: str, b: str) -> list[dict[str, str]]:
    """Changed word runs: [{"op": "replace"|"delete"|"insert", "a": ..., "b": ...}]."""
    wa, wb = _QUOTE_MARKS.sub(" ", a).split(), _QUOTE_MARKS.sub(" ", b).split()
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in wa], b=[w.lower() for w in wb], autojunk=False)
    return [
        {"op": op, "a": " ".join(wa[i1:i2]), "b": " ".join(wb[j1:j2])}
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return n >= MIN_TRIMMED_WORDS and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def text_relation(
    a: ArticleQuote, b: ArticleQuote, wa: list[str] | None = None, wb: list[str] | None = None
) -> str | None:
    """verbatim / trimmed / altered (altered only within one language), else None."""
    wa = words(a.quote.text) if wa is None else wa
    wb = words(b.quote.text) if wb is None else wb
    if not wa or not wb:
        return None
    if wa == wb:
        return "verbatim"
    if _contains(wa, wb) or _contains(wb, wa):
        return "trimmed"
    if a.language == b.language and fuzz.ratio(" ".join(wa), " ".join(wb)) >= ALTERED_MIN_RATIO:
        return "altered"
    return None


def _translations(quotes: Sequence[ArticleQuote], embedder: Embedder | None) -> set[tuple[int, int]]:
    """Index pairs (i < j) of cross-language quotes that are mutual best matches and stand out."""
    if embedder is None:
        return set()
    languages = {q.language for q in quotes}
    if len(languages) < 2:
        return set()
    vectors = embedder.embed([q.quote.text for q in quotes])
    background = embedder.embed(background_sentences(languages))
    to_background = vectors @ background.T
    # A story has few quotes, so their spread is measured against the background set.
    spread = max(float(to_background.std()), 1e-6)
    near = np.sort(to_background, axis=1)[:, -3:].mean(axis=1)
    cosine = vectors @ vectors.T
    standing = (cosine - (near[:, None] + near[None, :]) / 2.0) / spread
    articles = [q.article for q in quotes]
    best: dict[tuple[int, str], int] = {}  # (quote, other article) -> its best quote there
    for art in set(articles):
        cols = np.array([k for k, a in enumerate(articles) if a == art])
        for i, pick in enumerate(cols[np.argmax(cosine[:, cols], axis=1)]):
            best[i, art] = int(pick)
    pairs: set[tuple[int, int]] = set()
    for (i, art), j in best.items():
        a, b = quotes[i], quotes[j]
        mutual = best.get((j, a.article)) == i
        if i < j and art != a.article and a.language != b.language and mutual and standing[i, j] >= TRANSLATION_MIN_STANDING:
            pairs.add((i, j))
    return pairs


def link_quotes(quotes: Sequence[ArticleQuote], embedder: Embedder | None = None) -> list[QuoteLink]:
    """Links between statements of different articles (names and scare quotes are skipped).

    Quotes per story are few (tens), so the pairwise loop is cheap; the embedding call
    is one batch.
    """
    statements = [q for q in quotes if q.quote.kind in STATEMENT_KINDS]
    translated = _translations(statements, embedder)
    wordlists = [words(q.quote.text) for q in statements]
    links: list[QuoteLink] = []
    for i, a in enumerate(statements):
        for j in range(i + 1, len(statements)):
            b = statements[j]
            if a.article == b.article:
                continue
            relation = text_relation(a, b, wordlists[i], wordlists[j])
            if relation is None and (i, j) in translated:
                relation = "translation"
            if relation is None:
                continue
            conflict = bool(a.quote.speaker and b.quote.speaker and not same_speaker(a.quote.speaker, b.quote.speaker))
            diff = word_diff(a.quote.text, b.quote.text) if relation == "altered" else []
            links.append(QuoteLink([a.id, b.id], relation, conflict, diff))
    return links


def collect_quotes(comparison: Comparison) -> list[ArticleQuote]:
    """Every quote of every article, numbered Q1, Q2, ... in article order."""
    from compare.facts.quotes import extract_quotes

    found: list[ArticleQuote] = []
    for result in comparison.articles:
        article = result.article
        for quote in extract_quotes(article.text, article.language):
            sentence = next((s.id for s in result.sentences if s.start <= quote.start < s.end), None)
            found.append(ArticleQuote(f"Q{len(found) + 1}", article.id, article.language, sentence, quote))
    return found
