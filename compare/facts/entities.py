"""Named entities in news text (German, English, French) without a statistical NER model.

Outlets covering one event name the same people, places and organisations in different
spellings and languages ("Tokajew"/"Tokayev", "Taschkent"/"Tashkent", "UN-Vollversammlung"/
"UN General Assembly").  No German NER model is available offline, so `extract_entities`
combines lexicons with capitalisation and word-frequency evidence, and `entity_key` /
`same_entity` make spellings from different languages meet.

Split by job: `gazetteer` holds the known names, lexicons and keys (`entity_key` and
`same_entity` are re-exported here), `entity_doc` the tokens and claimed spans,
`entity_passes` and `person_passes` the passes below; this module resolves roles and runs the extraction.

Extraction passes (a token belongs to at most one entity; earlier passes win)
---------------------------------------------------------------------------
1. Datelines: an all-caps word opening a line before a dash ("ASTANA –") -> place.
2. Codes: letters glued to digits ("G20", "C5+1", the "G20" of "G20-Außenministertreffen")
   -> other.
3. Organisation keywords: a keyword that ends a name (Consortium, Endowment, University,
   Universität, Université, Institute, Foundation, Stiftung, Bank, Group, Corporation, Inc.,
   Ltd, AG, GmbH, Council, Commission, Ministry, Department, Party, FC, Club, ...) with the
   capitalised words before it, and "of/for/für/de/du/des" + capitalised words after it
   ("Carnegie Endowment for International Peace", "University of Pittsburgh", "Astana FC").
   A keyword alone ("die Bank") is no name.
4. Gazetteer (longest match, German -s/-es/-n/-en endings stripped: "Kasachstans",
   "Vereinigten Staaten", "Niederlanden"): countries from pycountry in en/de/fr (name, common
   and official names, and their translations); a built-in list of cities, regions and exonyms
   (Astana, Taschkent/Tashkent/Tachkent, Neu-Delhi/New Delhi, Moskau/Moscow, Peking/Beijing/
   Pékin, Zentralasien/Central Asia, ...); the German Länder and US states; and the cities of
   the time-zone database with Babel's German/French names (Riad/Riyad, Bischkek/Bichkek),
   less island/Antarctic zones and names that are ordinary words or first names -> place.
   Known organisations (UN, NATO, EU, UN-Generalversammlung/UN General Assembly, State
   Department/US-Außenministerium, Kreml, Gazprom, Transneft, Chevron, ...) -> organisation.
   Aliases of two or three letters ("US", "UK", "EU") match only in capitals, and a word the
   alias capitalises must be capitalised in the text.
4b. Adjective names: in German a capitalised adjective inside a sentence only occurs in names,
   so "Eurasische Entwicklungsbank", "Internationalen Währungsfonds", "Frankfurter Börse"
   (adjective + a noun ending in -bank/-fonds/-börse/-union/-partei/...) -> organisation; in
   French a capitalised organisation noun followed by lower-case adjectives and "de" phrases
   ("Fonds monétaire international", "Banque eurasienne de développement", "Bourse de
   Francfort") -> organisation.
5. Roles (de/en/fr role words: Präsident, Staatschef, Außenminister, Außenamtschef,
   Staatssekretär, Kanzler, Minister, Diplomat, Beamter, Experte, Secretary of State, foreign
   minister, President, top diplomat, ministre, président, ...), with a hyphen qualifier in the
   word ("US-Außenminister") or a written "US"/"U.S." before an English role.
6. Persons: a role directly followed by capitalised name words ("Präsident Kassym-Schomart
   Tokajew", "Staatssekretär Lu"); a known first name (a small multilingual list) followed by
   capitalised name words ("Antony Blinken", "Jennifer Brick Murtazaschwili"); a courtesy
   title (Mr, Frau, M., ...) followed by a name; a well-known surname from a short list
   ("Putin", "Selenskyj").
7. Organisations after a trigger noun: "US-Konzern Chevron", "Staatsunternehmen „Transneft“",
   "energy company X", "la société X"; a quoted title after the trigger is one name even when
   it contains a city ("Zeitung „Wetschernij Bischkek“"); in English/French a capitalised
   trigger inside a sentence is part of the name ("Agence France-Presse").
8. Acronyms in capitals (2-6 letters, not a place, not a Roman numeral) -> organisation; an
   acronym equal to the initials of an organisation in the same text ("Caspian Pipeline
   Consortium (CPC)") shares its key.
9. Reported speech: a rare capitalised word right before a speech verb ("Lu verwies",
   "Murtazaschwili sagte") or after "so"/"laut"/"said"/"according to" -> person.
10. Propagation: later (and earlier) mentions of a person's last name, also in the German
   genitive ("Blinkens") or English possessive, and of organisation names found by rule 3/7/8
   -> the same kind and key ("Tokajew" merges with "Kassym-Schomart Tokajew").
11. Anything else name-like -> other: in English/French a capitalised word inside a sentence
   (or a rare one opening it); in German (where every noun is capitalised) a word that is rare
   (wordfreq zipf < 3), is no compound of common German words, has no noun suffix (-ung,
   -heit, -keit, -schaft, -tion, ...) and does not derive from a place name ("Zentralasiaten").
   Demonyms and adjectives are never entities ("kasachisch", "amerikanische" are lower case;
   "Central Asian", "Russian" are skipped, with the capitalised words before them).

Roles are resolved to a person (`role_of`, the longest form of that person's name in the
article) when the person follows directly ("Außenminister Antony Blinken"), stands in an
apposition ("der US-Staatssekretär für Süd- und Zentralasien, Donald Lu," / "Donald Lu, der
führende US-Diplomat"), or - for a singular role after a definite determiner ("der
Staatschef", "so der US-Außenminister", "dem Beamten", "the president", "America's top
diplomat") - when a person was linked to the same role class (or a more specific class of a
generic role: a "Diplomat" may be the foreign minister) with a compatible country qualifier;
the most recent such person before the mention wins, else the first after it.  Plurals
("Außenministern", "foreign ministers"), "kein/ein/a" roles and German genitive attributes
("Treffen der Außenminister") stay unresolved.

Keys
----
`entity_key` lower-cases, strips accents and folds transliterations so that German, English
and French spellings meet: ß -> ss, umlauts -> base letters, "-"/apostrophes removed,
dsch -> j, tsch -> ch, sch -> sh, kh -> ch, j -> y, w -> v (everywhere: both sides of a
comparison are folded alike, so "Washington" -> "vashington" costs nothing), "ij"/"iy"/"yy"
-> "y", ph -> f, ck -> k, an initial s before a vowel -> z (German "Selenskyj" = "Zelensky"),
repeated letters collapsed.  A known place or organisation alias becomes its canonical English
name first ("Moskau" -> key of "Moscow"), and a person's key is the last name only.
`same_entity` is: equal keys, or rapidfuzz ratio >= 85 on the keys - unless both are known
aliases of different canonical entities ("Austria"/"Australia").
"""

