"""Typed discrepancies between the members of aligned groups.

An aligned group says "these sentences report the same fact". Here we check the facts
inside them against each other, per pair of articles in the group:

* number   - a figure of the same kind and unit (money, percent, counted things, years)
             whose values differ beyond rounding (`numbers.compare_numbers` decides:
             "rounded" pairs such as "rund 42 Millionen" vs "41,5 Millionen" are not
             reported; equivalent forms "$41.5 million" = "41,5 Mio. US-Dollar" are equal;
             "qualified" pairs, different figures that a bound makes compatible, "über 60"
             vs "more than 62", are reported at half the confidence);
* negation - one side negates what the other asserts (odd vs even negation cues), only
             between near-identical versions (see `_close_versions`);
* date     - two dates that cannot both be right (`dates.dates_conflict`: different
             weekdays, or resolved dates that differ), resolved against each article's
             publication date when it has one;
* entity   - a person, place or organisation on each side that the other lacks, one of
             that kind per side, between close versions (`entities.same_entity` is
             transliteration-aware: Tokajew = Tokayev, Taschkent = Tashkent);
* quote, attribution - from linked quotations (`quote_links`).

A fact only one side mentions is unique coverage, never a discrepancy: a number is only
reported when *both* sides carry a figure of the same kind and unit and none of them
matches. Every discrepancy records the spans (absolute offsets into each article's
text) of the differing values, so reports can mark them inside the sentence.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any, Iterable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from compare.facts.dates import DateFact, dates_conflict, extract_dates
from compare.facts.entities import Entity, extract_entities, same_entity
from compare.facts.negation import NegationCue, negation_cues
from compare.facts.numbers import NumberFact, compare_numbers, extract_numbers
from compare.facts.quote_links import ArticleQuote, QuoteLink, words
from compare.facts.quotes import speaker_key
from compare.model import Comparison, Group, Sentence

logger = logging.getLogger(__name__)

REPORTED_NUMBER_KINDS = frozenset({"money", "percent", "count", "year"})
# Counts that far apart are nearly always different quantities in one sentence pair
# ("141 Staaten" voted, "five countries" abstained), not a dispute about one number.
# Money keeps no limit: a scale-word slip (Millionen vs Milliarden) is a real dispute.
MAX_COUNT_RATIO = 3.0
# How sure a flagged difference is, by what kind of value differs.
CONFIDENCE = {"money": 0.9, "percent": 0.9, "count": 0.75, "year": 0.8, "negation": 0.6}
# Two different figures that a bound qualifier makes compatible ("über 60 Milliarden" vs
# "more than $62 billion"): shown, since sources disagree on the figure, but less sure.
QUALIFIED_CONFIDENCE_FACTOR = 0.5


@dataclass
class Discrepancy:
    """One typed difference between two articles' versions of a fact."""

    type: str
    group: str
    sentences: list[str]
    values: dict[str, str]
    normalized: dict[str, Any]
    spans: dict[str, list[int]]
    explanation: str
    confidence: float
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "type": self.type,
            "group": self.group or None,
            "sentences": list(self.sentences),
            "values": dict(self.values),
            "normalized": dict(self.normalized),
            "spans": {k: list(v) for k, v in self.spans.items()},
            "explanation": self.explanation,
            "confidence": round(self.confidence, 2),
        }
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class _Located:
    """A fact with the sentence it came from (offsets made absolute)."""

    sentence: Sentence
    fact: NumberFact

    @property
    def span(self) -> list[int]:
        return [self.sentence.start + self.fact.start, self.sentence.start + self.fact.end]


@lru_cache(maxsize=8192)
def _sentence_numbers(text: str, language: str | None) -> tuple[NumberFact, ...]:
    """Reported figures of one sentence; cached because every article pair of a group
    looks at the same sentences, and rewrites repeat sentences across articles."""
    return tuple(f for f in extract_numbers(text, language) if f.kind in REPORTED_NUMBER_KINDS)


@lru_cache(maxsize=8192)
def _sentence_cues(text: str, language: str | None) -> tuple[NegationCue, ...]:
    return tuple(negation_cues(text, language))


