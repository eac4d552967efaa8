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
* `ROLE_PATTERNS`, `MULTI_ROLES`, `ROLE_FAMILIES`, `role_class` - role words and their
  classes (Präsident = Staatschef = president; Außenminister = Außenamtschef = Secretary
  of State), with plural forms, and which specific classes a generic role may stand for.

Where the former copies differed, this is their union (checked by the entity and quote
gold, eval/seeds_entities_gold.json and eval/seeds_quotes_gold.json).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

__all__ = [
    "fold_accents", "fold_word", "name_key", "person_key", "same_person", "SAME_PERSON_MIN_RATIO",
    "ROLE_PATTERNS", "MULTI_ROLES", "ROLE_FAMILIES", "role_class",
]

SAME_PERSON_MIN_RATIO = 85.0

# Applied in this order to one accent-free, lower-case word.
TRANSLITERATION_FOLDS: tuple[tuple[str, str], ...] = (
    ("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("kh", "ch"), ("zh", "sh"), ("ph", "f"), ("ck", "k"),
    ("ou", "u"), ("w", "v"), ("j", "y"), ("ij", "y"), ("iy", "y"), ("yy", "y"),
)


def fold_accents(s: str) -> str:
    """ß -> ss and accents stripped (ä -> a, é -> e, ï -> i); case is kept."""
    s = s.replace("ß", "ss").replace("ẞ", "SS")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Transliteration fold of one word: lower-case, accent-free, letters and digits only,
    hyphen/apostrophe parts joined ("Kassym-Schomart" -> "kazymshomart")."""
    low = fold_accents(word).lower()
    parts = [re.sub(r"[^a-z0-9]", "", p) for p in re.split(r"[-'’]", low)]
    w = "".join("z" + p[1:] if len(p) > 1 and p[0] == "s" and p[1] in "aeiou" else p for p in parts)
    for a, b in TRANSLITERATION_FOLDS:
        w = w.replace(a, b)
    return w


def _words(text: str) -> list[str]:
    """Lower-case, accent-free words of a name, without a possessive 's."""
    text = re.sub(r"['’`´]s\b", "", fold_accents(text).lower())
    return re.findall(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*", text)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Entity key: every word folded, doubled letters once ("Straße" -> "strase"),
    space-separated, so spelling variants of places and organisations meet."""
    folded = (re.sub(r"(.)\1+", r"\1", fold_word(w)) for w in _words(text))
    return " ".join(w for w in folded if w)


def person_key(name: str) -> str:
    """Speaker key: the folded last name, letters only: Tokajew / Tokayev / "Kassym-Jomart
    Tokayev's" -> "tokayev"; "Strauß" -> "strauss" (doubled letters kept)."""
    words = _words(name)
    return re.sub(r"[^a-z]", "", fold_word(words[-1])) if words else ""


def same_person(a: str, b: str) -> bool:
    """Whether two names (any language) denote the same person: equal or near-equal last-name keys."""
    ka, kb = person_key(a), person_key(b)
    if not ka or not kb:
        return False
    return ka == kb or fuzz.ratio(ka, kb) >= SAME_PERSON_MIN_RATIO


# --------------------------------------------------------------------------- roles

# Role words: (pattern over one lower-case token, or its part after a hyphen qualifier, class).
# First match wins.
ROLE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), c)
    for p, c in (
        (r"(?:bundes|vize)?präsident(?:in|en|innen)?|staatschef(?:in|s)?|staatsoberhaupt(?:s)?|"
         r"presidents?|présidente?s?", "president"),
        (r"au(?:ß|ss)enminister(?:in|s|n|innen)?|au(?:ß|ss)enamtschef(?:in|s)?|chefdiplomat(?:in|en)?",
         "foreign_minister"),
        (r"staatssekretär(?:in|s|e|en)?", "state_secretary"),
        (r"premierminister(?:in|s)?|ministerpräsident(?:in|en)?|regierungschef(?:in|s)?|premiers?",
         "prime_minister"),
        (r"(?:bundes)?kanzler(?:in|s)?|chancellors?|chanceli(?:er|ère)s?", "chancellor"),
        (r"generalsekretär(?:in|s)?|secretary-general", "secretary_general"),
        (r"\w*minister(?:in|s|n|innen)?|ministers?|ministres?|secretary", "minister"),
        (r"\w*sprecher(?:in|s)?|spokes(?:man|woman|person)|porte-parole", "spokesperson"),
        (r"botschafter(?:in|s)?|ambassadors?|ambassadeurs?|ambassadrices?|envoys?|gesandte[rn]?", "ambassador"),
        (r"\w*diplomat(?:in|en)?|diplomats?|diplomates?", "diplomat"),
        (r"beamte[rn]?|beamtin|officials?|responsable|funktionär(?:in|e|s)?", "official"),
        (r"experte|expertin|experten|experts?|analyst(?:in|en)?|analystes?|politologe|politologin|"
         r"forscher(?:in|innen)?|researchers?|chercheur|chercheuse|chercheurs|wissenschaftler(?:in)?|"
         r"professor(?:in)?|professeure?", "expert"),
        (r"könig(?:in)?|kings?|queens?|roi|reine|papst|pope|pape", "monarch"),
        (r"gouverneur(?:in)?|governors?", "governor"),
        (r"bürgermeister(?:in)?|mayors?|maire", "mayor"),
        (r"konzernchef(?:in)?|vorstandschef(?:in)?|firmenchef(?:in)?|ceo|pdg|patron(?:ne)?", "ceo"),
        (r"\w*politiker(?:in)?|politician|politicienne?", "politician"),
    )
)

# Multi-word roles, longest first; a French elided article is its own token ("d'", "l'").
MULTI_ROLES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (("assistant", "secretary", "of", "state"), "state_secretary"),
            (("secretary", "of", "state"), "foreign_minister"),
            (("foreign", "minister"), "foreign_minister"),
            (("foreign", "ministers"), "foreign_minister"),
            (("foreign", "secretary"), "foreign_minister"),
            (("top", "diplomat"), "foreign_minister"),
            (("prime", "minister"), "prime_minister"),
            (("head", "of", "state"), "president"),
            (("chef", "de", "la", "diplomatie"), "foreign_minister"),
            (("ministre", "des", "affaires", "étrangères"), "foreign_minister"),
            (("secrétaire", "d'", "état"), "foreign_minister"),
            (("premier", "ministre"), "prime_minister"),
            (("chef", "de", "l'", "état"), "president"),
            (("secretary", "general"), "secretary_general"),
            (("chief", "executive", "officer"), "ceo"),
            (("chief", "executive"), "ceo"),
            (("secrétaire", "général"), "secretary_general"),
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
        for pattern, cls in ROLE_PATTERNS:
            if pattern.fullmatch(cand):
                return cls
    return None
