"""Number forms: the vocabulary and patterns of written figures, and how digits are read.

The typed result (`NumberFact`), the words and symbols of scales, currencies, percentages,
qualifiers and number words (from compare/data/<language>/ lexicons), the regex building
they need, and locale-aware parsing of digit tokens. `numbers` extracts figures with
them; `number_compare` compares figures. Rules: the `numbers` module docstring.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Sequence

from babel.numbers import NumberFormatError, parse_decimal

from compare.facts.lexicon import lexicon, lexicon_languages, lexicon_pairs

logger = logging.getLogger(__name__)


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
for _name, _words in {
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
        _NOUN_CONCEPTS[_word] = _name


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


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)
