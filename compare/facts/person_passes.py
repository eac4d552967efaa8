"""The passes that find roles and persons (`entity_passes` runs them in order).

Roles (single words and multi-word titles from `names`, with a country qualifier:
"US-Außenminister", "US Secretary of State"); persons after a role, after a first name
or a title, before a speech verb, and rare capitalised words in name position; initials
and particles ("von", "de") inside names. Small word tests shared with the other passes
(organisation suffixes, French adjectives of place) live here too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compare.facts.entity_doc import _Doc, _Span, _Tok, all_caps
from compare.facts.gazetteer import (
    COMMON_ZIPF,
    MAX_NAME_WORDS,
    NAME_AFTER_ROLE_MAX_ZIPF,
    _ADJ_QUALIFIERS,
    _ARTICLES,
    _CAP_STOP,
    _FAMOUS,
    _FIRST_NAMES,
    _LANGS,
    _MULTI_ROLES,
    _NOUN_SUFFIXES,
    _ORG_CASED_SUFFIXES,
    _ORG_CONNECTORS,
    _ORG_SUFFIXES,
    _ORG_TRIGGERS,
    _SPEECH_BEFORE,
    _SPEECH_VERBS,
    _STOP,
    _TITLES,
    _alias_table,
    _common,
    _derived_from_place,
    _gazetteer,
    _zipf,
)
from compare.facts.names import name_key, role_class


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_DIGIT = re.compile(r"\d")


def _is_org_suffix(t: _Tok) -> bool:
    return t.cap and (t.low in _ORG_SUFFIXES or t.text in _ORG_CASED_SUFFIXES)


def _roles(doc: _Doc) -> None:
    toks = doc.toks
    lows = [t.low for t in toks]
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0:
            continue
        multi = _multi_role_at(lows, i, doc)
        if multi:
            n, cls = multi
            if not all(doc.adjacent(k) for k in range(i + 1, i + n)):
                multi = None
        if multi:
            j = i + n
            cls = multi[1]
        else:
            cls = role_class(t.low)
            if cls is None or not t.cap and doc.lang == "de":
                continue
            if i > 1 and _capitalised_particle(doc, i - 1):
                continue  # "Bruno Le Maire": a surname, not a mayor
            j = i + 1
        start_i = i
        qualifier = None
        if "-" in t.text:
            qualifier = _qualifier(t.text.split("-", 1)[0])
        if doc.lang == "en" and not multi and t.cap and t.low in ("minister", "secretary") and i > 0 \
                and doc.adjacent(i) and doc.owner[i - 1] < 0 and toks[i - 1].cap and not toks[i - 1].initial \
                and _qualifier(toks[i - 1].text) is None and toks[i - 1].low not in _STOP["en"]:
            start_i = i - 1  # "Economy Minister", "Defence Secretary"
            i = start_i
        if i > 0 and doc.adjacent(i) and toks[i - 1].upper and len(toks[i - 1].text) <= 4 \
                and _qualifier(toks[i - 1].text) and doc.lang != "de" and t.cap:
            prev = doc.owner[i - 1]
            if prev < 0 or (doc.spans[prev].kind == "place" and doc.spans[prev].j - doc.spans[prev].i == 1):
                if prev >= 0:
                    doc.drop(prev)
                start_i = i - 1  # "US Secretary of State", like "US-Außenminister"
                qualifier = _qualifier(toks[i - 1].text)
        text = doc.text[toks[start_i].start : toks[j - 1].end]
        doc.add(start_i, j, "role", name_key(text).replace(" ", ""), "role", role_class=cls,
                qualifier=qualifier)


def _multi_roles_by_first() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """_MULTI_ROLES by first word, each list in table order (a per-process constant)."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, cls in _MULTI_ROLES:
        if words:  # an empty phrase never matches: `free` needs at least one token
            index.setdefault(words[0], []).append((words, cls))
    return {first: tuple(entries) for first, entries in index.items()}


_MULTI_ROLES_BY_FIRST = _multi_roles_by_first()


def _multi_role_at(lows: list[str], i: int, doc: _Doc) -> tuple[int, str] | None:
    """The first multi-word role of the table (length, class) that starts at token i on free
    tokens. Why by first word: only phrases starting with token i's word can match there,
    and they keep their table order, so the first hit is the one the whole table gives."""
    for words, cls in _MULTI_ROLES_BY_FIRST.get(lows[i], ()):
        n = len(words)
        if tuple(lows[i : i + n]) == words and doc.free(i, i + n):
            return n, cls
    return None


def _qualifier(word: str) -> str | None:
    """Canonical country of a qualifier word: 'US' -> United States, 'kasachische' -> Kazakhstan."""
    low = word.lower().rstrip(".")
    hit = _alias_table().get(name_key(word))
    if hit and hit[0] == "place":
        return hit[1]
    for stem, canonical in _ADJ_QUALIFIERS:
        if low.startswith(stem) and (len(stem) > 2 or low == stem):
            return canonical
    return None


