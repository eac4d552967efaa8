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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import combinations
from typing import Any, Callable, NamedTuple, Sequence

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


# Pair checks: each splits into a pure core over the two sides' sentence texts (which
# facts differ, by sentence index) and a cheap builder that turns those findings into
# Discrepancy objects for one group's sentences. A 50-outlet rewrite cluster repeats the
# same few sentence texts in thousands of article pairs; the cores, cached on exactly what
# they read (texts, languages, publication dates, and for cross-language pairs whether the
# group score clears NEGATION_MIN_GROUP_SCORE), run once per distinct pair of versions.
# Bounded: PAIR_CACHE_SIZE entries per core, keys are tuples of strings already in memory.
PAIR_CACHE_SIZE = 8192

_Texts = tuple[str, ...]


def _texts(sentences: Sequence[Sentence]) -> _Texts:
    """The cores' key for one side; the checks take it precomputed (`texts`, one per side
    for every pair a side is in) from find_discrepancies."""
    return tuple(s.text for s in sentences)


def _strong(group: Group, lang_a: str | None, lang_b: str | None) -> bool:
    """The one thing `_close_versions` reads from the group (only across languages); False
    within one language so that cached cores do not split by group score."""
    return not (lang_a and lang_a == lang_b) and group.score >= NEGATION_MIN_GROUP_SCORE


@lru_cache(maxsize=PAIR_CACHE_SIZE)
def _number_findings(
    texts_a: _Texts, lang_a: str | None, texts_b: _Texts, lang_b: str | None
) -> tuple[tuple[int, NumberFact, int, NumberFact, bool], ...]:
    """(sentence index a, fact a, sentence index b, fact b, qualified) per differing figure."""
    nums_a = [(k, f) for k, t in enumerate(texts_a) for f in _sentence_numbers(t, lang_a)]
    nums_b = [(k, f) for k, t in enumerate(texts_b) for f in _sentence_numbers(t, lang_b)]
    if not nums_a or not nums_b:
        return ()  # no pair of figures: nothing below could differ (most pairs of versions)
    verdicts = {(i, j): compare_numbers(x[1], y[1]) for i, x in enumerate(nums_a) for j, y in enumerate(nums_b)}
    matched_a = {i for (i, _), v in verdicts.items() if v in ("same", "rounded")}
    matched_b = {j for (_, j), v in verdicts.items() if v in ("same", "rounded")}
    found: list[tuple[int, NumberFact, int, NumberFact, bool]] = []
    used_b: set[int] = set()
    for i, (ka, x) in enumerate(nums_a):
        if i in matched_a:
            continue
        rivals = [
            j
            for j, (_, y) in enumerate(nums_b)
            if verdicts[i, j] in ("different", "qualified")
            and j not in matched_b
            and j not in used_b
            and _plausible(x, y)
        ]
        if not rivals:
            continue
        j = min(rivals, key=lambda k: abs(nums_b[k][1].value - x.value))
        used_b.add(j)
        kb, y = nums_b[j]
        found.append((ka, x, kb, y, verdicts[i, j] == "qualified"))
    return tuple(found)


