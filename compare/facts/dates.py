"""Dates in news text (German, English, French): extraction with offsets, resolution, comparison.

Two outlets often date one event differently: "am Dienstag", "on Tuesday, Feb. 28",
"vergangene Woche", "le 28 février".  `extract_dates` finds each written date expression as a
`DateFact` (``text == source[start:end]``), and, given the article's publication date,
resolves relative forms to calendar values so `dates_conflict` (in `date_compare`,
re-exported here) can compare them. Patterns and extra names are lexicons
(compare/data/<language>/date_patterns.txt, month_names_extra, ...).

Extraction (patterns tried in this order; a later match never overlaps an earlier one)
------------------------------------------------------------------------------------
* ``date`` - a day of a month: de "9. September 1988", "am 1. März", "9.9.1988", "1.3.";
  en "September 9, 1988", "Sept. 9", "9 September 1988", "the 1st of March"; fr
  "9 septembre 1988", "le 1er mars"; all: "2023-02-28", "28/02/2023" (en: month first unless
  the first number is > 12).  A weekday written in front ("am Dienstag, 28. Februar",
  "Tuesday, Feb. 28") belongs to the same fact and fills ``weekday``.
* ``time`` - "um 14 Uhr", "14.30 Uhr", "at 2 p.m.", "à 14h30"; ``value`` is "HH:MM".
* ``relative`` - day words (gestern, heute, morgen (lower case only: "Morgen" is the
  morning), vorgestern, übermorgen; yesterday, today, tonight, tomorrow, last night; hier,
  aujourd'hui, demain, avant-hier, après-demain - French "hier" only for French text, German
  "hier" means "here"), weeks/months/years ("vergangene Woche", "in der letzten Woche",
  "diese Woche", "nächste Woche", "letztes Jahr", "im vergangenen Jahr", "des vergangenen
  Jahres", "last week", "earlier this month", "next year", "la semaine dernière", "cette
  année", "l'an dernier", "le mois prochain") and "ago" forms ("vor zwei Wochen", "three days
  ago", "il y a un an").  Plural, vague periods ("in den letzten Jahren") are not dates.
* ``weekday`` - "am Dienstag", "Dienstag", "Dienstagabend", "am vergangenen Donnerstag",
  "on Tuesday", "last Thursday", "Sunday evening", "mardi", "jeudi dernier".  Habitual
  "dienstags"/"on Tuesdays" is skipped.
* ``month`` - a month name with a preposition or a year: "im Oktober", "Ende Februar",
  "Oktober 2022", "in October", "in early March", "en octobre", "fin mars".  A bare month name
  is skipped (en "May"/"March" are also a verb).
* ``year`` - 1800-2100 after a year word or preposition ("im Jahr 2021", "seit 2014", "in
  2020", "since 2014", "en 2020"), or a bare 1900-2100 that stands alone: not glued to other
  digits, separators, letters or currency, not followed by a unit, and (German) not followed
  by a capitalised noun ("2000 Soldaten" is a count - the number extractor owns it).

The span includes a preposition written right before the expression ("am", "im", "on", "in",
"le", "en", ...), so "am Dienstag" and "im Oktober" are the facts as written.

Resolution against ``reference`` (the article's publication date)
---------------------------------------------------------------------
* Day words and "ago" forms: reference +/- days -> ISO date; weeks -> ISO week of the shifted
  reference ("vergangene Woche" on 2023-02-28 -> "2023-W08"); months -> "YYYY-MM"; years ->
  "YYYY" ("letztes Jahr" -> reference year - 1).
* Weekdays: news mostly report the past, so a bare weekday is the most recent such day on
  or before the reference ("am Dienstag" on Tuesday 2023-02-28 is that day; "am Donnerstag"
  is 2023-02-23).  When the sentence is in the future tense (de: wird/werden/soll/sollen/
  geplant; en: will/'ll/is to/is due to/is set to/is expected to/is scheduled to/plans to;
  fr: va/vont/doit/devrait/sera/aura and futur simple endings -era/-ira) it is the next such
  day on or after the reference.  "vergangenen/letzten/last/dernier" -> strictly before,
  "kommenden/nächsten/next/prochain" -> strictly after.
* A day or month without a year: the nearest occurrence to the reference (ties: the past);
  with a future-tense cue, the first occurrence on or after the reference.
* Written-out values ("9. September 1988", "2020", "im Oktober 2022") are never "resolved"
  (``resolved=False``); everything computed from the reference has ``resolved=True``.
* Without a reference only absolute values are set; a day or month written without a year
  keeps its month/day in ``partial`` ("--03-01", "--10", ISO 8601 truncated forms) and a
  weekday keeps ``weekday``, so they can still be compared.

Comparison rules (`dates_conflict`)
-----------------------------------
1. A time compares only with a time: different "HH:MM" -> True, equal -> False; time vs
   anything else -> None.
2. Two weekday mentions: different weekdays -> True (even unresolved, a Tuesday is never a
   Wednesday); same weekday -> False, unless both resolved to different dates (-> True).
3. Both carry a value: each becomes a date interval (day, ISO week, month or year).  Same
   granularity: equal -> False, different -> True.  Different granularity: the finer inside
   the coarser -> False (consistent), disjoint -> True, partly overlapping (a week across a
   month end) -> None.
4. An unresolved weekday vs a day value: the day's weekday decides (different -> True,
   same -> False); vs a coarser value -> None.
5. A ``partial`` month-day / month compares with another partial or a value of day or month
   granularity on the parts both have (different -> True, same -> False); otherwise None.
6. Anything else (an unresolved "vergangene Woche", "gestern" from articles that may have been
   published on different days) -> None: cannot tell.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
import re._constants as _sre
import re._parser as _sre_parse
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from babel.dates import get_day_names, get_month_names

from compare.facts.date_compare import dates_conflict  # re-exported
from compare.facts.lexicon import lexicon, lexicon_pairs

logger = logging.getLogger(__name__)

__all__ = ["DateFact", "extract_dates", "dates_conflict", "KINDS"]

KINDS = ("date", "weekday", "relative", "month", "year", "time")
_LANGS = ("de", "en", "fr")
YEAR_MIN, YEAR_MAX = 1800, 2100  # years after a year word / preposition
BARE_YEAR_MIN, BARE_YEAR_MAX = 1900, 2100  # bare four-digit numbers


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_LETTERS = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"\s+")
_NUMBER_PREFIX_END = re.compile(r"[$€£¥₽#]\s?$|[^\W\d_]-$")
_SENTENCE_END_AFTER = re.compile(r"\s*[.!?]")


@dataclass(frozen=True)
class DateFact:
    """One written date expression; ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    kind: str  # date, weekday, relative, month, year, time
    value: str | None = None  # "2023-02-28", "2023-W08", "2023-02", "2023", "14:30"
    resolved: bool = False  # value computed from the reference date, not written absolutely
    weekday: int | None = None  # 0 = Monday, for weekday mentions (and dates written with one)
    partial: str | None = None  # "--03-01" / "--10": a day or month written without a year


