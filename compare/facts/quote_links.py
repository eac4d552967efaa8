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
                Where the best match has near twins in its article (quotes standing out
                against it by the same measure) the one by the same speaker is the match,
                standing out as its twin does.

`speaker_conflict` marks a link whose two speakers are both known and differ
(`quotes.same_speaker`, transliteration-aware). Where one article gives near-identical
words to two people, the speaker decides: a quote is linked to its own speaker's
counterpart, and a conflict is reported only when no same-speaker counterpart exists.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from rapidfuzz import fuzz

from compare.background import background_embedding
from compare.embed import Embedder
from compare.facts.quotes import Quote, QuoteAnalysis, same_speaker
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
    background = background_embedding(embedder, languages)
    to_background = vectors @ background.T
    # A story has few quotes, so their spread is measured against the background set.
    spread = max(float(to_background.std()), 1e-6)
    near = np.sort(to_background, axis=1)[:, -3:].mean(axis=1)
    cosine = vectors @ vectors.T
    standing = (cosine - (near[:, None] + near[None, :]) / 2.0) / spread
    articles = [q.article for q in quotes]
    # (quote, other article) -> its best quote there, and how far that match stands out
    best: dict[tuple[int, str], tuple[int, float]] = {}
    for art in set(articles):
        cols = [k for k, a in enumerate(articles) if a == art]
        for i, q in enumerate(quotes):
            top = max(cols, key=lambda k: cosine[i, k])
            # Near twins (one article gives almost the same words to two people) are
            # closer to the wrong speaker's translation under every embedder: among the
            # top match and its twins there, the quote by the same speaker is the match.
            twins = [k for k in cols if k == top or standing[top, k] >= TRANSLATION_MIN_STANDING]
            own = [k for k in twins if _speakers_match(q, quotes[k])]
            best[i, art] = (max(own, key=lambda k: cosine[i, k]) if own else top, float(standing[i, top]))
    pairs: set[tuple[int, int]] = set()
    for (i, art), (j, stands) in best.items():
        a, b = quotes[i], quotes[j]
        if art == a.article or a.language == b.language:
            continue
        back, back_stands = best[j, a.article]
        if back == i and max(stands, back_stands) >= TRANSLATION_MIN_STANDING:
            pairs.add((min(i, j), max(i, j)))
    return pairs


def _speakers_match(a: ArticleQuote, b: ArticleQuote) -> bool:
    """Both speakers known and the same person (transliteration-aware)."""
    return bool(a.quote.speaker and b.quote.speaker and same_speaker(a.quote.speaker, b.quote.speaker))


def _without_twin_conflicts(links: list[QuoteLink], by_id: dict[str, ArticleQuote]) -> list[QuoteLink]:
    """Drop a speaker-conflict link when either quote has a same-speaker counterpart linked
    in the other article: the words are near twins said by two people (one article
    quotes both), so the other speaker's counterpart is the real one and no one was
    misquoted. An attribution conflict stands only where no such counterpart exists."""
    own: set[tuple[str, str]] = set()  # (quote id, other article) with a same-speaker link there
    for link in links:
        a, b = (by_id[qid] for qid in link.quotes)
        if _speakers_match(a, b):
            own.update({(a.id, b.article), (b.id, a.article)})
    kept = []
    for link in links:
        a, b = (by_id[qid] for qid in link.quotes)
        if link.speaker_conflict and ((a.id, b.article) in own or (b.id, a.article) in own):
            continue
        kept.append(link)
    return kept