def _numbers(sentences: Iterable[Sentence], language: str | None) -> list[_Located]:
    return [_Located(s, f) for s in sentences for f in _sentence_numbers(s.text, language)]


def _plausible(a: NumberFact, b: NumberFact) -> bool:
    """Could these two figures be two versions of one quantity? (see MAX_COUNT_RATIO)"""
    if a.kind != "count":
        return True
    low, high = sorted((abs(a.value), abs(b.value)))
    return low > 0 and high / low <= MAX_COUNT_RATIO


def _describe(f: NumberFact) -> str:
    unit = f.unit or (f.counted or "")
    qualifier = f"{f.qualifier} " if f.qualifier else ""
    return f"{qualifier}{f.value:g} {unit}".strip()


def number_discrepancies(
    group: Group, side_a: tuple[str, list[Sentence], str | None], side_b: tuple[str, list[Sentence], str | None]
) -> list[Discrepancy]:
    """Figures of one kind and unit on both sides with no equal or rounded partner."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    nums_a, nums_b = _numbers(sents_a, lang_a), _numbers(sents_b, lang_b)
    verdicts = {(i, j): compare_numbers(x.fact, y.fact) for i, x in enumerate(nums_a) for j, y in enumerate(nums_b)}
    matched_a = {i for (i, _), v in verdicts.items() if v in ("same", "rounded")}
    matched_b = {j for (_, j), v in verdicts.items() if v in ("same", "rounded")}
    found: list[Discrepancy] = []
    used_b: set[int] = set()
    for i, x in enumerate(nums_a):
        if i in matched_a:
            continue
        rivals = [
            j
            for j, y in enumerate(nums_b)
            if verdicts[i, j] in ("different", "qualified")
            and j not in matched_b
            and j not in used_b
            and _plausible(x.fact, y.fact)
        ]
        if not rivals:
            continue
        j = min(rivals, key=lambda k: abs(nums_b[k].fact.value - x.fact.value))
        used_b.add(j)
        y = nums_b[j]
        kind = x.fact.kind
        explanation = f"{kind} differs: {x.fact.text!r} vs {y.fact.text!r}"
        confidence = CONFIDENCE.get(kind, 0.6)
        if verdicts[i, j] == "qualified":
            explanation += " (different figures, though the qualifiers make both possible)"
            confidence *= QUALIFIED_CONFIDENCE_FACTOR
        found.append(
            Discrepancy(
                type="number",
                group=group.id,
                sentences=[x.sentence.id, y.sentence.id],
                values={art_a: x.fact.text, art_b: y.fact.text},
                normalized={art_a: _describe(x.fact), art_b: _describe(y.fact)},
                spans={x.sentence.id: x.span, y.sentence.id: y.span},
                explanation=explanation,
                confidence=confidence,
            )
        )
    return found


def negation_discrepancies(
    group: Group, side_a: tuple[str, list[Sentence], str | None], side_b: tuple[str, list[Sentence], str | None]
) -> list[Discrepancy]:
    """One side's version of the fact is negated, the other's is not (cue count parity)."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    cues_a = [(s, c) for s in sents_a for c in _sentence_cues(s.text, lang_a)]
    cues_b = [(s, c) for s in sents_b for c in _sentence_cues(s.text, lang_b)]
    if len(cues_a) % 2 == len(cues_b) % 2:
        return []
    if not _close_versions(group, sents_a, lang_a, sents_b, lang_b, NEGATION_MIN_WORD_OVERLAP):
        return []
    negated, plain = ((art_a, cues_a, sents_a), (art_b, cues_b, sents_b))[:: 1 if len(cues_a) % 2 else -1]
    spans = {s.id: [s.start + c.start, s.start + c.end] for s, c in negated[1]}
    sentence_ids = [s.id for s in sents_a] + [s.id for s in sents_b]
    return [
        Discrepancy(
            type="negation",
            group=group.id,
            sentences=sentence_ids,
            values={negated[0]: " ".join(c.text for _, c in negated[1]), plain[0]: ""},
            normalized={negated[0]: "negated", plain[0]: "asserted"},
            spans=spans,
            explanation=f"{negated[0]} negates what {plain[0]} asserts",
            confidence=CONFIDENCE["negation"],
        )
    ]