# --------------------------------------------------------------------------- vocabulary

# Lexicons (compare/data/<language>/): month_names_extra, weekday_names_extra (what Babel's
# locale data lacks), date_modifiers and day_words (every language's list applies).
def _int_pairs(name: str, languages: tuple[str, ...]) -> dict[str, int]:
    return {word: int(value) for lang in languages for word, value in lexicon_pairs(name, lang)}


_EXTRA_MONTHS: dict[str, dict[str, int]] = {lang: _int_pairs("month_names_extra", (lang,)) for lang in _LANGS}
_EXTRA_DAYS: dict[str, dict[str, int]] = {lang: _int_pairs("weekday_names_extra", (lang,)) for lang in _LANGS}

_NUMBER_WORDS: dict[str, dict[str, int]] = {
    "de": {"ein": 1, "einem": 1, "einer": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
           "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12},
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
           "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12},
}

# Modifier words -> direction: -1 past, 0 this, +1 next.
_MODS: dict[str, int] = _int_pairs("date_modifiers", _LANGS)

_DAY_WORDS: dict[str, int] = _int_pairs("day_words", _LANGS)

_FUTURE: dict[str, re.Pattern[str]] = {
    "de": re.compile(r"\b(?:wird|werden|wirst|werde|soll|sollen|geplant|plant|planen)\b"),
    "en": re.compile(
        r"(?:\b(?:will|shall|won't)\b|'ll\b|’ll\b|\b(?:is|are)\s+(?:to|due\s+to|set\s+to|expected\s+to|"
        r"scheduled\s+to|going\s+to)\b|\bplans?\s+to\b)",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b(?:va|vont|doit|doivent|devrait|devraient|sera|seront|aura|auront|ira|iront|fera|feront|"
        r"\w{3,}(?:era|eront|ira|iront))\b",
        re.IGNORECASE,
    ),
}

# Frequent words that tell the language (compare/data/<language>/language_hint_words.txt).
_STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(lexicon("language_hint_words", lang)) for lang in _LANGS}


@lru_cache(maxsize=None)
def _month_table(lang: str, abbreviated: bool) -> dict[str, int]:
    """Month names as written in `lang` (wide, optionally abbreviations without the dot)."""
    out: dict[str, int] = {}
    widths = ("wide", "abbreviated") if abbreviated else ("wide",)
    for width in widths:
        for ctx in ("format", "stand-alone"):
            for num, name in get_month_names(width, context=ctx, locale=lang).items():
                out[name.rstrip(".")] = num
    if abbreviated:
        out.update(_EXTRA_MONTHS[lang])
    else:
        out.update({k: v for k, v in _EXTRA_MONTHS[lang].items() if len(k) > 4})
    return out


@lru_cache(maxsize=None)
def _weekday_table(lang: str) -> dict[str, int]:
    """Weekday names (0 = Monday) in `lang`."""
    out = {name: num for num, name in get_day_names("wide", locale=lang).items()}
    out.update(_EXTRA_DAYS[lang])
    return out


def _alt(names: list[str] | set[str] | dict[str, int]) -> str:
    """A regex alternation, longest first (so "Juni" never stops "Juni" short of "Junior")."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _month_alt(lang: str) -> str:
    """Month names and abbreviations; only an abbreviation may carry a dot ("Sept.", not "März.")."""
    wide = set(_month_table(lang, False))
    items = [(n, re.escape(n) if n in wide else re.escape(n) + r"\.?") for n in _month_table(lang, True)]
    return "|".join(p for _, p in sorted(items, key=lambda item: len(item[0]), reverse=True))


def _lookup(table: dict[str, int], word: str) -> int | None:
    """Case- and dot-insensitive table lookup."""
    word = word.rstrip(".")
    if word in table:
        return table[word]
    low = word.lower()
    for k, v in table.items():
        if k.lower() == low:
            return v
    return None


# --------------------------------------------------------------------------- patterns

_NB = r"(?![^\W\d_])"  # not followed by a letter
_NOTNUM_BEFORE = r"(?<![\d.,:/\w])"
_NOTNUM_AFTER = r"(?![\d]|[.,:/]\d)"


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    needs_digit: bool = False  # every match holds a character that \d matches
    needs_word: frozenset[str] | None = None  # every match holds one of these (exact case), see _needs_word


_DIGIT = re.compile(r"\d")
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)


def _digit_item(op: object, av: object) -> bool:
    r"""Whether one item of a character class matches digits only (\d, or ASCII 0-9)."""
    if op is _sre.CATEGORY:
        return av is _sre.CATEGORY_DIGIT
    if op is _sre.LITERAL:
        return 48 <= av <= 57  # type: ignore[operator]
    if op is _sre.RANGE:
        return 48 <= av[0] <= av[1] <= 57  # type: ignore[index]
    return False  # NEGATE and anything else


def _must_digit(seq: object) -> bool:
    r"""Whether every match of the parsed sequence `seq` consumes a digit (\d or 0-9).

    Conservative: an item proves it only by consuming a digit itself (a literal digit, a
    class of digits only), by a group, atomic group or repeat (at least once) around such a
    sequence, or by a branch all of whose alternatives do; lookarounds, anchors, group
    references and anything unknown prove nothing."""
    for op, av in seq:  # type: ignore[attr-defined]
        if op is _sre.LITERAL and 48 <= av <= 57:
            return True
        if op is _sre.IN and av and all(_digit_item(o, a) for o, a in av):
            return True
        if op is _sre.SUBPATTERN and _must_digit(av[-1]):
            return True
        if op is _sre.ATOMIC_GROUP and _must_digit(av):
            return True
        if op in _REPEATS and av[0] >= 1 and _must_digit(av[2]):
            return True
        if op is _sre.BRANCH and all(_must_digit(alt) for alt in av[1]):
            return True
    return False


def _needs_digit(pattern: re.Pattern[str]) -> bool:
    r"""Whether `pattern` can only match text holding a character that \d matches, so a rule
    is skipped on a sentence without one (most sentences: 69 of 108 on the bench cluster)
    with the same result: its finditer would yield nothing.  A digit of 0-9 is one that
    the Unicode \d of `_DIGIT` matches, and an ASCII-only \d matches a subset of it."""
    return _must_digit(_sre_parse.parse(pattern.pattern, pattern.flags))


_MAX_WORDS = 64  # a gate of more strings than this is not worth its substring tests


def _inner_ci(av: tuple, ci: bool) -> bool:  # type: ignore[type-arg]
    """Whether a group (`av` of a SUBPATTERN: group, added flags, removed flags, body) ignores case."""
    if av[2] & re.IGNORECASE:
        return False
    return ci or bool(av[1] & re.IGNORECASE)


def _fixed(op: object, av: object, ci: bool) -> set[str] | None:
    """The exact strings one item matches when it matches only fixed, case-sensitive text
    (a literal, a class of literals, a group or branch of such sequences), else None."""
    if op is _sre.SUBPATTERN:
        return _fixed_seq(av[-1], _inner_ci(av, ci))  # type: ignore[index]
    if ci:
        return None
    if op is _sre.LITERAL:
        return {chr(av)}  # type: ignore[arg-type]
    if op is _sre.IN and av and all(o is _sre.LITERAL for o, _ in av):  # type: ignore[attr-defined]
        return {chr(a) for _, a in av}  # type: ignore[attr-defined]
    if op is _sre.BRANCH:
        return _union_of(av[1], lambda alt: _fixed_seq(alt, ci))  # type: ignore[index]
    return None


def _union_of(alternatives: object, strings_of: Callable[[object], set[str] | None]) -> set[str] | None:
    """The strings of a branch: the union over its alternatives, None when one has none or
    the union is too large to be worth testing (`_fixed` and `_required_item` share it)."""
    out: set[str] = set()
    for alt in alternatives:  # type: ignore[attr-defined]
        strings = strings_of(alt)
        if strings is None:
            return None
        out |= strings
    return out if len(out) <= _MAX_WORDS else None


def _fixed_seq(seq: object, ci: bool) -> set[str] | None:
    """The exact strings a sequence of fixed items matches (the product of its items')."""
    out = {""}
    for op, av in seq:  # type: ignore[attr-defined]
        part = _fixed(op, av, ci)
        if part is None:
            return None
        out = {a + b for a in out for b in part}
        if len(out) > _MAX_WORDS:
            return None
    return out


def _better(best: set[str] | None, other: set[str] | None) -> set[str] | None:
    """The more selective of two gates (longer shortest string, then fewer strings); a gate
    with the empty string in it proves nothing."""
    if not other or "" in other or len(other) > _MAX_WORDS:
        return best
    if best is None or (min(map(len, other)), -len(other)) > (min(map(len, best)), -len(best)):
        return other
    return best


def _required(seq: object, ci: bool) -> set[str] | None:
    """Strings one of which (exact case) every match of `seq` contains, or None.

    Conservative: a run of consecutive fixed, case-sensitive items (`_fixed`) is matched as
    one of the product of their strings; an item needs what its group, atomic group, repeat
    (at least once) or every alternative of its branch needs. Zero-width items (lookarounds,
    anchors) end a run; anything else proves nothing."""
    best: set[str] | None = None
    run = {""}
    for op, av in seq:  # type: ignore[attr-defined]
        part = _fixed(op, av, ci)
        if part is not None:
            joined = {a + b for a in run for b in part}
            if len(joined) > _MAX_WORDS:
                best, joined = _better(best, run), part
            run = joined
            continue
        best, run = _better(best, run), {""}
        best = _better(best, _required_item(op, av, ci))
    return _better(best, run)


def _required_item(op: object, av: object, ci: bool) -> set[str] | None:
    if op is _sre.SUBPATTERN:
        return _required(av[-1], _inner_ci(av, ci))  # type: ignore[index, arg-type]
    if op is _sre.ATOMIC_GROUP:
        return _required(av, ci)
    if op in _REPEATS and av[0] >= 1:  # type: ignore[index]
        return _required(av[2], ci)  # type: ignore[index]
    if op is _sre.BRANCH:
        return _union_of(av[1], lambda alt: _required(alt, ci))  # type: ignore[index]
    return None


def _needs_word(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains as written (case-sensitive parts
    only: the (?-i:...) month and weekday names of German and English), so a rule is skipped
    on a sentence holding none of them with the same result: its finditer would yield nothing."""
    found = _required(_sre_parse.parse(pattern.pattern, pattern.flags), bool(pattern.flags & re.IGNORECASE))
    return frozenset(found) if found else None


@lru_cache(maxsize=None)
def _rules(lang: str) -> tuple[_Rule, ...]:
    """The compiled patterns of one language, in priority order: the templates of
    compare/data/<language>/date_patterns.txt with the language's names filled in."""
    cs = "(?-i:{})"  # month/weekday names are case-sensitive in de/en
    if lang == "fr":
        cs = "(?:{})"
    names = {
        "months_all": cs.format(_month_alt(lang)),
        "months": cs.format(_alt(_month_table(lang, False))),
        "wd": cs.format(_alt(_weekday_table(lang))),
        "n_words": _alt(_NUMBER_WORDS[lang]),
        "NB": _NB,
        "NOTNUM_BEFORE": _NOTNUM_BEFORE,
        "NOTNUM_AFTER": _NOTNUM_AFTER,
    }
    rules = [(kind, template.format(**names)) for kind, template in lexicon_pairs("date_patterns", lang)]
    compiled = [(kind, re.compile(p, re.IGNORECASE)) for kind, p in rules]
    return tuple(_Rule(kind, pattern, _needs_digit(pattern), _needs_word(pattern)) for kind, pattern in compiled)


# Words after a bare year that make it a quantity, not a year ("2000 Euro", "1950 people").
_UNIT_AFTER = re.compile(
    r"\s*(?:[-–]\s*)?(?:%|€|\$|Prozent|percent|per\s+cent|pour\s+cent|Euro|Dollar|US-Dollar|dollars?|euros?|"
    r"km|kg|m\b|Meter|Kilometer|Tonnen|tons?|tonnes?|people|troops|soldiers|persons|personnes|soldats)",
    re.IGNORECASE,
)
_CAP_WORD_AFTER = re.compile(r"\s+(?-i:[A-ZÄÖÜ])[a-zäöüß]")


# --------------------------------------------------------------------------- helpers


def _lang(text: str, language: str | None) -> str:
    """The language code to use: the given one, else a stopword vote (default German)."""
    if language:
        code = language.lower().split("-")[0].split("_")[0]
        if code in _LANGS:
            return code
        logger.debug("unsupported language %r, guessing", language)
    words = _LETTERS.findall(text[:5000].lower())
    scores = {lang: sum(w in _STOPWORDS[lang] for w in words) for lang in _LANGS}
    return max(_LANGS, key=lambda lang: (scores[lang], lang == "de"))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span (boundaries: line breaks and .!? after a non-digit)."""
    left = start
    while left > 0:
        c = text[left - 1]
        if c == "\n" or (c in ".!?" and left < len(text) and text[left].isspace()
                         and not (left >= 2 and text[left - 2].isdigit())):
            break
        left -= 1
    right = end
    while right < len(text):
        c = text[right]
        if c == "\n" or (c in ".!?" and (right + 1 == len(text) or text[right + 1].isspace())
                         and not text[right - 1].isdigit()):
            break
        right += 1
    return text[left:right]


def _future(text: str, start: int, end: int, lang: str) -> bool:
    """Whether the sentence around the span is in the future tense (keyword heuristic)."""
    return bool(_FUTURE[lang].search(_sentence(text, start, end)))


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _valid_day(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def _year4(raw: str) -> int:
    """A written year; two digits pivot at 50 ("88" -> 1988, "23" -> 2023)."""
    y = int(raw)
    if len(raw) == 2:
        y += 1900 if y >= 50 else 2000
    return y


def _nearest_date(ref: dt.date, month: int, day: int, future: bool) -> dt.date | None:
    """The occurrence of day/month nearest to ref (ties: past); with `future`, the next on/after ref."""
    cands = [dt.date(y, month, day) for y in (ref.year - 1, ref.year, ref.year + 1) if _valid_day(y, month, day)]
    if not cands:
        return None
    if future:
        after = [c for c in cands if c >= ref]
        return min(after) if after else None
    return min(cands, key=lambda c: (abs((c - ref).days), c > ref))


def _nearest_month(ref: dt.date, month: int, future: bool) -> tuple[int, int]:
    """(year, month) of the month occurrence nearest to ref's month (ties: past)."""
    cands = [(y, month) for y in (ref.year - 1, ref.year, ref.year + 1)]
    ref_idx = ref.year * 12 + ref.month
    if future:
        return min(c for c in cands if c[0] * 12 + c[1] >= ref_idx)
    return min(cands, key=lambda c: (abs(c[0] * 12 + c[1] - ref_idx), c[0] * 12 + c[1] > ref_idx))


def _weekday_date(ref: dt.date, weekday: int, direction: str) -> dt.date:
    """The `weekday` relative to ref: 'past' on/before, 'before' strictly, 'future' on/after, 'after' strictly."""
    back = (ref.weekday() - weekday) % 7
    fwd = (weekday - ref.weekday()) % 7
    if direction == "past":
        return ref - dt.timedelta(days=back)
    if direction == "before":
        return ref - dt.timedelta(days=back or 7)
    if direction == "future":
        return ref + dt.timedelta(days=fwd)
    return ref + dt.timedelta(days=fwd or 7)


def _number(word: str, lang: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS[lang].get(word.lower())


def _unit(word: str) -> str:
    """Normalise a period word to day/week/month/year."""
    w = word.lower()
    for unit, prefixes in (("day", ("tag", "day", "jour")), ("week", ("woche", "week", "semaine")),
                           ("month", ("monat", "month", "mois")), ("year", ("jahr", "year", "an", "année"))):
        if any(w.startswith(p) for p in prefixes):
            return unit
    return "day"


def _offset_value(ref: dt.date, unit: str, delta: int) -> str:
    """The value of "delta units from ref" at that unit's granularity."""
    if unit == "day":
        return (ref + dt.timedelta(days=delta)).isoformat()
    if unit == "week":
        return _iso_week(ref + dt.timedelta(weeks=delta))
    if unit == "month":
        y, m = _shift_month(ref.year, ref.month, delta)
        return f"{y:04d}-{m:02d}"
    return f"{ref.year + delta:04d}"


# --------------------------------------------------------------------------- builders


@dataclass(frozen=True)
class _Ctx:
    text: str
    lang: str
    ref: dt.date | None


def _fact(ctx: _Ctx, m: re.Match[str], kind: str, **kw: object) -> DateFact:
    start, end = m.span()
    return DateFact(start=start, end=end, text=ctx.text[start:end], kind=kind, **kw)  # type: ignore[arg-type]


def _month_of(raw: str, lang: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    return _lookup(_month_table(lang, True), raw)


def _build_date(ctx: _Ctx, m: re.Match[str], month_first: bool = False) -> DateFact | None:
    gd = m.groupdict()
    day_raw, month_raw = gd["d"], gd["m"]
    if month_first and int(month_raw) > 12 >= int(day_raw):  # "28/02/2023" written day-first
        day_raw, month_raw = month_raw, day_raw
    month = _month_of(month_raw, ctx.lang)
    day = int(day_raw)
    if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    weekday = _lookup(_weekday_table(ctx.lang), gd["wd"]) if gd.get("wd") else None
    if gd.get("y"):
        year = _year4(gd["y"])
        if not _valid_day(year, month, day):
            return None
        return _fact(ctx, m, "date", value=dt.date(year, month, day).isoformat(), weekday=weekday)
    if not _valid_day(2000, month, day):  # 2000 is a leap year: 29 Feb is fine here
        return None
    partial = f"--{month:02d}-{day:02d}"
    if ctx.ref is None:
        return _fact(ctx, m, "date", weekday=weekday, partial=partial)
    d = _nearest_date(ctx.ref, month, day, _future(ctx.text, *m.span(), ctx.lang))
    return _fact(ctx, m, "date", value=d.isoformat() if d else None, resolved=d is not None,
                 weekday=weekday, partial=partial)


def _build_time(ctx: _Ctx, m: re.Match[str]) -> DateFact | None:
    gd = m.groupdict()
    h = int(gd["h"])
    mi = int(gd["mi"]) if gd.get("mi") else 0
    ap = (gd.get("ap") or "").lower().replace(".", "")
    if ap:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ap == "pm" else 0)
    if h > 24 or mi > 59:
        return None
    return _fact(ctx, m, "time", value=f"{h % 24:02d}:{mi:02d}")


def _build_ago(ctx: _Ctx, m: re.Match[str]) -> DateFact | None:
    n = _number(m.group("n"), ctx.lang)
    if n is None:
        return None
    unit = _unit(m.group("u"))
    if ctx.ref is None:
        return _fact(ctx, m, "relative")
    return _fact(ctx, m, "relative", value=_offset_value(ctx.ref, unit, -n), resolved=True)


def _build_rel(ctx: _Ctx, m: re.Match[str]) -> DateFact | None:
    delta = _MODS.get(m.group("mod").lower())
    if delta is None:
        return None
    if ctx.ref is None:
        return _fact(ctx, m, "relative")
    return _fact(ctx, m, "relative", value=_offset_value(ctx.ref, _unit(m.group("u")), delta), resolved=True)


def _build_day(ctx: _Ctx, m: re.Match[str]) -> DateFact | None:
    word = _SPACES.sub(" ", m.group("w").lower())
    if word == "hier" and ctx.lang != "fr":
        return None
    delta = _DAY_WORDS.get(word)
    if delta is None:
        return None
    if ctx.ref is None:
        return _fact(ctx, m, "relative")
    return _fact(ctx, m, "relative", value=_offset_value(ctx.ref, "day", delta), resolved=True)


def _build_weekday(ctx: _Ctx, m: re.Match[str]) -> DateFact | None:
    weekday = _lookup(_weekday_table(ctx.lang), m.group("wd"))
    if weekday is None:
        return None
    if ctx.ref is None:
        return _fact(ctx, m, "weekday", weekday=weekday)
    mod = _MODS.get((m.group("mod") or "").lower())
    if mod == -1:
        direction = "before"
    elif mod == 1:
        direction = "after"
    else:
        direction = "future" if _future(ctx.text, *m.span(), ctx.lang) else "past"
    d = _weekday_date(ctx.ref, weekday, direction)
    return _fact(ctx, m, "weekday", value=d.isoformat(), resolved=True, weekday=weekday)


def _build_month(ctx: _Ctx, m: re.Match[str]) -> DateFact | None:
    if not m.group("pre") and not m.group("y"):
        return None  # a bare month name: too often a verb or part of a name
    month = _lookup(_month_table(ctx.lang, False), m.group("m"))
    if month is None:
        return None
    if m.group("y"):
        return _fact(ctx, m, "month", value=f"{int(m.group('y')):04d}-{month:02d}")
    partial = f"--{month:02d}"
    if ctx.ref is None:
        return _fact(ctx, m, "month", partial=partial)
    y, mo = _nearest_month(ctx.ref, month, _future(ctx.text, *m.span(), ctx.lang))
    return _fact(ctx, m, "month", value=f"{y:04d}-{mo:02d}", resolved=True, partial=partial)


def _build_year(ctx: _Ctx, m: re.Match[str]) -> DateFact | None:
    year = int(m.group("y"))
    if m.group("pre"):
        if not YEAR_MIN <= year <= YEAR_MAX:
            return None
    else:
        if not BARE_YEAR_MIN <= year <= BARE_YEAR_MAX:
            return None
        before = ctx.text[max(0, m.start() - 2) : m.start()]
        if _NUMBER_PREFIX_END.search(before):
            return None  # "$2000", "COVID-2019"
        after = ctx.text[m.end() : m.end() + 30]
        if _UNIT_AFTER.match(after):
            return None
        if ctx.lang == "de" and _CAP_WORD_AFTER.match(after) and not _sentence_end_before(after):
            return None
    return _fact(ctx, m, "year", value=f"{year:04d}")


def _sentence_end_before(after: str) -> bool:
    """True when the year ends its sentence (the capital word after it starts the next one)."""
    return bool(_SENTENCE_END_AFTER.match(after))


_BUILDERS: dict[str, Callable[[_Ctx, re.Match[str]], DateFact | None]] = {
    "date": _build_date,
    "date_us": lambda ctx, m: _build_date(ctx, m, month_first=True),
    "time": _build_time,
    "ago": _build_ago,
    "rel": _build_rel,
    "day": _build_day,
    "weekday": _build_weekday,
    "month": _build_month,
    "year": _build_year,
}


# --------------------------------------------------------------------------- API


def extract_dates(text: str, language: str | None, reference: dt.date | None = None) -> list[DateFact]:
    """All date expressions in `text`, in text order, resolved against `reference` when given.

    `language` is "de", "en" or "fr" (None: guessed from stopwords).  `reference` is the
    publication date of the article; see the module docstring for the rules.
    """
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    lang = _lang(text, language)
    ctx = _Ctx(text, lang, reference)
    taken: list[tuple[int, int]] = []
    facts: list[DateFact] = []
    has_digit = _DIGIT.search(text) is not None
    for rule in _rules(lang):
        if rule.needs_digit and not has_digit:
            continue  # no match possible (see _needs_digit)
        if rule.needs_word is not None and not any(word in text for word in rule.needs_word):
            continue  # no match possible (see _needs_word)
        for m in rule.pattern.finditer(text):
            s, e = m.span()
            if s == e or any(s < te and ts < e for ts, te in taken):
                continue
            fact = _BUILDERS[rule.kind](ctx, m)
            if fact is None:
                continue
            taken.append((s, e))
            facts.append(fact)
    facts.sort(key=lambda f: f.start)
    logger.debug("extracted %d dates from %d characters (%s)", len(facts), len(text), lang)
    return facts