def _partners(
    i: int,
    statements: Sequence[ArticleQuote],
    buckets: dict[tuple[int, str], list[int]],
    word_ids: Sequence[int],
    wordlists: Sequence[list[str]],
    relations: dict[tuple[int, int, bool], str | None],
    translations: dict[int, list[int]],
) -> list[int]:
    """The statements j > i that can link to statement i, in order: those whose words relate
    and its translations (pairs i < j); every other j would be skipped. A pair's text relation is a pure
    function of the two word lists and whether the languages match, so it is worked out
    once per distinct key (`relations`, the caller's per-call dict) for each bucket of
    statements with one word list and language (`buckets`: sorted indices)."""
    a = statements[i]
    found = list(translations.get(i, ()))
    for (wid, language), members in buckets.items():
        first = bisect.bisect_right(members, i)
        if first == len(members):
            continue
        key = (word_ids[i], wid, a.language == language)
        if key not in relations:
            j = members[first]
            relations[key] = text_relation(a, statements[j], wordlists[i], wordlists[j])
        if relations[key] is not None:
            found.extend(members[first:])
    return sorted(set(found))


def link_quotes(quotes: Sequence[ArticleQuote], embedder: Embedder | None = None) -> list[QuoteLink]:
    """Links between statements of different articles (names and scare quotes are skipped).

    Speakers decide between near twins: a translation is matched to a standing quote by
    the same speaker first, and a speaker-conflict link is dropped where a same-speaker
    counterpart is linked (see `_without_twin_conflicts`).

    Quotes per story are few (tens), so the pairwise loop is cheap; the embedding call
    is one batch.
    """
    statements = [q for q in quotes if q.quote.kind in STATEMENT_KINDS]
    translated = _translations(statements, embedder)
    wordlists = [words(q.quote.text) for q in statements]
    # Rewrites repeat the same quotes in every outlet: the text relation of two statements
    # is a pure function of their word lists and whether their languages match, the diff
    # of their texts, so each distinct pair is worked out once (dicts that end with this call).
    distinct: dict[tuple[str, ...], int] = {}
    word_ids = [distinct.setdefault(tuple(w), len(distinct)) for w in wordlists]
    relations: dict[tuple[int, int, bool], str | None] = {}
    diffs: dict[tuple[str, str], list[dict[str, str]]] = {}
    links: list[QuoteLink] = []
    buckets: dict[tuple[int, str], list[int]] = {}
    for j, q in enumerate(statements):
        buckets.setdefault((word_ids[j], q.language), []).append(j)
    translations: dict[int, list[int]] = {}
    for i, j in translated:
        translations.setdefault(i, []).append(j)
    for i, a in enumerate(statements):
        for j in _partners(i, statements, buckets, word_ids, wordlists, relations, translations):
            b = statements[j]
            if a.article == b.article:
                continue
            relation = relations[(word_ids[i], word_ids[j], a.language == b.language)]
            if relation is None and (i, j) in translated:
                relation = "translation"
            if relation is None:
                continue
            conflict = bool(a.quote.speaker and b.quote.speaker and not same_speaker(a.quote.speaker, b.quote.speaker))
            diff: list[dict[str, str]] = []
            if relation == "altered":
                texts = (a.quote.text, b.quote.text)
                if texts not in diffs:
                    diffs[texts] = word_diff(*texts)
                diff = [dict(d) for d in diffs[texts]]
            links.append(QuoteLink([a.id, b.id], relation, conflict, diff))
    return _without_twin_conflicts(links, {q.id: q for q in statements})


def collect_quotes(comparison: Comparison, analyses: Sequence[QuoteAnalysis] | None = None) -> list[ArticleQuote]:
    """Every quote of every article, numbered Q1, Q2, ... in article order. `analyses`
    (one `analyse_quotes` result per article, in order) reuses work the caller shares with
    reported speech; otherwise each article is analysed here."""
    from compare.facts.quotes import extract_quotes

    found: list[ArticleQuote] = []
    for n, result in enumerate(comparison.articles):
        article = result.article
        quotes = analyses[n].quotes if analyses is not None else extract_quotes(article.text, article.language)
        for quote in quotes:
            sentence = next((s.id for s in result.sentences if s.start <= quote.start < s.end), None)
            found.append(ArticleQuote(f"Q{len(found) + 1}", article.id, article.language, sentence, quote))
    return found