from __future__ import annotations

import logging
import re

from compare.facts.entity_doc import Entity, _Doc, _Span, _tokenize
from compare.facts.entity_passes import (
    _acronyms,
    _adjective_names,
    _codes,
    _datelines,
    _gazetteer_pass,
    _hyphen_compounds,
    _org_keywords,
    _org_triggers,
    _others,
    _propagate,
)
from compare.facts.gazetteer import (
    SAME_ENTITY_MIN_RATIO,
    _DEFINITE,
    _LANGS,
    _STOP,
    _is_plural_role,
    entity_key,
    same_entity,
)
from compare.facts.names import ROLE_FAMILIES, role_class
from compare.facts.person_passes import _persons, _qualifier, _roles, _speech_persons

logger = logging.getLogger(__name__)

__all__ = ["Entity", "extract_entities", "entity_key", "same_entity", "KINDS", "SAME_ENTITY_MIN_RATIO"]

KINDS = ("person", "place", "organisation", "role", "other")


# --------------------------------------------------------------------------- role resolution


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_TRAILING_S = re.compile(r"(?<=\w)s$")
_CLAUSE_END = re.compile(r"\s*[,.;)]")
_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")
_ORDINAL_DOT_END = re.compile(r"\d\.\s*$")
_LETTERS = re.compile(r"[^\W\d_]+")