def number_discrepancies(
    group: Group,
    side_a: tuple[str, list[Sentence], str | None],
    side_b: tuple[str, list[Sentence], str | None],
    texts: tuple[_Texts, _Texts] | None = None,
) -> list[Discrepancy]:
    """Figures of one kind and unit on both sides with no equal or rounded partner."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    texts_a, texts_b = texts or (_texts(sents_a), _texts(sents_b))
    found: list[Discrepancy] = []
    for ka, fa, kb, fb, qualified in _number_findings(texts_a, lang_a, texts_b, lang_b):
        x, y = _Located(sents_a[ka], fa), _Located(sents_b[kb], fb)
        kind = fa.kind
        explanation = f"{kind} differs: {fa.text!r} vs {fb.text!r}"
        confidence = CONFIDENCE.get(kind, 0.6)
        if qualified:
            explanation += " (different figures, though the qualifiers make both possible)"
            confidence *= QUALIFIED_CONFIDENCE_FACTOR
        found.append(
            Discrepancy(
                type="number",
                group=group.id,
                sentences=[x.sentence.id, y.sentence.id],
                values={art_a: fa.text, art_b: fb.text},
                normalized={art_a: _describe(fa), art_b: _describe(fb)},
                spans={x.sentence.id: x.span, y.sentence.id: y.span},
                explanation=explanation,
                confidence=confidence,
            )
        )
    return found


@lru_cache(maxsize=PAIR_CACHE_SIZE)
def _negation_finding(
    texts_a: _Texts, lang_a: str | None, texts_b: _Texts, lang_b: str | None, strong: bool
) -> tuple[bool, tuple[tuple[int, NegationCue], ...]] | None:
    """(is side a the negated one, its cues by sentence index), or None: no dispute."""
    cues_a = tuple((k, c) for k, t in enumerate(texts_a) for c in _sentence_cues(t, lang_a))
    cues_b = tuple((k, c) for k, t in enumerate(texts_b) for c in _sentence_cues(t, lang_b))
    if len(cues_a) % 2 == len(cues_b) % 2:
        return None
    if not _close_versions(texts_a, lang_a, texts_b, lang_b, NEGATION_MIN_WORD_OVERLAP, strong):
        return None
    return (True, cues_a) if len(cues_a) % 2 else (False, cues_b)


def negation_discrepancies(
    group: Group,
    side_a: tuple[str, list[Sentence], str | None],
    side_b: tuple[str, list[Sentence], str | None],
    texts: tuple[_Texts, _Texts] | None = None,
) -> list[Discrepancy]:
    """One side's version of the fact is negated, the other's is not (cue count parity)."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    texts_a, texts_b = texts or (_texts(sents_a), _texts(sents_b))
    finding = _negation_finding(texts_a, lang_a, texts_b, lang_b, _strong(group, lang_a, lang_b))
    if finding is None:
        return []
    a_negated, cues = finding
    (negated_art, negated_sents), plain_art = ((art_a, sents_a), art_b) if a_negated else ((art_b, sents_b), art_a)
    located = [(negated_sents[k], c) for k, c in cues]
    spans = {s.id: [s.start + c.start, s.start + c.end] for s, c in located}
    sentence_ids = [s.id for s in sents_a] + [s.id for s in sents_b]
    return [
        Discrepancy(
            type="negation",
            group=group.id,
            sentences=sentence_ids,
            values={negated_art: " ".join(c.text for _, c in located), plain_art: ""},
            normalized={negated_art: "negated", plain_art: "asserted"},
            spans=spans,
            explanation=f"{negated_art} negates what {plain_art} asserts",
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


@lru_cache(maxsize=PAIR_CACHE_SIZE)
def _date_findings(
    texts_a: _Texts,
    lang_a: str | None,
    ref_a: str | None,
    texts_b: _Texts,
    lang_b: str | None,
    ref_b: str | None,
    strong: bool,
) -> tuple[tuple[int, DateFact, int, DateFact], ...]:
    """(sentence index a, date a, sentence index b, date b) per conflicting pair of dates."""
    facts_a = [(k, f) for k, t in enumerate(texts_a) for f in _sentence_dates(t, lang_a, ref_a)]
    facts_b = [(k, f) for k, t in enumerate(texts_b) for f in _sentence_dates(t, lang_b, ref_b)]
    if not facts_a or not facts_b:
        return ()  # no pair of dates: nothing below could conflict (most pairs of versions)
    verdict = {(i, j): dates_conflict(x[1], y[1]) for i, x in enumerate(facts_a) for j, y in enumerate(facts_b)}
    agreed_a = {i for (i, _), v in verdict.items() if v is False}
    agreed_b = {j for (_, j), v in verdict.items() if v is False}
    found: list[tuple[int, DateFact, int, DateFact]] = []
    used: set[int] = set()
    for i, (ka, fa) in enumerate(facts_a):
        if i in agreed_a:
            continue
        rivals = [j for j in range(len(facts_b)) if verdict[i, j] is True and j not in agreed_b and j not in used]
        if not rivals:
            continue
        j = rivals[0]
        used.add(j)
        kb, fb = facts_b[j]
        found.append((ka, fa, kb, fb))
    if not found or not _close_versions(texts_a, lang_a, texts_b, lang_b, DATE_MIN_WORD_OVERLAP, strong):
        return ()  # the gate last: most pairs find nothing, and the word overlap costs more
    return tuple(found)


def date_discrepancies(
    group: Group,
    side_a: tuple[str, list[Sentence], str | None],
    side_b: tuple[str, list[Sentence], str | None],
    dates: dict[str, str | None] | None = None,
    texts: tuple[_Texts, _Texts] | None = None,
) -> list[Discrepancy]:
    """A date on each side that cannot both be right ("am Dienstag" vs "am Mittwoch"),
    where neither has an agreeing date on the other side. Unknowable pairs ("vergangene
    Woche" vs "am Donnerstag" without a publication date) raise nothing."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    texts_a, texts_b = texts or (_texts(sents_a), _texts(sents_b))
    dates = dates or {}
    findings = _date_findings(
        texts_a, lang_a, dates.get(art_a), texts_b, lang_b, dates.get(art_b), _strong(group, lang_a, lang_b)
    )
    return [
        _between(
            "date",
            group,
            (art_a, sents_a[ka], fa, fa.value or fa.text),
            (art_b, sents_b[kb], fb, fb.value or fb.text),
            confidence=0.8 if fa.weekday is not None and fb.weekday is not None else 0.7,
        )
        for ka, fa, kb, fb in findings
    ]


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
_SORTED_ENTITY_KINDS = tuple(sorted(ENTITY_KINDS))  # the order findings are listed in


@lru_cache(maxsize=65536)
def _same_entity(a: str, b: str) -> bool:
    return same_entity(a, b)


def _unmatched(ents: list[tuple[int, Entity]], others: list[tuple[int, Entity]]) -> list[tuple[int, Entity]]:
    """The (sentence index, name) of `ents` that no name of `others` is the same as, in order.

    The same: equal keys (the extractor already resolved inflection and aliases: "Sachsens"
    and "Saxony" both key to Saxony) or names the matcher takes as one entity. Why a key set
    first: "some other is the same" is "the key is among the others' keys, or `_same_entity`
    holds for some other", so the matcher is only asked for names whose key has no equal."""
    keys = {f.key for _, f in others}
    texts = [f.text for _, f in others]
    return [(k, e) for k, e in ents if e.key not in keys and not any(_same_entity(e.text, t) for t in texts)]


@lru_cache(maxsize=8192)
def _sentence_entities(text: str, language: str | None) -> tuple[Entity, ...]:
    return tuple(e for e in extract_entities(text, language) if e.kind in ENTITY_KINDS)


@lru_cache(maxsize=PAIR_CACHE_SIZE)
def _entity_findings(
    texts_a: _Texts, lang_a: str | None, texts_b: _Texts, lang_b: str | None, strong: bool
) -> tuple[tuple[str, int, Entity, int, Entity], ...]:
    """(kind, sentence index a, name a, sentence index b, name b) per disputed name."""
    ents_a = [(k, e) for k, t in enumerate(texts_a) for e in _sentence_entities(t, lang_a)]
    ents_b = [(k, e) for k, t in enumerate(texts_b) for e in _sentence_entities(t, lang_b)]
    lone_a = _unmatched(ents_a, ents_b)
    kinds = [kind for kind in _SORTED_ENTITY_KINDS if len({e.key for _, e in lone_a if e.kind == kind}) == 1]
    if not kinds:
        return ()  # side b's unmatched names could not make a finding (most pairs): not computed
    lone_b = _unmatched(ents_b, ents_a)
    found: list[tuple[str, int, Entity, int, Entity]] = []
    for kind in kinds:
        only_a = [(k, e) for k, e in lone_a if e.kind == kind]
        only_b = [(k, e) for k, e in lone_b if e.kind == kind]
        if len({e.key for _, e in only_b}) != 1:
            continue
        (ka, ea), (kb, eb) = only_a[0], only_b[0]
        found.append((kind, ka, ea, kb, eb))
    if not found or not _close_versions(texts_a, lang_a, texts_b, lang_b, DATE_MIN_WORD_OVERLAP, strong):
        return ()  # the gate last: most pairs find nothing, and the word overlap costs more
    return tuple(found)


def entity_discrepancies(
    group: Group,
    side_a: tuple[str, list[Sentence], str | None],
    side_b: tuple[str, list[Sentence], str | None],
    texts: tuple[_Texts, _Texts] | None = None,
) -> list[Discrepancy]:
    """One name of a kind on each side that the other side lacks ("in Astana" vs "in
    Almaty"), between close versions only, and only when that kind has exactly one such
    unmatched name per side: extra names are extra detail, not a dispute."""
    (art_a, sents_a, lang_a), (art_b, sents_b, lang_b) = side_a, side_b
    texts_a, texts_b = texts or (_texts(sents_a), _texts(sents_b))
    findings = _entity_findings(texts_a, lang_a, texts_b, lang_b, _strong(group, lang_a, lang_b))
    return [
        _between("entity", group, (art_a, sents_a[ka], ea, ea.key), (art_b, sents_b[kb], eb, eb.key), 0.7, label=kind)
        for kind, ka, ea, kb, eb in findings
    ]


NEGATION_MIN_WORD_OVERLAP = 75.0  # rapidfuzz token_set_ratio of the two versions, same language
NEGATION_MIN_GROUP_SCORE = 2.5  # alignment score needed across languages (no lexical check possible)
# ...or this many figures with equal values on both sides: two shared figures anchor two
# versions of one statement across languages as word overlap does within one.
MIN_SHARED_FIGURES = 2


def _close_versions(
    texts_a: _Texts, lang_a: str | None, texts_b: _Texts, lang_b: str | None, min_overlap: float, strong: bool
) -> bool:
    """Only near-identical versions can negate each other (or disagree on a date or a name).

    Same language: word overlap of the two sides' sentence texts. Across languages: a
    strong alignment score (`strong`, see `_strong`), or at least MIN_SHARED_FIGURES
    figures with equal values on both sides.

    Loosely aligned paraphrases differ in negation all the time ("enthielten sich oder
    stimmten nicht ab" vs "enthält sich der Stimme") without any dispute; on the seeds
    every negation flag without this gate was such a paraphrase.
    """
    if lang_a and lang_a == lang_b:
        return _word_overlap(" ".join(texts_a), " ".join(texts_b)) >= min_overlap
    if strong:
        return True
    shared = _figure_values(texts_a, lang_a) & _figure_values(texts_b, lang_b)
    return len(shared) >= MIN_SHARED_FIGURES


def _figure_values(texts: _Texts, language: str | None) -> set[float]:
    """The values of every figure in the sentences, whatever their kind or wording
    ("rund 12.000 Beschäftigten" and "some 12,000 port workers" both give 12000)."""
    return {f.value for t in texts for f in _all_numbers(t, language) if not f.vague}


@lru_cache(maxsize=8192)
def _all_numbers(text: str, language: str | None) -> tuple[NumberFact, ...]:
    return tuple(extract_numbers(text, language))


def _word_overlap(text_a: str, text_b: str) -> float:
    """rapidfuzz token_set_ratio of two texts; asked in either order (a pair of versions and
    its reverse), and the ratio is symmetric (set intersection and differences swap, the Indel
    ratios over them do not change; `test_discrepancy_symmetry` checks it on real pairs), so
    the cache keys on the ordered pair."""
    return _ordered_overlap(text_a, text_b) if text_a <= text_b else _ordered_overlap(text_b, text_a)


@lru_cache(maxsize=65536)
def _ordered_overlap(text_a: str, text_b: str) -> float:
    """Bounded: 65536 pairs of sentence texts already in memory."""
    return float(fuzz.token_set_ratio(text_a, text_b, processor=default_process))


CHECKS = (number_discrepancies, negation_discrepancies, entity_discrepancies)  # dates need article dates
CHECK_TYPES = dict(zip(CHECKS, ("number", "negation", "entity")))  # the type each check reports


_Probe = Callable[[_Texts, str | None, str | None, _Texts, str | None, str | None, bool], bool]

# Per discrepancy type, whether its check's cached core finds anything between two versions
# (texts, language, publication date of each, and `strong`); a check builds discrepancies only
# from its core's findings. Every group check (CHECKS and the date check) has its core here.
_CORES: tuple[tuple[str, _Probe], ...] = (
    ("number", lambda ta, la, ra, tb, lb, rb, strong: bool(_number_findings(ta, la, tb, lb))),
    ("negation", lambda ta, la, ra, tb, lb, rb, strong: _negation_finding(ta, la, tb, lb, strong) is not None),
    ("entity", lambda ta, la, ra, tb, lb, rb, strong: bool(_entity_findings(ta, la, tb, lb, strong))),
    ("date", lambda ta, la, ra, tb, lb, rb, strong: bool(_date_findings(ta, la, ra, tb, lb, rb, strong))),
)


def _quiet(
    texts_a: _Texts, lang_a: str | None, ref_a: str | None, texts_b: _Texts, lang_b: str | None, ref_b: str | None,
    strong: bool,
) -> bool:
    """Whether no check finds anything between these two versions (no core in `_CORES` does).

    Why: 50 variant articles give ten thousand side pairs of a few hundred distinct
    versions; find_discrepancies asks this once per distinct pair (a dict per call, so
    bounded by that call's pairs) and skips the four checks for quiet ones, on whole
    sides and on sentence sub-pairs alike. A check added to CHECKS needs its core in `_CORES`.

    Two equal versions (texts, language and publication date) are quiet without running the
    cores: every figure is "same" as itself, the cue parity is equal, every name matches
    itself by key, and a date that conflicts with any date agrees with itself (each branch of
    `dates_conflict` that can say True says False for a date and itself), so no core can find
    anything; `test_discrepancy_symmetry` checks it on real sentences.
    """
    if texts_a == texts_b and lang_a == lang_b and ref_a == ref_b:
        return True
    return not any(found(texts_a, lang_a, ref_a, texts_b, lang_b, ref_b, strong) for _, found in _CORES)


def _finding_types(
    texts_a: _Texts, lang_a: str | None, ref_a: str | None, texts_b: _Texts, lang_b: str | None, ref_b: str | None,
    strong: bool,
) -> frozenset[str]:
    """The types whose cores find something between two versions; `_quiet` is the cheap
    "none". Why: sub-pair checks skip sentence pairs that could only repeat a type the
    whole sides already reported, without reading a score."""
    return frozenset(kind for kind, found in _CORES if found(texts_a, lang_a, ref_a, texts_b, lang_b, ref_b, strong))


PairScore = Callable[[str, str], float]  # alignment score of two sentence ids (engine._pair_score)
_Version = tuple[_Texts, str | None, str | None, int]  # texts, language, publication date, id in this call


class _Side(NamedTuple):
    """One article's sentences in a group, with what the cached cores key on (a tuple:
    thousands are made per cluster, and `key` is its tail)."""

    article: str
    sentences: list[Sentence]
    texts: _Texts
    language: str | None
    ref: str | None
    version: int  # id of (texts, language, ref) within one find_discrepancies call

    @property
    def triple(self) -> tuple[str, list[Sentence], str | None]:
        """The (article, sentences, language) the checks take."""
        return self.article, self.sentences, self.language

    @property
    def key(self) -> _Version:
        return self[2:]  # type: ignore[return-value]


def _transposed(
    live: tuple[tuple[tuple[int, int], frozenset[str]], ...]
) -> tuple[tuple[tuple[int, int], frozenset[str]], ...]:
    """`live_pairs` of (b, a) from that of (a, b): the same cells with the indices swapped,
    in the (i, j) order a direct computation gives. Exact because `silent` is asked per
    unordered pair and each core's "finds something" is symmetric (see `_PairChecks.silent`),
    so `_finding_types` is too."""
    return tuple(sorted((((j, i), types) for (i, j), types in live), key=lambda cell: cell[0]))


def _pair_key(a: int, b: int, strong: bool) -> tuple[int, int, bool]:
    """The `_PairChecks.quiet` key of two version ids: the same for (a, b) and (b, a)."""
    return (a, b, strong) if a <= b else (b, a, strong)


class _PairChecks:
    """The group checks for pairs of sides, skipping pairs of versions that no check's core
    finds anything in (`_quiet`). One per find_discrepancies call: its dicts are bounded by
    that call's versions and pairs."""

    def __init__(self, published: dict[str, str | None]) -> None:
        self.published = published
        self.versions: dict[tuple[_Texts, str | None, str | None], int] = {}
        self.quiet: dict[tuple[int, int, bool], bool] = {}
        self.live: dict[tuple[int, int], tuple[tuple[tuple[int, int], frozenset[str]], ...]] = {}
        self.singles: dict[int, list[_Version]] = {}

    def version(self, texts: _Texts, language: str | None, ref: str | None) -> int:
        return self.versions.setdefault((texts, language, ref), len(self.versions))

    def side(self, article: str, sentences: list[Sentence], language: str | None) -> _Side:
        texts, ref = _texts(sentences), self.published.get(article)
        return _Side(article, sentences, texts, language, ref, self.version(texts, language, ref))

    def silent(self, a: _Version, b: _Version, strong: bool) -> bool:
        """`_quiet` of two versions (texts, language, ref, version id), once per unordered pair.

        Why unordered: quietness is symmetric. `strong` and `_close_versions` are (language
        equality, a symmetric word overlap, an intersection of figure values); so are
        `compare_numbers`, `_plausible` on the reported kinds (a non-incomparable verdict needs
        one kind on both sides) and `dates_conflict`, and each core finds something exactly
        when some unmatched fact on one side has an unmatched rival on the other; the entity
        core's two one-sided lists just swap. `test_discrepancy_symmetry` checks it on real
        pairs. Only the verdict is shared: a pair that is not quiet runs its checks in its
        own order.
        """
        key = _pair_key(a[3], b[3], strong)
        silent = self.quiet.get(key)
        if silent is None:
            silent = self.quiet[key] = _quiet(a[0], a[1], a[2], b[0], b[1], b[2], strong)
        return silent

    def run(self, group: Group, a: _Side, b: _Side, skip: frozenset[str] = frozenset()) -> list[Discrepancy]:
        """Every check on one pair of sides, but those of the types in `skip` (already
        reported, see `_sub_pair_discrepancies`); `group.score` decides `_strong` across
        languages."""
        strong = _strong(group, a.language, b.language)
        va, vb = a.version, b.version  # `silent` and `_pair_key` inlined: the hot path
        silent = self.quiet.get((va, vb, strong) if va <= vb else (vb, va, strong))
        if silent is None:
            silent = self.silent(a.key, b.key, strong)
        if silent:
            return []
        texts = (a.texts, b.texts)
        found = [
            d
            for check in CHECKS
            if CHECK_TYPES[check] not in skip
            for d in check(group, a.triple, b.triple, texts=texts)
        ]
        if "date" not in skip:
            found.extend(date_discrepancies(group, a.triple, b.triple, self.published, texts=texts))
        return found

    def live_pairs(self, a: _Side, b: _Side) -> tuple[tuple[tuple[int, int], frozenset[str]], ...]:
        """((i, j), types) for each sentence pair of two sides that some check finds
        something in (`_finding_types`), by sentence index; once per pair of versions.
        Across languages it asks with `strong` set, which only loosens the
        `_close_versions` gate, so a pair quiet then is quiet under any pair score."""
        key = (a.version, b.version)
        live = self.live.get(key)
        if live is None and (b.version, a.version) in self.live:
            live = self.live[key] = _transposed(self.live[b.version, a.version])
        if live is None:
            strong = not (a.language and a.language == b.language)
            cells = [
                ((i, j), x, y)
                for i, x in enumerate(self._one_by_one(a))
                for j, y in enumerate(self._one_by_one(b))
                if not self.silent(x, y, strong)
            ]
            live = self.live[key] = tuple((cell, _finding_types(*x[:3], *y[:3], strong)) for cell, x, y in cells)
        return live

    def _one_by_one(self, side: _Side) -> list[_Version]:
        """Each sentence of a side as a version of its own, once per version of the side."""
        ones = self.singles.get(side.version)
        if ones is None:
            lang, ref = side.language, side.ref
            ones = self.singles[side.version] = [((t,), lang, ref, self.version((t,), lang, ref)) for t in side.texts]
        return ones


def _mutual_best(
    sents_a: Sequence[Sentence], sents_b: Sequence[Sentence], pair_score: PairScore
) -> list[tuple[Sentence, Sentence, float]]:
    """Sentence pairs (a, b, score) that are each other's best counterpart between two sides
    by the alignment's pair score; a pair without positive score is no correspondence (also
    what a comparison without a score matrix gives: all zero)."""
    score = {(a.id, b.id): pair_score(a.id, b.id) for a in sents_a for b in sents_b}
    best_b = {a.id: max(sents_b, key=lambda b: score[a.id, b.id]) for a in sents_a}
    best_a = {b.id: max(sents_a, key=lambda a: score[a.id, b.id]) for b in sents_b}
    return [
        (a, best_b[a.id], score[a.id, best_b[a.id].id])
        for a in sents_a
        if best_a[best_b[a.id].id] is a and score[a.id, best_b[a.id].id] > 0
    ]


def _sub_pair_discrepancies(
    checks: _PairChecks, group: Group, a: _Side, b: _Side, pair_score: PairScore, reported: frozenset[str]
) -> list[Discrepancy]:
    """What the finest correspondences of two sides show beyond the whole-side check.

    Why: a third source can bridge two facts into one group (an English sentence giving
    both the day and the trip), and then a side holds several sentences; a weekday changed
    in one of them is hidden when the other side has the old weekday in another sentence.
    Each mutual-best sentence pair is checked as a two-sentence group of its own, scored by
    its own alignment score (as `group_linked_quotes` scores the groups it forms), and a
    type the whole sides already reported (`reported`) is not reported again. Scores are
    only read for sides where some sentence pair could add a type (`live_pairs`):
    rewrites repeat sentences, and most pairs of versions have none.
    """
    live = {cell for cell, types in checks.live_pairs(a, b) if not types <= reported}
    if not live:
        return []
    position = {s.id: k for side in (a.sentences, b.sentences) for k, s in enumerate(side)}
    found: list[Discrepancy] = []
    for x, y, score in _mutual_best(a.sentences, b.sentences, pair_score):
        if (position[x.id], position[y.id]) not in live:
            continue
        pair = replace(group, score=score)
        sub_a, sub_b = checks.side(a.article, [x], a.language), checks.side(b.article, [y], b.language)
        found.extend(checks.run(pair, sub_a, sub_b, skip=reported))
    return found


def find_discrepancies(
    comparison: Comparison,
    quotes: Sequence[ArticleQuote] = (),
    links: Sequence[QuoteLink] = (),
    pair_score: PairScore | None = None,
) -> list[Discrepancy]:
    """Every discrepancy: per group in group order (the whole-side checks of each pair of
    articles, then what their sentence sub-pairs add, see `_sub_pair_discrepancies`; only
    with a `pair_score`), then those of linked quotes; D1, D2, ..."""
    index = comparison.sentence_index()
    language = {r.article.id: r.article.language for r in comparison.articles}
    checks = _PairChecks({r.article.id: r.article.date for r in comparison.articles})
    found: list[Discrepancy] = []
    for group in comparison.groups:
        by_article: dict[str, list[Sentence]] = {}
        for sid in group.sentences:
            by_article.setdefault(index[sid].article, []).append(index[sid])
        sides = [checks.side(art, sents, language[art]) for art, sents in by_article.items()]
        finer: list[Discrepancy] = []
        for a, b in combinations(sides, 2):
            whole = checks.run(group, a, b)
            found.extend(whole)
            if pair_score is not None and (len(a.texts) > 1 or len(b.texts) > 1) and checks.live_pairs(a, b):
                finer.extend(_sub_pair_discrepancies(checks, group, a, b, pair_score, frozenset(d.type for d in whole)))
        found.extend(finer)
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
        if link.relation != "altered" and not link.speaker_conflict:
            continue  # neither kind: most links of a rewrite cluster are plain verbatim repeats
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
    if not speakers:
        return found
    holding: dict[str, list[set[str]]] = {}  # sentence id -> the attributions' sets holding it
    for sentences in speakers:
        for sid in sentences:
            holding.setdefault(sid, []).append(sentences)
    return [d for d in found if not (d.type == "entity" and _within_any(set(d.sentences), speakers, holding))]


def _within_any(sentences: set[str], groups: Sequence[set[str]], holding: dict[str, list[set[str]]]) -> bool:
    """Whether `sentences` lie within one of `groups`; only the groups holding one of its
    sentences (`holding`) can, so only those are tried (an empty set lies within any)."""
    if not sentences:
        return bool(groups)
    return any(sentences <= s for s in holding.get(next(iter(sentences)), ()))


def mark_conflicts(groups: Sequence[Group], discrepancies: Sequence[Discrepancy]) -> None:
    """A group with any discrepancy gets status "conflict"."""
    disputed = {d.group for d in discrepancies}
    for g in groups:
        g.status = "conflict" if g.id in disputed else "agree"
