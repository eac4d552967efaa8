"""Numbers in news text (German, English, French): extraction with offsets, and comparison.

Two outlets rarely write a figure the same way: "41,5 Millionen US-Dollar", "$41.5 million",
"41,5 Mio. US-Dollar".  `extract_numbers` turns each written figure into a `NumberFact` with a
fully scaled value, a normalised unit and qualifier, and `compare_numbers` decides whether
two facts from aligned sentences agree.  The comparison decides whether editors see a
discrepancy, so it is deliberately conservative: it calls two figures "different" only when
they measure the same kind of thing and cannot both be right.

The work is split by job: `number_forms` holds `NumberFact`, the vocabulary (read from
compare/data/<language>/ lexicons) and digit parsing; this module extracts; `number_compare`
compares (`compare_numbers` and `numbers_equivalent` are re-exported here).

Extraction rules
----------------
* Number formats.  A token's separators decide its locale: "41,5", "3,05", "1.250.000" and
  "1.000,5" are parsed with Babel as ``de_DE``, "41.5", "1,000" and "1,250,000.5" as ``en_US``,
  always with ``strict=True`` (so "41.5" never becomes 415).  Only a single separator followed
  by exactly three digits ("1.500", "1,500") is ambiguous; it follows the document's own
  convention (majority of its unambiguous tokens), then the language (de/fr: "." groups,
  "," is decimal; en: the reverse), and with neither it is read as a thousands separator.
  French space groups ("27 000") are read for ``language="fr"``; no-break and narrow no-break
  spaces group digits in every language.
* Scale words multiply: Tausend/Tsd., Million(en)/Mio., Milliarde(n)/Mrd., Billion(en)/Bio.
  (German and French "Billion" = 1e12), thousand/k, million/m/mn/mln, billion/bn/b (English
  billion = 1e9), trillion/tn, mille/millions/milliards/Md(s), hundred/Hundert/cent(s),
  dozen/Dutzend/douzaine.  The single letters k/m/b (and French "M€") count only next to a
  currency ("$5m", "€3bn"), because "100m" is usually metres; English "5m people" (a glued
  m before a plural noun other than race words like "hurdles") is 5 million.  With
  ``language=None`` "Billion"/"Billionen" are German (1e12), lower-case "billion(s)" English
  (1e9).
* Number words: 0-20, the tens, German "einundzwanzig"/"zweihundert", English "twenty-five",
  French "vingt-cinq"/"soixante-dix"/"vingt et un".  "ein/eine/einem", "a/an/one" and
  "un/une" count only before a scale word ("eine Million", "a dozen", "einem Dutzend").
  A capitalised number word counts only at a sentence start ("außer Acht" is no 8).
  Ordinal words ("ersten", "first") are not extracted.
* Units: currency before or after ("$", "US$", "€", "£", "₽", "USD", "EUR", ...;
  "US-Dollar", "Dollar", "Euro", "Franken", "Rubel", "Pfund", "pounds", "roubles", ...)
  -> ``unit`` "USD", "EUR", "GBP", "CHF", "RUB" (also JPY, CNY, KZT, UAH), ``kind="money"``.
  "Prozent", "%", "percent", "per cent", "pct", "pour cent" -> ``unit="percent"``;
  "Prozentpunkte", "percentage points", "points de pourcentage", "%-Punkte" ->
  ``"percentage_point"``; "Basispunkte"/"basis points" -> ``"basis_point"``; all three are
  ``kind="percent"``.
* Counted nouns: a noun after the number (German: a capitalised word, optionally after up to
  two inflected adjectives, "fünf zentralasiatischen Staaten"; English: a plural noun after
  up to two modifiers, "five Central Asian states"; French: the next content word,
  "cinq pays") goes into ``counted`` as written, with ``unit=None`` and ``kind="count"``.
  Measurement abbreviations ("10 km", "5 kg") are counted the same way.
* Qualifiers written right before the figure are normalised: "approx" (rund, etwa, ungefähr,
  circa/ca., knapp, fast, nahezu, about, around, roughly, some, nearly, almost, environ,
  près de, ...), "over" (über, mehr als, gut, more than, over, above, plus de, ...), "under"
  (unter, weniger als, less than, fewer than, below, moins de, ...), "at_least" (mindestens,
  at least, au moins), "at_most" (höchstens, maximal, at most, no more than, au plus),
  "up_to" (bis zu, up to, as many as, jusqu'à).  The word as written is in
  ``qualifier_text``.  "minus 5 Prozent" and "-5 %" are negative.
* Vague amounts ("Zehntausende", "Tausende", "Hunderte", "Dutzende", standalone
  "Millionen"/"Milliarden", "tens of thousands", "thousands", "dozens", "des milliers",
  "mehrere Millionen", "several thousand") have ``vague=True``; ``value`` is the lower bound
  implied by the plural (2 x the base: Zehntausende -> 20 000, Dutzende -> 24), ``upper`` the
  exclusive upper bound (10 x the base: Zehntausende -> 100 000; 12 x 12 for dozens;
  Millionen -> 1e9), and the qualifier is "at_least" unless a qualifier word is written
  (then ``qualifier_text`` holds that word, otherwise it is None).
* Years: a four-digit integer 1500-2100 without separators, scale, unit or qualifier is
  ``kind="year"`` ("2020", "im Jahr 2021"; the span is the number only).  A count is
  written "2.000 Soldaten"/"2,000 troops"; "2000 Soldaten" is read as a year.
* Ordinals: "21. Jahrhundert" (German: the dot counts as an ordinal marker when a lower-case
  word, a known ordinal noun such as Jahrhundert/Platz/Mal, or a determiner such as
  im/am/zum/der precedes or follows it; otherwise the dot ends the sentence), "21st",
  "1er"/"21e" -> ``kind="ordinal"`` with the following noun in ``counted``.
* Not numbers, skipped entirely: dates with a day of month ("9. September", "9 September
  2023", "September 9", "09.03.2023", "2023-03-09"; the date extractor owns them), times
  ("14:30", "14 Uhr", "14h30"), slashed forms ("9/11", "24/7", "1/3"), and identifiers with
  letters glued to digits ("G20", "C5+1", "COVID-19", "MH17", "5G", "1990er", "1990s").
* Ranges "10-15 Prozent", "zwischen 40 und 45 Millionen Dollar", "from 5 to 10 million":
  the first figure inherits the second's scale and unit (its own span is unchanged).

Comparison rules (`compare_numbers`)
------------------------------------
1. "incomparable" unless the two facts are compatible: same kind, where "count" and "plain"
   are one kind; same unit (USD vs EUR, percent vs percentage_point are incomparable; a
   plain "41,5 Millionen" is incomparable with "$41.5 million"); if both have counted nouns,
   the nouns must be the same concept ("Staaten"/"states"/"Länder"/"countries", by a small
   multilingual table, spelling folds, or a rapidfuzz ratio >= 70).
2. Years and ordinals: "same" if equal, else "different" (no rounding).
3. "same": equal values (relative 1e-9), neither or both vague (then equal upper bounds),
   and qualifiers that do not point in opposite directions ("über 60" vs "unter 60" is
   "different"; "rund 60" or "über 60" vs "60" is "same").
4. Otherwise every fact stands for an interval of true values:
   exact (no qualifier): value ± resolution/2, where resolution is the place value of the
   last written digit times the scale ("42 Millionen" -> 1e6, "41,5 Millionen" -> 1e5;
   trailing zeros of integers may be rounding: "60" -> 10, "1.000" -> 1000);
   approx: value ± 5 %; over: (value, inf); at_least: [value, inf); under: (-inf, value);
   at_most/up_to: (-inf, value]; vague: [value, upper).
   If one side is vague, the result is "rounded" when the other figure fits the vague range
   (an unqualified figure by its value: "30.000" fits "Zehntausende", "100.000" does not;
   a qualified or vague one when the intervals overlap), else "different".
   Otherwise, when the values are within 5 % of the larger one, the result is "rounded"
   when one value lies inside the other's rounding interval (a bounded figure counting as
   its written value only: "über 60" is a threshold, not 60 rounded), "qualified" when only
   a bound qualifier makes them compatible (two different figures that could both be
   true: the caller reports them as a low-confidence dispute), and "different" in every
   other case. Hence "rund 42 Millionen" vs "41,5 Millionen" -> rounded; "42 Millionen" vs
   "41,5 Millionen" -> rounded (41.5 rounds to 42 at the million, which is all "42" states);
   "42" vs "41,4" -> different; "42" vs "43" -> different; "41,5" vs "45" -> different;
   "über 60" vs "62" -> qualified; "über 60" vs "mehr als 62" -> qualified; "über 60" vs
   "58" -> different; "140" vs "141" -> rounded (140 may be 141 rounded to tens).
5. `compare_numbers` compares the two facts it is given; pairing facts across two sentences
   (e.g. keep the best match per fact) is the caller's job, so that "fünf" vs "141 Staaten"
   is never reported merely because both are in the sentence pair.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from compare.facts.number_compare import compare_numbers, numbers_equivalent  # re-exported
from compare.facts.number_forms import (
    LEFT_WINDOW,
    NumberFact,
    PREFIX_CURRENCY_WINDOW,
    QUALIFIER_MAX_WORDS,
    YEAR_MAX,
    YEAR_MIN,
    _ARTICLES,
    _CURRENCY_ENTRIES,
    _CURRENCY_SYMBOLS,
    _DE_DETERMINERS,
    _DE_ORDINAL_NOUNS,
    _DE_STOP,
    _EN_IRREGULAR_PLURALS,
    _EN_STOP,
    _FR_STOP,
    _INLINE_SPACES,
    _PERCENTS,
    _PREFIX_CURRENCIES,
    _QUALIFIER_LOOKUP,
    _RACE_NOUNS,
    _SEVERAL,
    _SP,
    _TOKEN,
    _document_convention,
    _entry_index,
    _inside,
    _lang,
    _langs,
    _number_words,
    _parse_digits,
    _patterns,
    _resolution,
    _scale_entries,
    _vague_entries,
)

logger = logging.getLogger(__name__)

__all__ = ["NumberFact", "extract_numbers", "numbers_equivalent", "compare_numbers"]


# --------------------------------------------------------------------------- extraction


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_ADJ_ENDING = re.compile("(?:e|en|er|es|em)$")


@dataclass
class _Draft:
    """A fact under construction (mutable; frozen into a NumberFact at the end)."""

    start: int
    end: int
    base: Decimal  # the number as written, before scale words (vague: the lower bound)
    resolution: Decimal  # place value of the last written digit, before scale words
    digits_end: int = -1  # end of a digit token, for the glued-letters check
    scale: Decimal = Decimal(1)
    has_scale: bool = False
    letter_scale: bool = False  # "$5m": k/m/b are scales only as money
    unit: str | None = None
    counted: str | None = None
    qualifier: str | None = None
    qualifier_text: str | None = None
    kind: str = "plain"
    vague_upper: Decimal | None = None
    needs_scale: bool = False  # "eine", "a", "mehrere": numbers only before a scale word
    year_candidate: bool = False
    ordinal: bool = False

    def freeze(self, text: str) -> NumberFact:
        upper = float(self.vague_upper * self.scale) if self.vague_upper is not None else None
        return NumberFact(
            start=self.start,
            end=self.end,
            text=text[self.start : self.end],
            value=float(self.base * self.scale),
            unit=self.unit,
            counted=self.counted,
            qualifier=self.qualifier,
            qualifier_text=self.qualifier_text,
            kind=self.kind,
            vague=upper is not None,
            resolution=float(self.resolution * self.scale),
            upper=upper,
        )


def _at_sentence_start(text: str, pos: int) -> bool:
    """True when only an opening quote, dash, colon or sentence end precedes `pos`."""
    before = text[:pos].rstrip(" \t\u00a0")
    return not before or before[-1] in ".!?:;\n„“\"«»‘’(–—-"


def _atom_draft(match: re.Match[str], text: str, lang: str | None, convention: str | None) -> _Draft | None:
    """The bare number of an atom match (digits, number word, article, vague word), or None."""
    group = match.lastgroup or ""
    start, end = match.span()
    written = match.group()
    if group == "dig":
        value = _parse_digits(written, convention)
        if value is None:
            return None
        year = written.isdigit() and len(written) == 4 and YEAR_MIN <= int(written) <= YEAR_MAX
        return _Draft(start, end, value, _resolution(value), digits_end=end, year_candidate=year)
    if group == "word":
        if written[0].isupper() and not _at_sentence_start(text, start):
            return None  # "außer Acht", "Group of Seven": a name, not a number
        number = Decimal(_number_words(lang)[" ".join(written.lower().split())])
        return _Draft(start, end, number, _resolution(number))
    if group == "art":
        return _Draft(start, end, Decimal(1), Decimal(1), needs_scale=True)
    if group == "several":
        return _Draft(start, end, Decimal(2), Decimal(2), needs_scale=True,
                      vague_upper=Decimal(10), qualifier="at_least", kind="count")
    if group.startswith("v"):
        _, lower, upper = _vague_entries(lang)[_entry_index(match)]
        return _Draft(start, end, Decimal(lower), Decimal(lower), vague_upper=Decimal(upper),
                      qualifier="at_least", kind="count")
    return None


def _scale_value(word: str, multiplier: float | None, lang: str | None) -> Decimal:
    """Multiplier of a scale word; billion/trillion depend on language (and, without one, case)."""
    if multiplier is None:
        long_scale = lang in ("de", "fr") or word[:1].isupper()
        billion = word.lower().startswith("billion")
        multiplier = (1e12 if billion else 1e18) if long_scale else (1e9 if billion else 1e12)
    return Decimal(multiplier)


def _currency_follows(text: str, pos: int, lang: str | None) -> bool:
    return bool(_patterns(lang)["currency"].match(text, pos))


def _million_of_nouns(text: str, match: re.Match[str], lang: str | None) -> bool:
    """British "5m people", "3m barrels": a glued m before an English plural noun is a million."""
    word = match.group(match.lastgroup or "")
    if word != "m" or lang not in ("en", None):
        return False
    noun = _english_noun(text, match.end(), _patterns(lang)["word"], False)
    return noun is not None and noun[0].lower() not in _RACE_NOUNS


def _extend_scale(text: str, draft: _Draft, lang: str | None) -> None:
    """Consume scale words: "41,5 Millionen", "zwei hundert Millionen", "$5m", "41,5 M€"."""
    pats = _patterns(lang)
    for _ in range(2):
        match = pats["scale"].match(text, draft.end)
        if not match and draft.vague_upper is not None and not draft.needs_scale:
            match = pats["scale_of"].match(text, draft.end)  # "hundreds of millions"
        if not match:
            return
        word = match.group(match.lastgroup or "")
        if len(word) == 1:  # k/m/b: glued ("$5m") or before a symbol ("5 M€"), and only as money
            glued = match.start(match.lastgroup) == draft.end
            if draft.has_scale or not (glued or text[match.end() : match.end() + 1] in _CURRENCY_SYMBOLS):
                return
            money = draft.kind == "money" or _currency_follows(text, match.end(), lang)
            if not (money or (glued and _million_of_nouns(text, match, lang))):
                return
            draft.letter_scale = True
        _, multiplier = _scale_entries(lang)[_entry_index(match)]
        draft.scale *= _scale_value(word, multiplier, lang)
        draft.has_scale = True
        draft.end = match.end()


def _prefix_currency(text: str, draft: _Draft, lang: str | None, floor: int) -> None:
    """Currency written before the number: "$41.5", "US$ 41.5", "EUR 5 Mio."."""
    window_start = max(floor, draft.start - PREFIX_CURRENCY_WINDOW)
    match = _patterns(lang)["prefix_currency"].search(text, window_start, draft.start)
    if match:
        draft.unit = _PREFIX_CURRENCIES[_entry_index(match)][1]
        draft.kind = "money"
        draft.start = match.start()


def _words_before(text: str, pos: int, floor: int) -> list[re.Match[str]]:
    """The last few whole words before `pos` on the same line, ending right before inline space."""
    window_start = max(floor, pos - LEFT_WINDOW)
    if pos <= window_start or text[pos - 1] not in _INLINE_SPACES:
        return []
    words = list(_TOKEN.finditer(text, window_start, pos))
    if words and words[0].start() > 0 and not text[words[0].start() - 1].isspace():
        words = words[1:]  # cut off by the window: not a whole word
    return words[-QUALIFIER_MAX_WORDS - 1 :]


def _prefix_qualifier(text: str, draft: _Draft, floor: int) -> None:
    """"über", "more than", "rund", "minus" written right before the number (or its currency)."""
    words = _words_before(text, draft.start, floor)
    if words and words[-1].group().lower() == "minus":
        draft.base = -draft.base
        draft.start = words.pop().start()
    for count in range(min(QUALIFIER_MAX_WORDS, len(words)), 0, -1):
        chosen = words[-count:]
        if "\n" in text[chosen[0].start() : draft.start]:
            continue
        written = text[chosen[0].start() : chosen[-1].end()]
        norm = _QUALIFIER_LOOKUP.get(" ".join(written.lower().split()))
        if norm:
            draft.qualifier, draft.qualifier_text, draft.start = norm, written, chosen[0].start()
            return


def _extend_unit(text: str, draft: _Draft, lang: str | None) -> None:
    """Currency, percent or percentage points after the number (and its scale)."""
    pats = _patterns(lang)
    match = pats["currency"].match(text, draft.end)
    if not match and (draft.has_scale or draft.vague_upper is not None):
        match = pats["currency_of"].match(text, draft.end)  # "millions de dollars"
    if match:
        code = _CURRENCY_ENTRIES[_entry_index(match)][1]
        if draft.kind != "money":
            draft.unit, draft.kind, draft.end = code, "money", match.end()
        elif code == draft.unit:  # "$41.5 million USD": the code repeated
            draft.end = match.end()
        return
    if draft.kind == "money" or draft.vague_upper is not None:
        return
    match = pats["percent"].match(text, draft.end)
    if match:
        draft.unit = _PERCENTS[_entry_index(match)][1]
        draft.kind = "percent"
        draft.end = match.end()


def _german_ordinal_end(text: str, draft: _Draft, lang: str | None) -> int | None:
    """End of "21." when its dot marks a German ordinal rather than the end of a sentence."""
    if lang not in ("de", None) or text[draft.end : draft.end + 1] != ".":
        return None
    written = text[draft.start : draft.end]
    if not written.isdigit() or len(written) > 3:
        return None
    following = _patterns(lang)["word"].match(text, draft.end + 1)
    if not following:
        return None
    word = following.group(1)
    previous = text[max(0, draft.start - 20) : draft.start].split()
    determiner = bool(previous) and previous[-1].lower() in _DE_DETERMINERS
    if word[0].islower() or word in _DE_ORDINAL_NOUNS or determiner:
        return draft.end + 1
    return None


def _glued_ordinal(text: str, draft: _Draft, lang: str | None) -> None:
    """"21st", "1er", "21e": an ordinal suffix glued to the digits."""
    match = _patterns(lang)["glued"].match(text, draft.end)
    if not match:
        return
    lower = match.group().lower()
    english = lang in ("en", None) and lower in ("st", "nd", "rd", "th")
    french = lang in ("fr", None) and (
        (lower in ("er", "re", "ère") and draft.base == 1)
        or (lower in ("e", "ème", "eme", "è") and draft.base > 1)
    )
    if english or french:
        draft.ordinal = True
        draft.end = match.end()


def _words_after(text: str, pos: int, word_re: re.Pattern[str], limit: int) -> list[re.Match[str]]:
    """Up to `limit` consecutive words after `pos`, separated by inline spaces only."""
    found: list[re.Match[str]] = []
    while len(found) < limit:
        match = word_re.match(text, pos)
        if not match:
            break
        found.append(match)
        pos = match.end()
    return found


def _german_noun(text: str, pos: int, word_re: re.Pattern[str], ordinal: bool) -> tuple[str, int] | None:
    """A capitalised noun, after at most two inflected adjectives ("fünf zentralasiatischen Staaten")."""
    for match in _words_after(text, pos, word_re, 3):
        word = match.group(1).rstrip("-’'")
        if word[0].isupper():
            return None if word.lower() in _DE_STOP else (word, match.start(1) + len(word))
        if word in _DE_STOP or not _ADJ_ENDING.search(word):
            return None
    return None


def _english_noun(text: str, pos: int, word_re: re.Pattern[str], ordinal: bool) -> tuple[str, int] | None:
    """A plural noun (any noun after an ordinal), after at most two modifiers."""
    for match in _words_after(text, pos, word_re, 3):
        word = match.group(1).rstrip("-’'")
        lower = word.lower()
        if lower in _EN_STOP or "'" in word or "’" in word:
            return None
        plural = len(lower) > 2 and lower.endswith("s") and not lower.endswith(("ss", "us", "is"))
        if plural or lower in _EN_IRREGULAR_PLURALS or ordinal:
            return word, match.start(1) + len(word)
    return None


def _french_noun(text: str, pos: int, word_re: re.Pattern[str], ordinal: bool) -> tuple[str, int] | None:
    """The next content word (French adjectives mostly follow the noun)."""
    match = word_re.match(text, pos)
    if not match:
        return None
    word = match.group(1).rstrip("-’'")
    if word.lower() in _FR_STOP or "'" in word or "’" in word:
        return None
    return word, match.start(1) + len(word)


_NOUN_RULES = {
    "de": (_german_noun,),
    "en": (_english_noun,),
    "fr": (_french_noun,),
    None: (_german_noun, _english_noun),
}


def _counted_noun(text: str, draft: _Draft, lang: str | None) -> None:
    """Attach what is counted: "141 Staaten", "five Central Asian states", "cinq pays", "10 km"."""
    pats = _patterns(lang)
    measure = pats["measure"].match(text, draft.end)
    if measure and not draft.ordinal:
        draft.counted = measure.group().strip()
        draft.end = measure.end()
        return
    pos = draft.end
    connector = pats["connector"].match(text, pos)
    if connector and (draft.has_scale or draft.vague_upper is not None):
        pos = connector.end()  # "thousands of people", "des milliers de personnes"
    for rule in _NOUN_RULES[lang]:
        found = rule(text, pos, pats["word"], draft.ordinal)
        if found:
            draft.counted, draft.end = found
            return


def _finish_ordinal(text: str, draft: _Draft, lang: str | None) -> _Draft:
    draft.kind = "ordinal"
    draft.resolution = Decimal(1)
    _counted_noun(text, draft, lang)
    return draft


def _build(
    match: re.Match[str], text: str, lang: str | None, convention: str | None, floor: int
) -> _Draft | None:
    """Grow one atom into a whole expression: qualifier, currency, number, scale, unit, noun."""
    draft = _atom_draft(match, text, lang, convention)
    if draft is None:
        return None
    if draft.digits_end >= 0:
        _glued_ordinal(text, draft, lang)
        ordinal_end = None if draft.ordinal else _german_ordinal_end(text, draft, lang)
        if ordinal_end is not None:
            draft.ordinal, draft.end = True, ordinal_end
        if draft.ordinal:
            return _finish_ordinal(text, draft, lang)
    _prefix_currency(text, draft, lang, floor)
    _extend_scale(text, draft, lang)
    if draft.needs_scale and not draft.has_scale:
        return None
    _extend_unit(text, draft, lang)
    _prefix_qualifier(text, draft, floor)
    bare = not draft.has_scale and draft.unit is None
    if draft.year_candidate and bare and draft.qualifier in (None, "approx"):
        draft.kind, draft.resolution = "year", Decimal(1)
    elif draft.kind in ("plain", "count"):
        _counted_noun(text, draft, lang)
        if draft.counted:
            draft.kind = "count"
    if draft.digits_end == draft.end and _glued_letters(text, draft.end, lang):
        logger.debug("letters glued to digits, an identifier: %r", text[draft.start : draft.end + 4])
        return None
    return draft


def _glued_letters(text: str, pos: int, lang: str | None) -> bool:
    """A letter right after the digits ("5G", "1990er") makes the token an identifier."""
    return bool(_patterns(lang)["glued"].match(text, pos))


_RANGE_LINK = re.compile(f"{_SP}*(?:-|–|—|bis|to|à|auf|oder|or|ou){_SP}*", re.IGNORECASE)
_AND_LINK = re.compile(f"{_SP}*(?:und|and|et){_SP}*", re.IGNORECASE)
_BETWEEN = re.compile(f"(?:zwischen|between|entre){_SP}+\\Z", re.IGNORECASE)


def _propagate_ranges(text: str, drafts: list[_Draft]) -> None:
    """"10-15 Prozent", "zwischen 40 und 45 Millionen Dollar": the first figure takes the second's unit."""
    for first, second in zip(drafts, drafts[1:]):
        naked = not first.has_scale and first.unit is None and first.counted is None
        if not naked or first.kind != "plain" or first.qualifier is not None:
            continue
        if not (second.has_scale or second.unit or second.counted) or second.kind in ("year", "ordinal"):
            continue
        between = text[first.end : second.start]
        linked = _RANGE_LINK.fullmatch(between) or (
            _AND_LINK.fullmatch(between) and _BETWEEN.search(text, max(0, first.start - 20), first.start)
        )
        if linked:
            first.scale, first.has_scale = second.scale, second.has_scale
            first.unit, first.kind, first.counted = second.unit, second.kind, second.counted


