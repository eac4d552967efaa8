"""Numbers in news text (German, English, French): extraction with offsets, and comparison.

Two outlets rarely write a figure the same way: "41,5 Millionen US-Dollar", "$41.5 million",
"41,5 Mio. US-Dollar".  `extract_numbers` turns each written figure into a `NumberFact` with a
fully scaled value, a normalised unit and qualifier, and `compare_numbers` decides whether
two facts from aligned sentences agree.  The comparison decides whether editors see a
discrepancy, so it is deliberately conservative: it calls two figures "different" only when
they measure the same kind of thing and cannot both be right.

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
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Sequence

from babel.numbers import NumberFormatError, parse_decimal
from rapidfuzz import fuzz

from compare.facts.lexicon import lexicon, lexicon_languages, lexicon_pairs

logger = logging.getLogger(__name__)

__all__ = ["NumberFact", "extract_numbers", "numbers_equivalent", "compare_numbers"]

ROUNDING_REL_TOL = 0.05  # "rounded" never covers values more than 5 % apart
APPROX_REL_TOL = 0.05  # how far "rund"/"about" may stray from the written value
NOUN_FUZZY_MIN = 70.0  # rapidfuzz ratio at which two counted nouns are one concept
LEFT_WINDOW = 40  # characters searched before a number for a qualifier
PREFIX_CURRENCY_WINDOW = 8  # characters searched before a number for "US$ ", "EUR "
YEAR_MIN, YEAR_MAX = 1500, 2100
_EPS = 1e-9

KINDS = ("money", "percent", "count", "plain", "year", "ordinal")
LOWER_BOUNDS = frozenset({"over", "at_least"})
UPPER_BOUNDS = frozenset({"under", "at_most", "up_to"})


@dataclass(frozen=True)
class NumberFact:
    """One written figure; `text == source[start:end]` is the whole expression as written."""

    start: int
    end: int
    text: str
    value: float  # fully scaled: "41,5 Millionen" -> 41.5e6; vague words: the lower bound
    unit: str | None = None  # USD/EUR/GBP/CHF/RUB/..., percent, percentage_point, basis_point
    counted: str | None = None  # the counted noun as written ("Staaten"), for counts/ordinals
    qualifier: str | None = None  # approx, over, under, at_least, at_most, up_to
    qualifier_text: str | None = None  # the qualifier as written ("über", "more than")
    kind: str = "plain"  # money, percent, count, plain, year, ordinal
    vague: bool = False  # "Zehntausende", "dozens": value..upper is a range
    resolution: float = 0.0  # place value of the last written digit, scaled (0 = exact)
    upper: float | None = None  # exclusive upper bound of a vague amount


# --------------------------------------------------------------------------- vocabulary

_SP = "[ \\t\\u00a0\\u202f]"  # spaces inside one expression (never a line break)
_GAP = f"(?:{_SP}+|-|)"  # between number and scale/unit: space, compound hyphen or nothing
_NOT_LETTER = "(?![^\\W\\d_])"
_GROUP_SPACES = "\u00a0\u202f\u2009'’"
_INLINE_SPACES = " \t\u00a0\u202f"
_TOKEN = re.compile(r"\S+")

# Number words (compare/data/<language>/number_units, number_tens, number_ones: word = value).
def _values(name: str, lang: str) -> dict[str, int]:
    return {word: int(value) for word, value in lexicon_pairs(name, lang)}


_DE_UNITS, _DE_TENS = _values("number_units", "de"), _values("number_tens", "de")
_EN_UNITS, _EN_TENS, _EN_ONES = _values("number_units", "en"), _values("number_tens", "en"), _values("number_ones", "en")
_FR_UNITS, _FR_TENS, _FR_ONES = _values("number_units", "fr"), _values("number_tens", "fr"), _values("number_ones", "fr")
# Words that are numbers in one language but ordinary words in another.
_AMBIGUOUS_WITHOUT_LANGUAGE = frozenset({"elf", "neuf", "sept", "null"})

# Counted only before a scale word: articles ("eine Million") and "several" words.
_ARTICLES = {lang: lexicon("number_articles", lang) for lang in ("de", "en", "fr")}
_SEVERAL = {lang: lexicon("number_several", lang) for lang in ("de", "en", "fr")}

# Lexicons (compare/data/<language>/, "any" = the mixed vocabulary for unknown languages):
# number_scales (regex fragment = multiplier, "language" = billion/trillion by spelling),
# number_vague (regex fragment = lower bound, exclusive upper bound), number_qualifiers.
def _multiplier(value: str) -> float | None:
    return None if value == "language" else float(value)


_SCALES: dict[str | None, list[tuple[str, float | None]]] = {
    lang: [(fragment, _multiplier(value)) for fragment, value in lexicon_pairs("number_scales", lang or "any")]
    for lang in ("de", "en", "fr", None)
}
_VAGUE: dict[str, list[tuple[str, float, float]]] = {
    lang: [
        (fragment, float(bounds.split(",")[0]), float(bounds.split(",")[1]))
        for fragment, bounds in lexicon_pairs("number_vague", lang)
    ]
    for lang in ("de", "en", "fr")
}

# (regex fragment, ISO code); shared by all languages, tried longest first
_CURRENCIES: list[tuple[str, str]] = [
    ("US-Dollars?", "USD"), ("US-\\$", "USD"), ("US\\$", "USD"), ("U\\.S\\.\\s?\\$", "USD"),
    ("U\\.S\\.\\s?dollars?", "USD"), ("US\\s+dollars?", "USD"), ("dollars?\\s+US", "USD"),
    ("dollars?\\s+américains", "USD"), ("American\\s+dollars?", "USD"), ("Dollars?", "USD"),
    ("USD", "USD"), ("\\$", "USD"),
    ("Euros?", "EUR"), ("EUR", "EUR"), ("€", "EUR"),
    ("britische[n]?\\s+Pfund", "GBP"), ("Pfund\\s+Sterling", "GBP"), ("Pfund", "GBP"),
    ("pounds?\\s+sterling", "GBP"), ("pounds?", "GBP"), ("livres?\\s+sterling", "GBP"),
    ("GBP", "GBP"), ("£", "GBP"),
    ("Schweizer\\s+Franken", "CHF"), ("Franken", "CHF"), ("Swiss\\s+francs?", "CHF"),
    ("francs?\\s+suisses", "CHF"), ("CHF", "CHF"), ("SFr\\.", "CHF"),
    ("Rubel", "RUB"), ("roubles?", "RUB"), ("rubles?", "RUB"), ("RUB", "RUB"), ("₽", "RUB"),
    ("Yen", "JPY"), ("JPY", "JPY"), ("¥", "JPY"), ("Yuan", "CNY"), ("Renminbi", "CNY"),
    ("CNY", "CNY"), ("RMB", "CNY"), ("Tenge", "KZT"), ("KZT", "KZT"), ("₸", "KZT"),
    ("Hrywnja", "UAH"), ("hryvnias?", "UAH"), ("UAH", "UAH"), ("₴", "UAH"),
]
_CURRENCY_SYMBOLS = "$€£₽¥₸₴"
_PREFIX_CURRENCIES: list[tuple[str, str]] = [
    ("US-?\\$", "USD"), ("U\\.S\\.\\s?\\$", "USD"), ("\\$", "USD"), ("€", "EUR"), ("£", "GBP"),
    ("₽", "RUB"), ("¥", "JPY"), ("₸", "KZT"), ("₴", "UAH"), ("USD", "USD"), ("EUR", "EUR"),
    ("GBP", "GBP"), ("CHF", "CHF"), ("RUB", "RUB"), ("JPY", "JPY"), ("CNY", "CNY"),
    ("KZT", "KZT"), ("UAH", "UAH"),
]
_PERCENTS: list[tuple[str, str]] = [
    ("%-Punkte[n]?", "percentage_point"), ("Prozentpunkte[n]?", "percentage_point"),
    ("Prozentpunkt", "percentage_point"), ("percentage[- ]points?", "percentage_point"),
    ("points?\\s+de\\s+pourcentage", "percentage_point"),
    ("Basispunkte[n]?", "basis_point"), ("basis\\s+points?", "basis_point"),
    ("points?\\s+de\\s+base", "basis_point"), ("bps", "basis_point"),
    ("Prozent", "percent"), ("%", "percent"), ("percent", "percent"),
    ("per\\s+cent", "percent"), ("pct\\.?", "percent"), ("pour\\s*-?\\s*cent", "percent"),
    ("v\\.\\s?H\\.", "percent"),
]
_MEASURES = ("km/h", "km²", "km2", "km", "kg", "mm", "cm", "m²", "m³", "ha", "kWh", "MWh",
             "GWh", "TWh", "MW", "GW", "°C", "°F", "mph", "lbs", "lb", "ft", "t", "m")

# (literal phrase, normalised qualifier); all languages, longest phrase wins
_QUALIFIERS: list[tuple[str, str]] = [
    pair for lang in lexicon_languages("number_qualifiers") for pair in lexicon_pairs("number_qualifiers", lang)
]

_MONTHS = (
    "Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|"
    "November|Dezember|January|February|March|May|June|July|October|December|"
    "Jan\\.|Feb\\.|Febr\\.|Mär\\.|Mrz\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Okt\\.|Oct\\.|"
    "Nov\\.|Dez\\.|Dec\\.|[jJ]anvier|[fF]évrier|[mM]ars|[aA]vril|[mM]ai|[jJ]uin|[jJ]uillet|"
    "[aA]oût|[sS]eptembre|[oO]ctobre|[nN]ovembre|[dD]écembre"
)
_DATE_PATTERNS = (
    # 9. September (2023) / 9 September / 9th of September / 1er janvier
    f"(?<![\\w.,])\\d{{1,2}}(?:\\.|st|nd|rd|th|er)?\\s*(?:of\\s+)?(?:{_MONTHS})(?!\\w)"
    "(?:,?\\s+\\d{4}(?!\\d))?",
    # 09.03.2023, 9.3.23
    "(?<![\\w.,])(?:0?[1-9]|[12]\\d|3[01])\\.(?:0?[1-9]|1[0-2])\\.(?:\\d{4}|\\d{2})(?![\\d])",
    # 2023-03-09
    "(?<![\\w.,])\\d{4}-\\d{2}-\\d{2}(?!\\d)",
    # 9/11, 24/7, 1/3, 3/9/2023
    "(?<![\\w.,])\\d{1,4}/\\d{1,4}(?:/\\d{1,4})?(?![\\d\\w])",
    # 14:30 (Uhr), 14.30 Uhr, 14 Uhr, 14h30, 8 a.m.
    "(?<![\\w.,])\\d{1,2}:\\d{2}(?::\\d{2})?(?!\\d)(?:\\s*(?:Uhr|h|a\\.m\\.|p\\.m\\.))?",
    "(?<![\\w.,])\\d{1,2}(?:[.:]\\d{2})?\\s*(?:Uhr|a\\.m\\.|p\\.m\\.)(?!\\w)",
    "(?<![\\w.,])\\d{1,2}\\s?h\\s?\\d{2}(?!\\d)",
    # identifiers: G20, C5+1, COVID-19, MH17, A320
    "(?<![\\w$€£])[^\\W\\d_]+-?\\d\\w*(?:[+/]\\d\\w*)*",
)
_DATE_MONTH_FIRST = (
    f"(?<!\\w)(?:{_MONTHS})\\s+\\d{{1,2}}(?:st|nd|rd|th)?(?![\\d\\w])(?:,?\\s+\\d{{4}}(?!\\d))?"
)
_DE_NUMERIC_DATE_NO_YEAR = "(?<![\\w.,])(?:0?[1-9]|[12]\\d|3[01])\\.(?:0?[1-9]|1[0-2])\\.(?=\\s)"

_DE_ORDINAL_NOUNS = frozenset(
    """Jahrhundert Jahrhunderts Jahrtausend Jahrtausends Jahrestag Jahrestages Geburtstag
    Todestag Platz Platzes Mal Weltkrieg Weltkriegs Weltkrieges Stock Stockwerk Klasse Runde
    Liga Bundesliga Quartal Amtszeit Amtsperiode Legislaturperiode Tag Woche Monat Lesung
    Sitzung Spieltag Etappe Auflage Ausgabe Kapitel Artikel Absatz Paragraf Grad Grades
    Parteitag Sanktionspaket Halbjahr Wahlgang Durchgang Versuch Jahrgang Generation""".split()
)
_DE_DETERMINERS = frozenset(
    """der die das den dem des im am zum zur vom beim ins ans aufs sein seine seinem seiner
    seines seinen ihr ihre ihrem ihrer ihres ihren unser unsere unserem unserer unseres
    dieser diese dieses diesem diesen jeder jede jedes jedem jeden""".split()
)
_DE_STOP = frozenset(lexicon("noun_stop_words", "de"))
_EN_STOP = frozenset(lexicon("noun_stop_words", "en"))
_RACE_NOUNS = frozenset({"hurdles", "relays", "heats", "races", "finals", "sprints", "metres", "meters"})
_EN_IRREGULAR_PLURALS = frozenset(
    """people children men women police troops personnel staff cattle sheep fish deer
    aircraft feet teeth mice geese dead wounded injured missing""".split()
)
_FR_STOP = frozenset(lexicon("noun_stop_words", "fr"))

# Concepts for counted nouns across languages (folded spellings).
_NOUN_CONCEPTS: dict[str, str] = {}
for _concept, _words in {
    "state": "staaten staat states state etats etat lander laender land countries country pays "
    "nationen nation nations mitgliedstaaten mitgliedsstaaten",
    "person": "menschen personen leute people persons personnes gens",
    "soldier": "soldaten soldat soldiers soldier soldats troops truppen",
    "dead": "tote toten todesopfer dead deaths morts",
    "injured": "verletzte verletzten injured blesses",
    "child": "kinder children enfants",
    "refugee": "fluchtlinge gefluchtete refugees refugies",
    "year": "jahre jahren jahr years year ans annees",
    "day": "tage tagen tag days day jours jour",
    "month": "monate monaten monat months month mois",
    "week": "wochen woche weeks week semaines semaine",
    "minister": "minister ministers ministres aussenminister",
    "russian": "russen russians russes",
    "century": "jahrhundert jahrhunderts century siecle",
    "time": "mal times time fois",
}.items():
    for _word in _words.split():
        _NOUN_CONCEPTS[_word] = _concept


# --------------------------------------------------------------------------- regex building


def _lang(language: str | None) -> str | None:
    """"de-DE", "EN", "fr_FR" -> two-letter code; unknown languages use the mixed vocabulary (None)."""
    if not language:
        return None
    code = language.strip().lower()[:2]
    return code if code in ("de", "en", "fr") else None


def _langs(lang: str | None) -> tuple[str, ...]:
    return (lang,) if lang else ("de", "en", "fr")


def _named(prefix: str, fragments: Iterable[str]) -> str:
    """Alternation of named groups p0..pN (so `lastgroup` tells which entry matched)."""
    parts = []
    for i, fragment in enumerate(fragments):
        tail = _NOT_LETTER if fragment[-1:].isalpha() else ""
        parts.append(f"(?P<{prefix}{i}>{fragment}{tail})")
    return "|".join(parts)


def _phrase(phrase: str) -> str:
    """A multi-word regex fragment whose spaces match any inline space."""
    return f"{_SP}+".join(phrase.split(" "))


def _longest_first(entries: Iterable[tuple]) -> list[tuple]:
    """Deterministic order for alternations: longer fragments first, ties alphabetical."""
    return sorted(set(entries), key=lambda e: (-len(e[0]), e[0]))


_CURRENCY_ENTRIES = _longest_first(_CURRENCIES)
_QUALIFIER_LOOKUP: dict[str, str] = {phrase: norm for phrase, norm in _QUALIFIERS}
QUALIFIER_MAX_WORDS = max(len(phrase.split()) for phrase in _QUALIFIER_LOOKUP)


@lru_cache(maxsize=8)
def _number_words(lang: str | None) -> dict[str, int]:
    """Spelled-out numbers of one language (or all three, minus cross-language homographs)."""
    words: dict[str, int] = {}
    if lang in ("de", None):
        words.update(_DE_UNITS)
        words.update(_DE_TENS)
        words.update({"hundert": 100, "einhundert": 100, "tausend": 1000, "eintausend": 1000})
        ones = ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
        for unit, stem in enumerate(ones, start=1):
            for tens_word, tens in _DE_TENS.items():
                words[f"{stem}und{tens_word}"] = tens + unit
            if unit > 1:
                words[f"{stem}hundert"] = unit * 100
                words[f"{stem}tausend"] = unit * 1000
    if lang in ("en", None):
        words.update(_EN_UNITS)
        words.update(_EN_TENS)
        for tens_word, tens in _EN_TENS.items():
            for one_word, one in _EN_ONES.items():
                words[f"{tens_word}-{one_word}"] = tens + one
    if lang in ("fr", None):
        words.update(_FR_UNITS)
        words.update(_FR_TENS)
        words.update({"soixante-dix": 70, "quatre-vingt": 80, "quatre-vingts": 80,
                      "quatre-vingt-dix": 90, "soixante et onze": 71})
        for tens_word, tens in _FR_TENS.items():
            words[f"{tens_word} et un"] = tens + 1
            for one_word, one in _FR_ONES.items():
                if one > 1:
                    words[f"{tens_word}-{one_word}"] = tens + one
        for one_word, one in _FR_ONES.items():
            words[f"quatre-vingt-{one_word}"] = 80 + one
        for teen in ("douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"):
            words[f"soixante-{teen}"] = 60 + _FR_UNITS[teen]
            words[f"quatre-vingt-{teen}"] = 80 + _FR_UNITS[teen]
        words["quatre-vingt-onze"] = 91
    if lang is None:
        for word in _AMBIGUOUS_WITHOUT_LANGUAGE:
            words.pop(word, None)
    return words


@lru_cache(maxsize=8)
def _scale_entries(lang: str | None) -> list[tuple[str, float | None]]:
    return _longest_first(_SCALES[lang])


@lru_cache(maxsize=8)
def _vague_entries(lang: str | None) -> list[tuple[str, float, float]]:
    return _longest_first(e for code in _langs(lang) for e in _VAGUE[code])


@lru_cache(maxsize=8)
def _patterns(lang: str | None) -> dict[str, re.Pattern[str]]:
    """All regexes for one language, compiled once."""
    group_chars = "[.,\u00a0\u202f\u2009'’" + (" " if lang == "fr" else "") + "]"
    digits = (
        f"(?<![\\w.,])[-−]?(?:[0-9]{{1,3}}(?:{group_chars}[0-9]{{3}})+(?:[.,][0-9]+)?"
        "|[0-9]+(?:[.,][0-9]+)?)(?![0-9]|[.,][0-9])"
    )
    words = sorted(_number_words(lang), key=lambda w: (-len(w), w))
    word_alt = "|".join(f"{_SP}+".join(re.escape(p) for p in w.split(" ")) for w in words)
    scales = _scale_entries(lang)
    scale_words = [f for f, _ in scales if "(" not in f and len(f.replace("\\.", "").replace("?", "")) > 2]
    articles = [a for code in _langs(lang) for a in _ARTICLES[code]]
    several = [s for code in _langs(lang) for s in _SEVERAL[code]]
    scale_ahead = f"(?={_SP}+(?:{'|'.join(scale_words)}){_NOT_LETTER})"
    atom = "|".join(
        [
            f"(?P<dig>{digits})",
            f"(?P<art>(?<!\\w)(?:{'|'.join(_phrase(a) for a in articles)}){scale_ahead})",
            f"(?P<several>(?<!\\w)(?:{'|'.join(_phrase(s) for s in several)}){scale_ahead})",
            _named("v", [f"(?<!\\w){_phrase(f)}" for f, _, _ in _vague_entries(lang)]),
            f"(?P<word>(?<!\\w)(?:{word_alt})(?![\\w-]))",
        ]
    )
    dates = list(_DATE_PATTERNS)
    if lang in ("en", None):
        dates.append(_DATE_MONTH_FIRST)
    if lang in ("de", None):
        dates.append(_DE_NUMERIC_DATE_NO_YEAR)
    connector = "(?:of|de|d['’]|von|des)"
    scale_alt = _named("s", [f for f, _ in scales])
    currency_alt = _named("c", [f for f, _ in _CURRENCY_ENTRIES])
    prefix_alt = _named("c", [f"(?<![^\\W\\d_]){f}" if f.isalpha() else f for f, _ in _PREFIX_CURRENCIES])
    return {
        "atom": re.compile(atom, re.IGNORECASE),
        "skip": re.compile("|".join(f"(?:{d})" for d in dates)),
        "evidence": re.compile(digits),
        "scale": re.compile(f"{_GAP}(?:{scale_alt})", re.IGNORECASE),
        "scale_of": re.compile(f"{_SP}+{connector}{_SP}+(?:{scale_alt})", re.IGNORECASE),
        "currency": re.compile(f"{_GAP}(?:{currency_alt})", re.IGNORECASE),
        "currency_of": re.compile(f"{_SP}+{connector}{_SP}*(?:{currency_alt})", re.IGNORECASE),
        "percent": re.compile(f"{_GAP}(?:{_named('p', [f for f, _ in _PERCENTS])})", re.IGNORECASE),
        "measure": re.compile(f"{_SP}*(?:{'|'.join(re.escape(m) for m in _MEASURES)})(?![\\w°²³])"),
        "prefix_currency": re.compile(f"(?:{prefix_alt}){_SP}?\\Z"),
        "glued": re.compile("[^\\W\\d_]+"),
        "connector": re.compile(f"{_SP}+{connector}(?={_SP})", re.IGNORECASE),
        "word": re.compile(f"{_SP}+([^\\W\\d_][\\w’'-]*)"),
    }


def _entry_index(match: re.Match[str]) -> int:
    """Index of the named alternative (p0..pN) that matched."""
    return int((match.lastgroup or "x0")[1:])


# --------------------------------------------------------------------------- number parsing


def _separator_evidence(token: str) -> str | None:
    """'comma' if a token can only be comma-decimal ("41,5", "1.250.000"), 'dot' for the reverse."""
    body = token.lstrip("-−")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        return "comma" if body.rfind(",") > body.rfind(".") else "dot"
    if dots:
        return "comma" if dots > 1 else ("dot" if len(body.rsplit(".", 1)[1]) != 3 else None)
    if commas:
        return "dot" if commas > 1 else ("comma" if len(body.rsplit(",", 1)[1]) != 3 else None)
    return None


def _document_convention(text: str, lang: str | None, skip: Sequence[tuple[int, int]]) -> str | None:
    """Which separator is decimal here: the text's unambiguous tokens vote, the language breaks ties."""
    votes = {"comma": 0, "dot": 0}
    for match in _patterns(lang)["evidence"].finditer(text):
        if not _inside(match.start(), skip):
            vote = _separator_evidence(match.group())
            if vote:
                votes[vote] += 1
    if votes["comma"] != votes["dot"]:
        return max(votes, key=votes.__getitem__)
    return {"de": "comma", "fr": "comma", "en": "dot"}.get(lang or "")


