"""The date extractor's digit gate gives what the plain rule loop gave, on real text.

`extract_dates` skips a rule whose pattern provably needs a digit (`_needs_digit`) when the
text has none.  Here the proof is checked on hand-made patterns, and `extract_dates` must give
the same facts as the loop without the gate on every sentence and every whole text of the
seeds, the test stories, the held-out stories, the bench cluster and the
Text+Berg documents (with and without a reference date).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from compare.facts import dates
from corpus import real_sentences, real_texts



def _texts() -> list[tuple[str, str]]:
    """(text, language) of the whole texts, in a fixed order."""
    return real_texts()


def _corpus() -> list[tuple[str, str]]:
    """Whole texts and their sentences, (text, language), distinct."""
    texts = _texts()
    return list(dict.fromkeys([*texts, *real_sentences(texts)]))


def _plain_extract(text: str, language: str | None, reference: dt.date | None) -> list[dates.DateFact]:
    """`extract_dates` without the digit gate: every rule runs on every text."""
    lang = dates._lang(text, language)
    ctx = dates._Ctx(text, lang, reference)
    taken: list[tuple[int, int]] = []
    facts: list[dates.DateFact] = []
    for rule in dates._rules(lang):
        for m in rule.pattern.finditer(text):
            s, e = m.span()
            if s == e or any(s < te and ts < e for ts, te in taken):
                continue
            fact = dates._BUILDERS[rule.kind](ctx, m)
            if fact is None:
                continue
            taken.append((s, e))
            facts.append(fact)
    facts.sort(key=lambda f: f.start)
    return facts


@pytest.mark.parametrize(("pattern", "needs"), [
    (r"\d", True), (r"[0-9]", True), (r"a?\d{1,2}", True), (r"(?:x|\d)+", False), (r"x|\d", False),
    (r"(?:\d|[3-5])", True), (r"(?P<y>\d{4})?", False), (r"\d*", False), (r"(?=\d)", False),
    (r"(?!\D)\w", False), (r"[\d.]", False), (r"[^\D]", False), (r"\w", False), (r"(?>\d)", True),
    (r"(?:am\s+)?(?:(?:Montag|\d)\.)", False), (r"(?:am\s+)?(?:(?:1|\d)\.)", True), (r"\d+?", True),
])
def test_needs_digit_proof(pattern: str, needs: bool) -> None:
    assert dates._needs_digit(re.compile(pattern, re.IGNORECASE)) is needs


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_digit_rules_silent_without_digits(lang: str) -> None:
    """A gated rule finds nothing in any corpus text without a digit (what the gate assumes)."""
    gated = [r for r in dates._rules(lang) if r.needs_digit]
    assert gated  # the day-of-month, time and year rules
    undigited = [t for t, _ in _corpus() if not dates._DIGIT.search(t)]
    assert undigited
    for rule in gated:
        assert not any(rule.pattern.search(t) for t in undigited), rule.pattern.pattern


def test_extract_dates_matches_plain_loop() -> None:
    ref = dt.date(2023, 2, 28)
    for text, lang in _corpus():
        for language in (lang, None):
            for reference in (None, ref):
                assert dates.extract_dates(text, language, reference) == _plain_extract(text, language, reference)


@pytest.mark.parametrize(("pattern", "words"), [
    (r"(?-i:Montag|Dienstag)", {"Montag", "Dienstag"}),
    (r"am\s+(?-i:Mai)", {"Mai"}),  # "am" ignores case: only the name is exact
    (r"(?-i:am\s+Mai)", {"Mai"}),  # the longest run wins
    (r"(?-i:a\.m\.|pm)", {"a.m.", "pm"}),
    (r"(?-i:[JM]a)i", {"Ja", "Ma"}),
    (r"(?-i:Mai)?\d", None), (r"(?-i:Mai|\w+)", None), (r"(?=(?-i:Mai))", None), (r"Mai", None),
    (r"(?-i:(?:Mai)+)", {"Mai"}), (r"(?-i:x(?i:y)z)", {"x"}), (r"(?-i:ab|a)", {"ab", "a"}),
    (r"(?-i:(?:Mai|Juni)\.?)", {"Mai", "Juni"}), (r"(?-i:(?:Mai|(?:x|))Juni)", {"MaiJuni", "xJuni", "Juni"}),
])
def test_needs_word_proof(pattern: str, words: set[str] | None) -> None:
    found = dates._needs_word(re.compile(pattern, re.IGNORECASE))
    assert (set(found) if found is not None else None) == words


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_word_rules_silent_without_words(lang: str) -> None:
    """A rule gated on words finds nothing in any corpus text holding none of them."""
    texts = [t for t, _ in _corpus()]
    for rule in dates._rules(lang):
        if rule.needs_word is None:
            continue
        without = [t for t in texts if not any(w in t for w in rule.needs_word)]
        assert not any(rule.pattern.search(t) for t in without), rule.pattern.pattern