_TRIGGER = re.compile("[-−]?[0-9]|[^\\W\\d_]+")


@lru_cache(maxsize=8)
def _trigger_words(lang: str | None) -> frozenset[str]:
    """Lower-cased first words of every word atom: only there is the big atom regex tried."""
    phrases = list(_number_words(lang))
    phrases += [a for code in _langs(lang) for a in _ARTICLES[code] + _SEVERAL[code]]
    phrases += [fragment.replace("[n]?", "") for fragment, _, _ in _vague_entries(lang)]
    return frozenset(re.split("[ -]", phrase)[0] for phrase in phrases)


def _atoms(text: str, lang: str | None) -> Iterable[re.Match[str]]:
    """Atom matches in text order; a cheap scan picks the positions worth trying."""
    atom = _patterns(lang)["atom"]
    triggers = _trigger_words(lang)
    for candidate in _TRIGGER.finditer(text):
        token = candidate.group()
        if token[0].isalpha() and token.lower() not in triggers:
            continue
        match = atom.match(text, candidate.start())
        if match is None and token[0] in "-−":
            match = atom.match(text, candidate.start() + 1)  # "3-1": the dash is no sign
        if match is not None:
            yield match


def extract_numbers(text: str, language: str | None = None) -> list[NumberFact]:
    """All figures in `text`, in text order and non-overlapping (rules: module docstring)."""
    lang = _lang(language)
    pats = _patterns(lang)
    skip = [m.span() for m in pats["skip"].finditer(text)]  # dates, times, identifiers
    convention = _document_convention(text, lang, skip)
    drafts: list[_Draft] = []
    floor = 0
    for match in _atoms(text, lang):
        if match.start() < floor or _inside(match.start(), skip):
            continue
        draft = _build(match, text, lang, convention, floor)
        if draft is not None:
            drafts.append(draft)
            floor = draft.end
    _propagate_ranges(text, drafts)
    facts = [draft.freeze(text) for draft in drafts]
    logger.debug("extracted %d numbers from %d characters (%s)", len(facts), len(text), lang)
    return facts