def _name_tokens(doc: _Doc, i: int, after_role: bool) -> int:
    """How many tokens from i form a person name (0 when none)."""
    toks = doc.toks
    j = i
    while j < len(toks) and j - i < MAX_NAME_WORDS and doc.owner[j] < 0:
        t = toks[j]
        if j > i and not doc.adjacent(j):
            break
        if j > i and _particle(doc, j):
            j += 1  # "Ursula von der Leyen", "Charles de Gaulle"
            continue
        after_first = j > i and (toks[j - 1].low in _FIRST_NAMES or toks[j - 1].low.split("-")[0] in _FIRST_NAMES)
        after_particle = j > i and _particle_before(doc, j)
        if not after_particle and not _person_word(t, doc, first=(j == i), after_role=after_role,
                                                   after_first_name=after_first):
            break
        j += 1
        if t.possessive:
            break
    while j > i and not toks[j - 1].cap:
        j -= 1  # never end on a particle
    return j - i


def _particle_before(doc: _Doc, j: int) -> bool:
    """Whether token j follows a name particle (then even a role word is a surname: "Le Maire")."""
    return doc.toks[j].cap and (doc.toks[j - 1].low in _PARTICLES[doc.lang] or _capitalised_particle(doc, j - 1))


_PARTICLES = {"de": frozenset({"von", "van", "zu", "de", "da", "di", "del", "al"}),
              "en": frozenset({"van", "von", "de", "der", "al", "bin", "ibn", "da", "di", "del", "la", "le"}),
              "fr": frozenset({"de", "du", "la", "le", "d"})}


def _particle(doc: _Doc, j: int) -> bool:
    """A name particle at token j, followed by the rest of the name.

    Lower case ("von der Leyen", "de Gaulle"), or capitalised right after a first name
    ("Marine Le Pen", "Bruno Le Maire").
    """
    toks = doc.toks
    low = toks[j].low
    ok = low in _PARTICLES[doc.lang] or (doc.lang == "de" and low in ("der", "den") and toks[j - 1].low == "von")
    if toks[j].cap and not _capitalised_particle(doc, j):
        return False
    return ok and j + 1 < len(toks) and doc.adjacent(j + 1) and doc.owner[j + 1] < 0 \
        and (toks[j + 1].cap or toks[j + 1].low in ("der", "den"))


def _capitalised_particle(doc: _Doc, j: int) -> bool:
    """'Le' in "Bruno Le Maire": a capitalised particle between a first name and a capitalised word."""
    toks = doc.toks
    return toks[j].text in ("Le", "La", "De", "Du", "Da", "Di", "Van", "Von", "Al") and j > 0 \
        and doc.adjacent(j) and toks[j - 1].low in _FIRST_NAMES and j + 1 < len(toks) \
        and doc.adjacent(j + 1) and toks[j + 1].cap


def _person_word(t: _Tok, doc: _Doc, first: bool, after_role: bool, after_first_name: bool = False) -> bool:
    if not t.cap or t.low in _STOP[doc.lang] or t.low in _CAP_STOP or t.upper and len(t.text) <= 3:
        return False
    if role_class(t.low) is not None or _is_org_suffix(t) or t.low in _ORG_TRIGGERS:
        return False
    if _gazetteer().get((t.low,)) and t.low not in _FIRST_NAMES and t.low not in _FAMOUS:
        return False
    if t.low in _FIRST_NAMES or t.low in _FAMOUS:
        return True
    if _DIGIT.search(t.text) or _is_calendar_word(t.low):
        return False
    if doc.lang == "de":
        limit = NAME_AFTER_ROLE_MAX_ZIPF if after_role and first else 4.0
        if not first and after_first_name:
            limit = 5.5
        return _zipf(t.low, "de") < limit and not (t.low.endswith(_NOUN_SUFFIXES) and _zipf(t.low, "de") > 1.5)
    return _zipf(t.low, doc.lang) < 5.0 or not t.initial


@lru_cache(maxsize=None)
def _calendar_words() -> frozenset[str]:
    from babel.dates import get_day_names, get_month_names

    words: set[str] = set()
    for lang in _LANGS:
        words |= {n.lower() for n in get_month_names("wide", locale=lang).values()}
        words |= {n.lower() for n in get_day_names("wide", locale=lang).values()}
    return frozenset(words)


def _is_calendar_word(low: str) -> bool:
    return low in _calendar_words() or low.rstrip("s") in _calendar_words()


def _add_person(doc: _Doc, i: int, n: int, via: str) -> _Span:
    toks = doc.toks
    return doc.add(i, i + n, "person", _person_key(toks[i + n - 1].text), via)


