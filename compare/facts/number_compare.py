"""Comparing two figures: same, rounded, qualified, different or incomparable.

The caller (`discrepancies`) pairs the figures of two aligned sentences and reports a
dispute for "different" pairs, and at lower confidence for "qualified" ones (different
figures a bound makes compatible); "rounded" pairs stay silent. The exact rules are in the
`numbers` module docstring ("Comparison rules"); `numbers` re-exports both functions.
"""

from __future__ import annotations

import math

from rapidfuzz import fuzz

from compare.facts.names import fold_accents
from compare.facts.number_forms import (
    APPROX_REL_TOL,
    LOWER_BOUNDS,
    NOUN_FUZZY_MIN,
    NumberFact,
    ROUNDING_REL_TOL,
    UPPER_BOUNDS,
    _EPS,
    _NOUN_CONCEPTS,
)


def _fold(word: str) -> str:
    """Lower-case, strip accents, ß -> ss: "Länder" -> "lander"."""
    return fold_accents(word.lower())


def _concept(folded: str) -> str | None:
    """Concept of a folded noun, also through a German dative -n or a plural -s/-es."""
    if folded in _NOUN_CONCEPTS:
        return _NOUN_CONCEPTS[folded]
    for suffix in ("n", "s", "es"):
        if folded.endswith(suffix) and folded[: -len(suffix)] in _NOUN_CONCEPTS:
            return _NOUN_CONCEPTS[folded[: -len(suffix)]]
    return None


def _nouns_compatible(a: str | None, b: str | None) -> bool:
    """Same counted thing? Unknown on one side counts as compatible."""
    if a is None or b is None:
        return True
    fa, fb = _fold(a), _fold(b)
    if fa == fb:
        return True
    ca, cb = _concept(fa), _concept(fb)
    if ca is not None and ca == cb:
        return True
    return fuzz.ratio(fa, fb) >= NOUN_FUZZY_MIN


def _kind_class(fact: NumberFact) -> str:
    return "count" if fact.kind in ("count", "plain") else fact.kind


def _compatible(a: NumberFact, b: NumberFact) -> bool:
    """Same kind (count ~ plain), same unit, and the same counted thing."""
    return (
        _kind_class(a) == _kind_class(b)
        and a.unit == b.unit
        and _nouns_compatible(a.counted, b.counted)
    )


def _opposite_bounds(a: NumberFact, b: NumberFact) -> bool:
    """"über 60" vs "unter 60": the qualifiers point in opposite directions."""
    qa, qb = a.qualifier, b.qualifier
    return (qa in LOWER_BOUNDS and qb in UPPER_BOUNDS) or (qa in UPPER_BOUNDS and qb in LOWER_BOUNDS)


def _close(x: float, y: float, rel_tol: float = _EPS) -> bool:
    return math.isclose(x, y, rel_tol=max(rel_tol, _EPS), abs_tol=1e-12)


def numbers_equivalent(a: NumberFact, b: NumberFact, rel_tol: float = 0.0) -> bool:
    """Same quantity: compatible kind/unit/noun, values equal within `rel_tol`, no opposite bounds.

    Vague amounts are equivalent only to vague amounts with the same range.
    Qualifiers other than opposite bounds are ignored ("rund 60" == "60").
    """
    if not _compatible(a, b) or _opposite_bounds(a, b) or a.vague != b.vague:
        return False
    if a.vague and not _close(a.upper or 0.0, b.upper or 0.0, rel_tol):
        return False
    return _close(a.value, b.value, rel_tol)


def _interval(fact: NumberFact, bounds: bool = True) -> tuple[float, float]:
    """True values a fact is consistent with (see rule 4 in the module docstring).

    With bounds=False a bounded figure ("über 60") stands for its written value alone: a
    threshold is not a rounded figure, so only its qualifier could cover another value.
    """
    v = fact.value
    if fact.vague:
        return v, fact.upper if fact.upper is not None else math.inf
    q = fact.qualifier
    if q == "approx":
        spread = abs(v) * APPROX_REL_TOL
        return v - spread, v + spread
    if q in LOWER_BOUNDS or q in UPPER_BOUNDS:
        if not bounds:
            return v, v
    if q in LOWER_BOUNDS:
        return v, math.inf
    if q in UPPER_BOUNDS:
        return -math.inf, v
    half = fact.resolution / 2
    return v - half, v + half


def _contains(fact: NumberFact, x: float, bounds: bool = True) -> bool:
    """x within the fact's interval; strict at "over"/"under" bounds, float-tolerant elsewhere."""
    low, high = _interval(fact, bounds)
    finite = [abs(bound) for bound in (low, high) if math.isfinite(bound)]
    slack = _EPS * max(finite + [1.0])
    if not bounds and low == high:
        return abs(x - low) <= slack
    if fact.qualifier == "over" and not fact.vague:
        return x > low + slack
    if fact.qualifier == "under" and not fact.vague:
        return x < high - slack
    return low - slack <= x <= high + slack


def _vague_overlap(a: NumberFact, b: NumberFact) -> bool:
    """Can a vague amount ("Zehntausende") and the other figure describe the same quantity?

    An unqualified exact figure counts as its point value here: "100.000" is not "tens of
    thousands", although its trailing zeros could be rounding.
    """
    vague, other = (a, b) if a.vague else (b, a)
    low, high = vague.value, vague.upper if vague.upper is not None else math.inf
    if other.vague:
        other_low, other_high = _interval(other)
        return other_low < high and low < other_high
    if other.qualifier is None:
        return low <= other.value < high
    other_low, other_high = _interval(other)
    return other_low < high and low <= other_high


def compare_numbers(a: NumberFact, b: NumberFact) -> str:
    """"same", "rounded", "qualified", "different" or "incomparable" (rules in the module docstring)."""
    if not _compatible(a, b):
        return "incomparable"
    if a.kind in ("year", "ordinal"):
        return "same" if _close(a.value, b.value) else "different"
    if numbers_equivalent(a, b):
        return "same"
    if a.vague or b.vague:
        return "rounded" if _vague_overlap(a, b) else "different"
    if _close(a.value, b.value):  # equal figures, opposite bounds
        return "different"
    largest = max(abs(a.value), abs(b.value))
    if abs(a.value - b.value) > ROUNDING_REL_TOL * largest * (1 + _EPS):
        return "different"
    if _contains(a, b.value, bounds=False) or _contains(b, a.value, bounds=False):
        return "rounded"
    if _contains(a, b.value) or _contains(b, a.value):
        return "qualified"
    return "different"