def _resolve_roles(doc: _Doc) -> None:
    by_key: dict[str, str] = {}
    for s in doc.spans:
        if s.kind == "person":
            name = doc.text[s.start : s.end]
            name = _TRAILING_S.sub("", name) if s.via == "propagated" and len(name.split()) == 1 else name
            if len(name) > len(by_key.get(s.key, "")):
                by_key[s.key] = name
    persons = sorted((s for s in doc.spans if s.kind == "person"), key=lambda s: s.i)
    roles = sorted((s for s in doc.spans if s.kind == "role"), key=lambda s: s.i)
    for r in roles:
        if r.person_key is None:
            r.person_key = _apposition(doc, r, persons, roles)
        if r.qualifier is None:
            r.qualifier = _qualifier_before(doc, r)
    links = [(r.i, r.role_class, r.qualifier, r.person_key) for r in roles if r.person_key]
    for r in roles:
        if r.person_key is None and _definite_singular(doc, r):
            r.person_key = _antecedent(r, links)
        if r.person_key:
            r.role_of = by_key.get(r.person_key)


def _apposition(doc: _Doc, role: _Span, persons: list[_Span], roles: list[_Span]) -> str | None:
    """'…Staatssekretär für Süd- und Zentralasien, Donald Lu,' / 'Donald Lu, der führende US-Diplomat'."""
    toks = doc.toks
    if _is_plural_role(toks[role.j - 1].low, doc.lang) or _negated(doc, role):
        return None
    sent_end = _sentence_end(doc, role.j)
    for p in persons:
        if role.j <= p.i < min(role.j + 14, sent_end) and "," in toks[p.i].gap_before:
            if any(role.j <= r.i < p.i for r in roles):
                break
            nxt = toks[p.j].gap_before if p.j < len(toks) else "."
            if _CLAUSE_END.match(nxt) or p.j >= sent_end:
                return p.key
    # person, (det) (adj)* role
    k = role.i - 1
    while k >= 0 and toks[k].low in _DEFINITE[doc.lang] | {"a", "an", "un", "une", "ein", "eine"} \
            or k >= 0 and not toks[k].cap and toks[k].low.isalpha() and role.i - k <= 3 and "," not in toks[k + 1].gap_before:
        k -= 1
    if k >= 0 and "," in toks[k + 1].gap_before and doc.owner[k] >= 0:
        span = doc.spans[doc.owner[k]]
        if span.kind == "person" and span.j == k + 1:
            return span.key
    return None


def _sentence_end(doc: _Doc, i: int) -> int:
    toks = doc.toks
    while i < len(toks):
        if _SENTENCE_BREAK.search(toks[i].gap_before) and not _ORDINAL_DOT_END.search(toks[i].gap_before):
            return i
        i += 1
    return len(toks)


def _negated(doc: _Doc, role: _Span) -> bool:
    k = role.i - 1
    steps = 0
    while k >= 0 and steps < 3:
        low = doc.toks[k].low
        if low in {"kein", "keine", "keinen", "keinem", "no", "aucun", "aucune", "ein", "eine", "einen",
                   "einem", "a", "an", "un", "une"}:
            return True
        if doc.toks[k].cap and role_class(low) is None and low not in _DEFINITE[doc.lang]:
            break
        k -= 1
        steps += 1
    return False