def _person_key(last_word: str) -> str:
    return name_key(last_word).replace(" ", "")


def _persons(doc: _Doc) -> None:
    toks = doc.toks
    # role + name ("Präsident Tokajew", "Secretary of State Antony Blinken")
    for span in list(doc.spans):
        if span.kind != "role" or span.j >= len(toks) or not doc.adjacent(span.j):
            continue
        if toks[span.j - 1].possessive:
            continue
        at = span.j
        if doc.lang == "fr" and not toks[at].cap and (_fr_adjective(toks[at].low) or _derived_from_place(toks[at].low)) \
                and at + 1 < len(toks) \
                and doc.adjacent(at + 1):
            at += 1  # "le chancelier allemand Olaf Scholz"
            span.qualifier = span.qualifier or _qualifier(toks[at - 1].text)
        if doc.lang == "fr" and toks[at].low in ("de", "des", "du") and at + 2 < len(toks):
            k = at + 1 + (toks[at + 1].low in ("la", "l"))
            if k + 1 < len(toks) and toks[k].cap and doc.owner[k] < 0 and doc.adjacent(k + 1):
                at = k + 1  # "le ministre de l'Économie Robert Habeck": the portfolio, then the name
        n = _name_tokens(doc, at, after_role=True)
        if n:
            person = _add_person(doc, at, n, "role+name")
            span.person_key = person.key
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0 or not t.cap:
            continue
        if t.low in _TITLES and i + 1 < len(toks) and doc.adjacent(i + 1):
            n = _name_tokens(doc, i + 1, after_role=True)
            if n:
                _add_person(doc, i + 1, n, "title+name")
            continue
        if t.low in _FIRST_NAMES or t.low.split("-")[0] in _FIRST_NAMES:
            n = _name_tokens(doc, i, after_role=False)
            if n >= 2:
                _add_person(doc, i, n, "first-name")
    for i, t in enumerate(toks):
        if doc.owner[i] < 0 and t.cap and t.low in _FAMOUS:
            first = i
            while first > 0 and i - first < 2 and doc.adjacent(first) and doc.owner[first - 1] < 0 \
                    and _person_word(toks[first - 1], doc, first=True, after_role=False) \
                    and not toks[first - 1].initial and not _common(toks[first - 1].text, doc.lang):
                first -= 1  # "Sergueï Lavrov": a name word before a known surname
            _add_person(doc, first, i + 1 - first, "famous")


_FR_ADJ_ENDINGS = ("ais", "aise", "ois", "oise", "ain", "aine", "ien", "ienne", "and", "ande", "ol", "ole",
                   "ique", "an", "ane", "èse", "ant", "ante")
_FR_ADJ_WORDS = frozenset("russe belge suisse turque kazakh ouzbek tadjik kirghize turkmène grec grecque".split())


def _fr_adjective(low: str) -> bool:
    """A French adjective placed after a role ("le Premier ministre polonais", "le président sortant")."""
    return low not in _STOP["fr"] and (low in _FR_ADJ_WORDS or low.endswith(_FR_ADJ_ENDINGS)) and len(low) > 3


def _initials(doc: _Doc, span: _Span) -> str:
    return "".join(t.text[0].upper() for t in doc.toks[span.i : span.j]
                   if t.cap and t.low not in _ORG_CONNECTORS)


def _speech_persons(doc: _Doc) -> None:
    toks = doc.toks
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0 or not t.cap or not _rare_name(t, doc):
            continue
        before = toks[i - 1].low if i > 0 else ""
        after = toks[i + 1].low if i + 1 < len(toks) else ""
        if before in _ARTICLES:
            continue  # "the Chancellery said": names of persons take no article
        if (after in _SPEECH_VERBS and doc.adjacent(i + 1)) or before in _SPEECH_BEFORE or \
                (before == "to" and i > 1 and toks[i - 2].low == "according"):
            _add_person(doc, i, 1, "speech")


def _rare_name(t: _Tok, doc: _Doc) -> bool:
    """A capitalised word that is unlikely to be an ordinary word of the language."""
    return _rare_word(t.text, doc.lang)


@lru_cache(maxsize=8192)
def _rare_word(text: str, lang: str) -> bool:
    """`_rare_name` of a token: it reads only the token's text (its `low` and `upper`,
    `all_caps`, derive from it) and the language, against per-process word lists and frequencies, so it is
    cached on those two. Why: `_speech_persons` and `_others` both ask it for every free
    capitalised word, and rewrites repeat the words; bounded at 8192 words."""
    low = text.lower()
    if low in _STOP[lang] or low in _CAP_STOP or _is_calendar_word(low) or all_caps(text):
        return False
    if _DIGIT.search(text) or role_class(low):
        return False
    return not _common(text, lang) and _zipf(low, lang) < COMMON_ZIPF