def _decimal_separator(body: str, convention: str | None) -> str | None:
    """The decimal separator of a digit token, or None if it only has grouping separators."""
    seps = [c for c in body if c in ".,"]
    if not seps:
        return None
    if "." in seps and "," in seps:
        return seps[-1]
    if len(seps) > 1:
        return None
    sep = seps[0]
    if any(c in _GROUP_SPACES or c == " " for c in body):
        return sep  # "1 000,5": spaces group, so the separator is decimal
    before, after = body.split(sep)
    if len(after) == 3 and before.lstrip("0") and len(before) <= 3:
        # "1.500" / "1,500": grouping unless this text writes decimals with that separator
        return sep if {"comma": ",", "dot": "."}.get(convention or "") == sep else None
    return sep


def _parse_digits(token: str, convention: str | None) -> Decimal | None:
    """Digit token -> Decimal via Babel (strict), the locale chosen from the separators' roles."""
    negative = token[:1] in "-−"
    body = token.lstrip("-−")
    if body.isdigit():
        return -Decimal(body) if negative else Decimal(body)
    decimal_sep = _decimal_separator(body, convention)
    if decimal_sep is None:
        grouping = "," if "," in body else "."
    else:
        grouping = "." if decimal_sep == "," else ","
    locale = "de_DE" if grouping == "." else "en_US"
    normalised = "".join(grouping if (c in _GROUP_SPACES or c == " ") else c for c in body)
    try:
        value = parse_decimal(normalised, locale=locale, strict=True)
    except NumberFormatError:
        logger.debug("not a well-formed number: %r", token)
        return None
    return -value if negative else value


def _resolution(value: Decimal) -> Decimal:
    """Place value of the last written digit; trailing integer zeros may be rounding ("60" -> 10)."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return Decimal(0)
    if exponent < 0:
        return Decimal(1).scaleb(exponent)
    written = "".join(map(str, digits))
    trailing = len(written) - len(written.rstrip("0"))
    if trailing == len(written):  # zero itself
        return Decimal(1)
    return Decimal(1).scaleb(exponent + trailing)


# --------------------------------------------------------------------------- extraction


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


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


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
        if word in _DE_STOP or not re.search("(?:e|en|er|es|em)$", word):
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


# --------------------------------------------------------------------------- comparison


def _fold(word: str) -> str:
    """Lower-case, strip accents, ß -> ss: "Länder" -> "lander"."""
    folded = unicodedata.normalize("NFKD", word.lower().replace("ß", "ss"))
    return "".join(c for c in folded if not unicodedata.combining(c))


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
