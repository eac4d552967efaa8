"""Names across languages: one transliteration fold, one name key, one role table.

German, English and French spell one person or place differently (Tokajew / Tokayev,
Taschkent / Tashkent, Dschabarow / Jabarov), and call one office by different words
(Außenminister / Secretary of State / chef de la diplomatie). Key terms (alignment),
entities, quotes and quote links all compare names, so they share this module:

* `fold_accents` - ß -> ss, accents stripped (ä -> a, é -> e);
* `fold_word` - the one transliteration fold: accent-free, lower-case (dsch -> j,
  tsch -> ch, sch -> sh, kh -> ch, zh -> sh, ph -> f, ck -> k, ou -> u, w -> v, j -> y,
  ij/iy/yy -> y, an initial s before a vowel -> z); key terms fold with it;
* `name_key` - entity keys: every word folded, doubled letters once;
* `person_key` / `same_person` - speaker keys: the folded last name, and whether two
  names (any language) denote one person (equal or near-equal keys);
* `ROLE_PATTERNS`, `ANY_ROLE_RE`, `MULTI_ROLES`, `ROLE_FAMILIES`, `role_class` - role words (lexicons
  compare/data/<language>/roles.txt and roles_multi.txt) and their classes (Präsident = Staatschef = president; Außenminister = Außenamtschef = Secretary
  of State), with plural forms, and which specific classes a generic role may stand for.

Where the former copies differed, this is their union (checked by the entity and quote
gold, eval/seeds_entities_gold.json and eval/seeds_quotes_gold.json).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from compare.facts.lexicon import lexicon_languages, lexicon_pairs

__all__ = [
    "fold_accents", "fold_word", "name_key", "person_key", "same_person", "SAME_PERSON_MIN_RATIO",
    "ROLE_PATTERNS", "ANY_ROLE_RE", "MULTI_ROLES", "ROLE_FAMILIES", "role_class",
]

SAME_PERSON_MIN_RATIO = 85.0

# Applied in this order to one accent-free, lower-case word.
TRANSLITERATION_FOLDS: tuple[tuple[str, str], ...] = (
    ("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("kh", "ch"), ("zh", "sh"), ("ph", "f"), ("ck", "k"),
    ("ou", "u"), ("w", "v"), ("j", "y"), ("ij", "y"), ("iy", "y"), ("yy", "y"),
)


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_NAME_JOINER = re.compile(r"[-'’]")
_POSSESSIVE = re.compile(r"['’`´]s\b")
_NAME_WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")
_REPEATED = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")
_AFTER_APOSTROPHE = re.compile(r"(?<=['’])(?=\w)")


def fold_accents(s: str) -> str:
    """ß -> ss and accents stripped (ä -> a, é -> e, ï -> i); case is kept."""
    s = s.replace("ß", "ss").replace("ẞ", "SS")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Transliteration fold of one word: lower-case, accent-free, letters and digits only,
    hyphen/apostrophe parts joined ("Kassym-Schomart" -> "kazymshomart")."""
    low = fold_accents(word).lower()
    parts = [_NOT_ALNUM.sub("", p) for p in _NAME_JOINER.split(low)]
    w = "".join("z" + p[1:] if len(p) > 1 and p[0] == "s" and p[1] in "aeiou" else p for p in parts)
    for a, b in TRANSLITERATION_FOLDS:
        w = w.replace(a, b)
    return w


def _words(text: str) -> list[str]:
    """Lower-case, accent-free words of a name, without a possessive 's."""
    text = _POSSESSIVE.sub("", fold_accents(text).lower())
    return _NAME_WORD.findall(text)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Entity key: every word folded, doubled letters once ("Straße" -> "strase"),
    space-separated, so spelling variants of places and organisations meet."""
    folded = (_REPEATED.sub(r"\1", fold_word(w)) for w in _words(text))
    return " ".join(w for w in folded if w)


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """Speaker key: the folded last name, letters only: Tokajew / Tokayev / "Kassym-Jomart
    Tokayev's" -> "tokayev"; "Strauß" -> "strauss" (doubled letters kept)."""
    words = _words(name)
    return _NOT_LETTER.sub("", fold_word(words[-1])) if words else ""