def _qualifier_before(doc: _Doc, role: _Span) -> str | None:
    """A country written before the role: 'Kasachstans Präsident', "Kazakhstan's President", 'amerikanische'."""
    k = role.i - 1
    steps = 0
    while k >= 0 and steps < 3 and doc.adjacent(k + 1):
        t = doc.toks[k]
        if doc.owner[k] >= 0 and doc.spans[doc.owner[k]].kind == "place":
            return doc.spans[doc.owner[k]].canonical
        q = None if t.cap and doc.lang == "de" else _qualifier(t.text)
        if q:
            return q
        if t.cap:
            break
        k -= 1
        steps += 1
    return None


def _definite_singular(doc: _Doc, role: _Span) -> bool:
    """Whether a role mention refers to one specific person ('der Staatschef', 'the president')."""
    toks = doc.toks
    if _is_plural_role(toks[role.j - 1].low, doc.lang) or _negated(doc, role):
        return False
    k = role.i - 1
    adjectives = 0
    while k >= 0 and toks[k].low not in _DEFINITE[doc.lang] and adjectives < 2 and doc.adjacent(k + 1) \
            and toks[k].low.isalpha() and toks[k].low not in _STOP[doc.lang] \
            and (not toks[k].cap or (doc.lang == "en" and _qualifier(toks[k].text) and doc.owner[k] < 0)):
        k -= 1  # adjectives: "der hochrangige US-Diplomat", "the French president"
        adjectives += 1
    if k < 0 or not doc.adjacent(k + 1):
        return False
    det = toks[k]
    if det.possessive or (doc.owner[k] >= 0 and doc.spans[doc.owner[k]].kind == "place"
                          and (det.possessive or det.low.endswith("s"))):
        return True
    if det.low not in _DEFINITE[doc.lang] and det.text.lower() not in _DEFINITE[doc.lang]:
        return False
    if doc.lang == "de":
        if det.low == "die" and not toks[role.j - 1].low.endswith("in"):
            return False
        if det.low in ("der", "den") and k > 0 and toks[k - 1].cap and doc.adjacent(k) \
                and not toks[k - 1].initial and toks[k - 1].low not in _STOP["de"]:
            return False  # "Treffen der Außenminister": a genitive attribute, often plural
    return True


def _antecedent(role: _Span, links: list[tuple[int, str | None, str | None, str | None]]) -> str | None:
    classes = ROLE_FAMILIES.get(role.role_class or "", frozenset({role.role_class}))
    ok = [(pos, key) for pos, cls, qual, key in links
          if cls in classes and not (qual and role.qualifier and qual != role.qualifier)]
    before = [key for pos, key in ok if pos < role.i]
    if before:
        return before[-1]
    after = [key for pos, key in ok if pos > role.i]
    return after[0] if after else None


# --------------------------------------------------------------------------- API


def _lang(text: str, language: str | None) -> str:
    if language:
        code = language.lower().split("-")[0].split("_")[0]
        if code in _LANGS:
            return code
    words = _LETTERS.findall(text[:5000].lower())
    votes = {lang: sum(w in _STOP[lang] for w in words) for lang in _LANGS}
    return max(_LANGS, key=lambda lang: (votes[lang], lang == "de"))


def extract_entities(text: str, language: str | None) -> list[Entity]:
    """Persons, places, organisations, roles and other names in `text`, in text order.

    `language` is "de", "en" or "fr" (None: guessed from stopwords).  See the module
    docstring for the rules.
    """
    lang = _lang(text, language)
    doc = _Doc(text, lang, _tokenize(text))
    for step in (_datelines, _codes, _hyphen_compounds, _org_keywords, _gazetteer_pass, _adjective_names, _roles,
                 _persons,
                 _org_triggers, _acronyms, _speech_persons, _propagate, _others):
        step(doc)
    _resolve_roles(doc)
    out = [
        Entity(start=s.start, end=s.end, text=text[s.start : s.end], kind=s.kind, key=s.key, role_of=s.role_of)
        for s in sorted(doc.spans, key=lambda s: s.start)
        if s.kind != "dropped"
    ]
    logger.debug("extracted %d entities from %d characters (%s)", len(out), len(text), lang)
    return out