# Grouped sentences can mention different events ("Dienstag in Astana" vs "Mittwoch in
# Neu-Delhi" in one group on the seeds); a date dispute needs versions this alike.
DATE_MIN_WORD_OVERLAP = 60.0
DATE_KINDS = frozenset({"date", "weekday", "relative", "month", "time"})  # years: see numbers


@lru_cache(maxsize=8192)
def _sentence_dates(text: str, language: str | None, reference: str | None) -> tuple[DateFact, ...]:
    ref = _parse_day(reference)
    return tuple(f for f in extract_dates(text, language, ref) if f.kind in DATE_KINDS)


def _parse_day(value: str | None) -> dt.date | None:
    """The article's publication day from an ISO-like date string, if it has one."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def date_discrepancies(
    group: Group,
    side_a: tuple[str, list[Sentence], str | None],
    side_b: tuple[str, list[Sentence], str | None],
    dates: dict[str, str | None] | None = None,
) -> list[Discrepancy]:
    """A date on each side that cannot both be right ("am Dienstag" vs "am Mittwoch"),
    where neither has an agreeing date on the other side. Unknowable pairs ("vergangene
    Woche" vs "am Donnerstag" without a publication date) raise nothing."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    if not _close_versions(group, sents_a, lang_a, sents_b, lang_b, DATE_MIN_WORD_OVERLAP):
        return []
    dates = dates or {}
    facts_a = [(s, f) for s in sents_a for f in _sentence_dates(s.text, lang_a, dates.get(art_a))]
    facts_b = [(s, f) for s in sents_b for f in _sentence_dates(s.text, lang_b, dates.get(art_b))]
    verdict = {(i, j): dates_conflict(x[1], y[1]) for i, x in enumerate(facts_a) for j, y in enumerate(facts_b)}
    agreed_a = {i for (i, _), v in verdict.items() if v is False}
    agreed_b = {j for (_, j), v in verdict.items() if v is False}
    found: list[Discrepancy] = []
    used: set[int] = set()
    for i, (sa, fa) in enumerate(facts_a):
        if i in agreed_a:
            continue
        rivals = [j for j in range(len(facts_b)) if verdict[i, j] is True and j not in agreed_b and j not in used]
        if not rivals:
            continue
        j = rivals[0]
        used.add(j)
        sb, fb = facts_b[j]
        found.append(
            _between(
                "date",
                group,
                (art_a, sa, fa, fa.value or fa.text),
                (art_b, sb, fb, fb.value or fb.text),
                confidence=0.8 if fa.weekday is not None and fb.weekday is not None else 0.7,
            )
        )
    return found


def _between(
    kind: str,
    group: Group,
    side_a: tuple[str, Sentence, DateFact | Entity, str],
    side_b: tuple[str, Sentence, DateFact | Entity, str],
    confidence: float,
    label: str | None = None,
) -> Discrepancy:
    """A discrepancy between one written value per side: (article, sentence, fact, normal form);
    a fact's offsets are relative to its sentence."""
    (art_a, sa, fa, norm_a), (art_b, sb, fb, norm_b) = side_a, side_b
    return Discrepancy(
        type=kind,
        group=group.id,
        sentences=[sa.id, sb.id],
        values={art_a: fa.text, art_b: fb.text},
        normalized={art_a: norm_a, art_b: norm_b},
        spans={sa.id: [sa.start + fa.start, sa.start + fa.end], sb.id: [sb.start + fb.start, sb.start + fb.end]},
        explanation=f"{label or kind} differs: {fa.text!r} vs {fb.text!r}",
        confidence=confidence,
    )


ENTITY_KINDS = frozenset({"person", "place", "organisation"})


@lru_cache(maxsize=65536)
def _same_entity(a: str, b: str) -> bool:
    return same_entity(a, b)


def _same(a: Entity, b: Entity) -> bool:
    """Equal keys (the extractor already resolved inflection and aliases: "Sachsens" and
    "Saxony" both key to Saxony) or names the matcher takes as one entity."""
    return a.key == b.key or _same_entity(a.text, b.text)


@lru_cache(maxsize=8192)
def _sentence_entities(text: str, language: str | None) -> tuple[Entity, ...]:
    return tuple(e for e in extract_entities(text, language) if e.kind in ENTITY_KINDS)


def entity_discrepancies(
    group: Group, side_a: tuple[str, list[Sentence], str | None], side_b: tuple[str, list[Sentence], str | None]
) -> list[Discrepancy]:
    """One name of a kind on each side that the other side lacks ("in Astana" vs "in
    Almaty"), between close versions only, and only when that kind has exactly one such
    unmatched name per side: extra names are extra detail, not a dispute."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    if not _close_versions(group, sents_a, lang_a, sents_b, lang_b, DATE_MIN_WORD_OVERLAP):
        return []
    ents_a = [(s, e) for s in sents_a for e in _sentence_entities(s.text, lang_a)]
    ents_b = [(s, e) for s in sents_b for e in _sentence_entities(s.text, lang_b)]
    found: list[Discrepancy] = []
    for kind in sorted(ENTITY_KINDS):
        only_a = [(s, e) for s, e in ents_a if e.kind == kind and not any(_same(e, f) for _, f in ents_b)]
        only_b = [(s, e) for s, e in ents_b if e.kind == kind and not any(_same(e, f) for _, f in ents_a)]
        if len({e.key for _, e in only_a}) != 1 or len({e.key for _, e in only_b}) != 1:
            continue
        (sa, ea), (sb, eb) = only_a[0], only_b[0]
        found.append(_between("entity", group, (art_a, sa, ea, ea.key), (art_b, sb, eb, eb.key), 0.7, label=kind))
    return found


NEGATION_MIN_WORD_OVERLAP = 75.0  # rapidfuzz token_set_ratio of the two versions, same language
NEGATION_MIN_GROUP_SCORE = 2.5  # alignment score needed across languages (no lexical check possible)
# ...or this many figures with equal values on both sides: two shared figures anchor two
# versions of one statement across languages as word overlap does within one.
MIN_SHARED_FIGURES = 2


def _close_versions(
    group: Group,
    sents_a: Sequence[Sentence],
    lang_a: str | None,
    sents_b: Sequence[Sentence],
    lang_b: str | None,
    min_overlap: float = 75.0,
) -> bool:
    """Only near-identical versions can negate each other (or disagree on a date or a name).

    Same language: word overlap. Across languages: a strong alignment score, or at least
    MIN_SHARED_FIGURES figures with equal values on both sides.

    Loosely aligned paraphrases differ in negation all the time ("enthielten sich oder
    stimmten nicht ab" vs "enthält sich der Stimme") without any dispute; on the seeds
    every negation flag without this gate was such a paraphrase.
    """
    if lang_a and lang_a == lang_b:
        text_a = " ".join(s.text for s in sents_a)
        text_b = " ".join(s.text for s in sents_b)
        return _word_overlap(text_a, text_b) >= min_overlap
    if group.score >= NEGATION_MIN_GROUP_SCORE:
        return True
    shared = _figure_values(sents_a, lang_a) & _figure_values(sents_b, lang_b)
    return len(shared) >= MIN_SHARED_FIGURES


def _figure_values(sentences: Sequence[Sentence], language: str | None) -> set[float]:
    """The values of every figure in the sentences, whatever their kind or wording
    ("rund 12.000 Beschäftigten" and "some 12,000 port workers" both give 12000)."""
    return {f.value for s in sentences for f in _all_numbers(s.text, language) if not f.vague}


@lru_cache(maxsize=8192)
def _all_numbers(text: str, language: str | None) -> tuple[NumberFact, ...]:
    return tuple(extract_numbers(text, language))


@lru_cache(maxsize=65536)
def _word_overlap(text_a: str, text_b: str) -> float:
    return float(fuzz.token_set_ratio(text_a, text_b, processor=default_process))


CHECKS = (number_discrepancies, negation_discrepancies, entity_discrepancies)  # dates need article dates


def find_discrepancies(
    comparison: Comparison, quotes: Sequence[ArticleQuote] = (), links: Sequence[QuoteLink] = ()
) -> list[Discrepancy]:
    """Every discrepancy: per group in group order, then those of linked quotes; D1, D2, ..."""
    index = comparison.sentence_index()
    language = {r.article.id: r.article.language for r in comparison.articles}
    published = {r.article.id: r.article.date for r in comparison.articles}
    found: list[Discrepancy] = []
    for group in comparison.groups:
        by_article: dict[str, list[Sentence]] = {}
        for sid in group.sentences:
            by_article.setdefault(index[sid].article, []).append(index[sid])
        sides = [(art, sents, language[art]) for art, sents in by_article.items()]
        for side_a, side_b in combinations(sides, 2):
            for check in CHECKS:
                found.extend(check(group, side_a, side_b))
            found.extend(date_discrepancies(group, side_a, side_b, published))
    found.extend(quote_discrepancies(comparison, quotes, links))
    found = _without_speaker_duplicates(found)
    for n, d in enumerate(found, start=1):
        d.id = f"D{n}"
    return found


def quote_discrepancies(
    comparison: Comparison, quotes: Sequence[ArticleQuote], links: Sequence[QuoteLink]
) -> list[Discrepancy]:
    """Altered wording ("quote") and the same words given to different people ("attribution").

    The group is the one holding both quotes' sentences, else the one holding either,
    else None: a quote can be linked even where its sentences did not align.
    """
    by_id = {q.id: q for q in quotes}
    group_of = {sid: g.id for g in comparison.groups for sid in g.sentences}
    found: list[Discrepancy] = []
    for link in links:
        a, b = (by_id[qid] for qid in link.quotes)
        groups = [group_of.get(q.sentence) for q in (a, b) if q.sentence]
        group = groups[0] if groups and len(set(groups)) == 1 else next((g for g in groups if g), None)
        sentences = [q.sentence for q in (a, b) if q.sentence]
        quote_spans = {q.sentence: [q.quote.start, q.quote.end] for q in (a, b) if q.sentence}
        if link.relation == "altered":
            found.append(
                Discrepancy(
                    type="quote",
                    group=group or "",
                    sentences=sentences,
                    values={a.article: a.quote.text, b.article: b.quote.text},
                    normalized={a.article: " ".join(words(a.quote.text)), b.article: " ".join(words(b.quote.text))},
                    spans=quote_spans,
                    explanation="the same quote with different words: "
                    + "; ".join(f"{d['a'] or '∅'} → {d['b'] or '∅'}" for d in link.diff),
                    confidence=0.8,
                    extra={"quotes": list(link.quotes), "diff": list(link.diff)},
                )
            )
        if link.speaker_conflict:
            speaker_spans = {
                q.sentence: [q.quote.speaker_start, q.quote.speaker_end]
                for q in (a, b)
                if q.sentence and q.quote.speaker_start is not None
            }
            found.append(
                Discrepancy(
                    type="attribution",
                    group=group or "",
                    sentences=sentences,
                    values={a.article: a.quote.speaker or "", b.article: b.quote.speaker or ""},
                    normalized={a.article: speaker_key(a.quote.speaker or ""), b.article: speaker_key(b.quote.speaker or "")},
                    spans=speaker_spans,
                    explanation=f"the same words ({link.relation}) are given to {a.quote.speaker} and to {b.quote.speaker}",
                    confidence=0.85 if link.relation != "translation" else 0.7,
                    extra={"quotes": list(link.quotes)},
                )
            )
    return found


def _without_speaker_duplicates(found: list[Discrepancy]) -> list[Discrepancy]:
    """A changed speaker is an `attribution` discrepancy; the same names seen as a person
    `entity` difference in the same sentences would report it twice."""
    speakers = [set(d.sentences) for d in found if d.type == "attribution"]
    return [d for d in found if not (d.type == "entity" and any(set(d.sentences) <= s for s in speakers))]


def mark_conflicts(groups: Sequence[Group], discrepancies: Sequence[Discrepancy]) -> None:
    """A group with any discrepancy gets status "conflict"."""
    disputed = {d.group for d in discrepancies}
    for g in groups:
        g.status = "conflict" if g.id in disputed else "agree"