@lru_cache(maxsize=65536)
def same_person(a: str, b: str) -> bool:
    """Whether two names (any language) denote the same person: equal or near-equal last-name keys."""
    ka, kb = person_key(a), person_key(b)
    if not ka or not kb:
        return False
    return ka == kb or fuzz.ratio(ka, kb) >= SAME_PERSON_MIN_RATIO


# --------------------------------------------------------------------------- roles

# Role classes, in the order their words are tried (first match wins: "außenminister" is a
# foreign minister before "\w*minister" makes it a minister). The words are lexicons:
# compare/data/<language>/roles.txt (regex = class) and roles_multi.txt (words = class).
ROLE_CLASSES: tuple[str, ...] = (
    "president", "foreign_minister", "state_secretary", "prime_minister", "chancellor", "secretary_general",
    "minister", "spokesperson", "ambassador", "diplomat", "official", "expert", "monarch", "governor", "mayor",
    "ceo", "politician",
)


def _role_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """One fullmatch pattern per class over every language's role words, in ROLE_CLASSES
    order (classes only a lexicon knows come last)."""
    fragments: dict[str, list[str]] = {}
    for lang in lexicon_languages("roles"):
        for fragment, cls in lexicon_pairs("roles", lang):
            fragments.setdefault(cls, []).append(fragment)
    order = [c for c in ROLE_CLASSES if c in fragments] + [c for c in fragments if c not in ROLE_CLASSES]
    return tuple((re.compile("|".join(fragments[c])), c) for c in order)


def _multi_words(phrase: str) -> tuple[str, ...]:
    """Tokens of a multi-word role, a French elided article on its own: "d'état" -> "d'", "état"."""
    return tuple(t for word in phrase.split() for t in _AFTER_APOSTROPHE.split(word))


# Role words: (fullmatch pattern over one lower-case token or its part after a hyphen, class).
ROLE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = _role_patterns()

# Every role pattern in one: a word none of them fullmatches is rejected in one regex call
# instead of one per class (an alternation fullmatches exactly when one of its branches does).
ANY_ROLE_RE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _cls in ROLE_PATTERNS))

# Multi-word roles, longest first; a French elided article is its own token ("d'", "l'").
MULTI_ROLES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (_multi_words(words), cls)
            for lang in lexicon_languages("roles_multi")
            for words, cls in lexicon_pairs("roles_multi", lang)
        ),
        key=lambda item: -len(item[0]),
    )
)

# A generic role mention may refer to a person linked under a more specific class.
ROLE_FAMILIES: dict[str, frozenset[str]] = {
    "minister": frozenset({"minister", "foreign_minister", "prime_minister"}),
    "official": frozenset({"official", "state_secretary", "spokesperson", "diplomat", "ambassador"}),
    "diplomat": frozenset({"diplomat", "ambassador", "state_secretary", "foreign_minister"}),
    # "der SPD-Politiker" refers back to whoever holds a political office in the article.
    "politician": frozenset(
        {"politician", "minister", "foreign_minister", "prime_minister", "president", "chancellor", "state_secretary",
         "secretary_general"}
    ),
}


def multi_roles(elided: bool = True) -> tuple[tuple[tuple[str, ...], str], ...]:
    """MULTI_ROLES for a tokenizer that keeps French elision marks ("d'") or drops them ("d")."""
    if elided:
        return MULTI_ROLES
    return tuple((tuple(w.rstrip("'’") for w in words), cls) for words, cls in MULTI_ROLES)


@lru_cache(maxsize=16384)
def role_class(low: str) -> str | None:
    """The role class of one lower-case token, or of its part after the last hyphen
    ("us-außenminister" -> "foreign_minister")."""
    for cand in (low, low.split("-")[-1]) if "-" in low else (low,):
        if not ANY_ROLE_RE.fullmatch(cand):
            continue  # no single pattern would match
        for pattern, cls in ROLE_PATTERNS:
            if pattern.fullmatch(cand):
                return cls
    return None
