"""The extraction passes: each claims spans of a prepared article (`entity_doc._Doc`).

Run in this order by `entities.extract_entities`: datelines, codes, hyphen compounds,
known organisation keywords, the gazetteer (places, organisations), adjective names
("kasachische" -> Kazakhstan), roles, persons (role + name, first name + surname),
organisation triggers, acronyms, persons before speech verbs, propagation of names found
once to their other mentions, and the rest as "other". Roles and persons are found by
`person_passes`. The rules are in the `entities` module docstring.
"""

from __future__ import annotations

import re
from typing import Iterator

from compare.facts.entity_doc import _Doc, _Tok
from compare.facts.gazetteer import (
    COMMON_ZIPF,
    _ARTICLES,
    _CAP_STOP,
    _DEMONYMS,
    _DE_ADJ_ENDINGS,
    _DE_ORG_HEADS,
    _FR_ORG_ADJ_ENDINGS,
    _FR_ORG_HEADS,
    _GENERIC_ACRONYMS,
    _ORG_ACRONYM_PREFIXES,
    _ORG_CASED_SUFFIXES,
    _ORG_CONNECTORS,
    _ORG_HEADS,
    _ORG_SUFFIXES,
    _ORG_TRIGGERS,
    _ROMAN,
    _STOP,
    _alias_table,
    _common,
    _derived_from_place,
    _gaz_first_tokens,
    _gaz_first_tokens_by_length,
    _gazetteer,
    _lemmas,
    _word_strings,
    _zipf,
    entity_key,
)
from compare.facts.names import name_key, role_class
from compare.facts.person_passes import (
    _initials,
    _is_calendar_word,
    _is_org_suffix,
    _rare_name,
)


# --------------------------------------------------------------------------- passes


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_DASH_OR_COMMA = re.compile(r"\s*[–—-]\s|\s*,")
_HYPHEN_BEFORE_WORD = re.compile(r"-(?=[^\W\d_]{3})")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
_OPENING_GAP = re.compile(r"\s*[„“\"«‚‘']?\s*")
_OPENING_QUOTE = re.compile(r"[„“\"«‚‘']")
_CLOSING_QUOTE = re.compile(r"[“”\"»’‘']")
_PUNCT = re.compile(r"[.,;:!?]")
_CAPS_CODE = re.compile(r"[A-ZÄÖÜ]{2,6}")


def _datelines(doc: _Doc) -> None:
    for i, t in enumerate(doc.toks):
        if not (t.upper and len(t.text) >= 3 and (i == 0 or "\n" in t.gap_before)):
            continue
        after = doc.text[t.end : t.end + 4]
        if not _DASH_OR_COMMA.match(after):
            continue
        hit = _gazetteer().get((t.low,))
        canonical = hit[1] if hit else t.text.title()
        doc.add(i, i + 1, "place", entity_key(canonical), "dateline", canonical=canonical)


def _codes(doc: _Doc) -> None:
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0:
            continue
        head = _HYPHEN_BEFORE_WORD.split(t.text)[0]
        if _DIGIT.search(head) and _LETTER.search(head) and head[0].isupper():
            if _gazetteer().get((head.lower(),)):
                continue
            doc.add(i, i + 1, "other", name_key(head).replace(" ", ""), "code", end=t.start + len(head))


def _name_word(t: _Tok, doc: _Doc) -> bool:
    """A capitalised word that may be part of a multi-word organisation name."""
    if not t.cap or t.low in _STOP[doc.lang] or t.low in _CAP_STOP:
        return False
    return not (t.initial and doc.lang != "de" and _zipf(t.low, doc.lang) >= COMMON_ZIPF + 1.5)


def _org_word(t: _Tok, lang: str = "en") -> bool:
    """A word that introduces an organisation name rather than being part of it ("Organisation", "NGO").

    German org nouns ("die Organisation Human Rights Watch") introduce; in English and French
    "International" or "University" are part of the name.
    """
    low = t.low.split("-")[-1]
    return low in _ORG_TRIGGERS or t.text in _GENERIC_ACRONYMS or (lang == "de" and low in _ORG_SUFFIXES)


def _opens_name(t: _Tok, doc: _Doc) -> bool:
    """Whether a sentence-initial capitalised word may open a multi-word name."""
    low = t.low
    return not (low in _STOP[doc.lang] or low in _CAP_STOP or _is_calendar_word(low) or low in _ARTICLES
                or role_class(low) or _org_word(t) or low.endswith("ly") or len(low) < 3)


def _org_keywords(doc: _Doc) -> None:
    toks = doc.toks
    for k, t in enumerate(toks):
        if doc.owner[k] >= 0 or not _is_org_suffix(t):
            continue
        i = k
        while i > 0 and k - i < 4 and doc.adjacent(i) and doc.owner[i - 1] < 0 and _name_word(toks[i - 1], doc) \
                and role_class(toks[i - 1].low) is None and not toks[i - 1].possessive \
                and not _org_word(toks[i - 1], doc.lang):
            prev = toks[i - 1]
            if doc.lang == "de" and (prev.low in _STOP["de"] or (
                    _common(prev.text, "de") and _zipf(prev.low, "en") < 1.0)):
                break  # "der Wettbewerber General Electric": a German noun is no part of the name
            i -= 1
            if toks[i].initial:
                break
        if doc.lang != "de" and k - i >= 1 and i > 0 and doc.adjacent(i) and doc.owner[i - 1] < 0 \
                and toks[i - 1].initial and toks[i - 1].cap and _opens_name(toks[i - 1], doc):
            i -= 1  # "Human Rights Watch criticised": a sentence-initial word of a longer name
        j = k + 1
        while j + 1 < len(toks) and doc.adjacent(j) and toks[j].low in _ORG_CONNECTORS and doc.adjacent(j + 1) \
                and toks[j + 1].cap and doc.owner[j + 1] < 0:
            j += 2
            while j < len(toks) and doc.adjacent(j) and toks[j].cap and doc.owner[j] < 0 \
                    and toks[j].low not in _STOP[doc.lang] and j - k < 8:
                j += 1
        if i == k and j == k + 1:
            continue  # a keyword alone ("die Bank", "the Ministry") is no name
        name = doc.text[toks[i].start : toks[j - 1].end]
        hit = _alias_table().get(name_key(name))
        canonical = hit[1] if hit else None
        doc.add(i, j, "organisation", entity_key(canonical or name), "org-keyword", canonical=canonical)


def _gazetteer_pass(doc: _Doc) -> None:
    gaz, firsts, by_length = _gazetteer(), _gaz_first_tokens(), _gaz_first_tokens_by_length()
    toks = doc.toks
    i = 0
    while i < len(toks):
        t = toks[i]
        if doc.owner[i] >= 0 or not (t.cap or t.text[:1].isdigit()):
            i += 1
            continue
        forms = _lemmas(t.low, doc.lang)
        if not _may_start_alias(forms, firsts):
            i += 1  # no alias starts with this word: `_gaz_lookup` fails for every length
            continue
        hit = None
        for n in range(min(6, len(toks) - i), 0, -1):
            if not any(v in by_length.get(n, ()) for v in forms):
                continue  # no alias of n tokens starts with this word: `_gaz_lookup` would find none
            if not doc.free(i, i + n) or any(not doc.adjacent(k) for k in range(i + 1, i + n)):
                continue
            hit = _gaz_lookup(toks[i : i + n], doc.lang, gaz, firsts)
            if hit:
                kind, canonical = hit
                doc.add(i, i + n, kind, entity_key(canonical), "gazetteer", canonical=canonical)
                i += n
                break
        if not hit:
            i += 1


def _may_start_alias(forms: list[str], firsts: frozenset[str]) -> bool:
    """`_gaz_lookup`'s first test, which reads only the first token: whether some form of
    this word (`_lemmas`) starts a gazetteer alias. Why apart: `_gazetteer_pass` asks it once
    per token instead of once per span length (the free/adjacent tests before it change nothing)."""
    return any(v in firsts for v in forms)


def _gaz_lookup(toks: list[_Tok], lang: str, gaz: dict[tuple[str, ...], tuple[str, str, str]],
                firsts: frozenset[str]) -> tuple[str, str] | None:
    """(kind, canonical) when the tokens spell a gazetteer alias, allowing inflected endings."""
    if not _may_start_alias(_lemmas(toks[0].low, lang), firsts):
        return None
    options = [_lemmas(t.low, lang) if k in (0, len(toks) - 1) else [t.low] for k, t in enumerate(toks)]
    for combo in _product(options):
        hit = gaz.get(combo)
        if hit is None:
            continue
        alias = hit[2]
        if len(alias.replace(".", "")) <= 3 and not "".join(t.text for t in toks).replace(".", "").isupper():
            continue  # "US", "UK", "EU" only in capitals ("Us" is no country)
        alias_words = _word_strings(alias)
        if len(alias_words) == len(toks) and any(a[:1].isupper() and not t.cap for a, t in zip(alias_words, toks)):
            continue  # a word the alias capitalises must be capitalised ("Commission européenne" is fine)
        return hit[0], hit[1]
    return None


def _product(options: list[list[str]]) -> Iterator[tuple[str, ...]]:
    if not options:
        yield ()
        return
    for head in options[0]:
        for rest in _product(options[1:]):
            yield (head, *rest)


def _hyphen_compounds(doc: _Doc) -> None:
    """'UN-Generalversammlung', 'US-Außenministeriums' -> organisation; 'NATO-Gipfel' -> NATO."""
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0 or "-" not in t.text:
            continue
        prefix, head = t.text.split("-", 1)
        head_low = head.lower()
        if prefix.isupper() and len(prefix) >= 2 and any(h in head_low for h in _ORG_HEADS) \
                and role_class(head_low) is None:
            canonical = _known_name(t.text, doc.lang, "organisation")
            doc.add(i, i + 1, "organisation", entity_key(canonical or t.text), "hyphen-org", canonical=canonical)
        elif prefix in _ORG_ACRONYM_PREFIXES and head[:1].isupper() and role_class(head_low) is None:
            hit = _alias_table().get(name_key(prefix))
            canonical = hit[1] if hit else prefix
            doc.add(i, i + 1, "organisation", entity_key(canonical), "org-prefix", canonical=canonical,
                    end=t.start + len(prefix))


def _known_name(text: str, lang: str, kind: str) -> str | None:
    """The canonical name of a known alias, trying the inflected last word's lemmas."""
    table = _alias_table()
    words = text.split(" ")
    for lemma in _lemmas(words[-1].lower(), lang):
        hit = table.get(name_key(" ".join([*words[:-1], lemma])))
        if hit and hit[0] == kind:
            return hit[1]
    return None


def _org_triggers(doc: _Doc) -> None:
    toks = doc.toks
    for i, t in enumerate(toks[:-1]):
        word = t.low.split("-")[-1]
        if not (word in _ORG_TRIGGERS or word.endswith(("konzern", "unternehmen"))):
            continue
        k = i + 1
        gap = toks[k].gap_before
        if not _OPENING_GAP.fullmatch(gap) or doc.owner[k] >= 0 or not toks[k].cap:
            continue
        if doc.lang != "de" and t.cap and not t.initial and doc.owner[i] < 0 and doc.adjacent(k):
            k = i  # "Agence France-Presse", "Groupe Renault": the capitalised trigger is part of the name
        quoted = _quoted_tokens(doc, k) if _OPENING_QUOTE.search(gap) else None
        if quoted:
            for idx in {doc.owner[x] for x in range(k, quoted) if doc.owner[x] >= 0}:
                doc.drop(idx)  # "Zeitung „Wetschernij Bischkek“": the city is part of the title
            name = doc.text[toks[k].start : toks[quoted - 1].end]
            hit = _alias_table().get(name_key(name))
            doc.add(k, quoted, "organisation", entity_key(hit[1] if hit else name), "org-trigger",
                    canonical=hit[1] if hit else None)
            continue
        j = k
        while j < len(toks) and j - k < 3 + (k == i) and doc.owner[j] < 0 and toks[j].cap \
                and (j == k or doc.adjacent(j)) and (j == i or not _common_after_trigger(toks[j], doc)):
            j += 1
        if j == k:
            continue
        if j == k + 1 and k == i:
            continue
        name = doc.text[toks[k].start : toks[j - 1].end]
        hit = _alias_table().get(name_key(name))
        doc.add(k, j, "organisation", entity_key(hit[1] if hit else name), "org-trigger",
                canonical=hit[1] if hit else None)


def _quoted_tokens(doc: _Doc, k: int) -> int | None:
    """One past the last token of a short quoted name opening at token k, or None."""
    toks = doc.toks
    j = k + 1
    while j < len(toks) and j - k <= 5:
        if _CLOSING_QUOTE.search(toks[j].gap_before):
            return j if all(toks[x].cap or toks[x].low in _ORG_CONNECTORS for x in range(k, j)) else None
        if "\n" in toks[j].gap_before or _PUNCT.search(toks[j].gap_before):
            return None
        j += 1
    if j == len(toks) and _CLOSING_QUOTE.search(doc.text[toks[-1].end : toks[-1].end + 2]):
        return j
    return None


def _adjective_names(doc: _Doc) -> None:
    """Names opened by a capitalised adjective: 'Eurasische Entwicklungsbank', 'Fonds monétaire international'."""
    toks = doc.toks
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0:
            continue
        if doc.lang == "de" and t.cap and not t.initial and _de_adjective(t.low) and role_class(t.low) is None:
            j = i + 1
            while j < len(toks) and j - i < 4 and doc.adjacent(j) and doc.owner[j] < 0 and toks[j].cap \
                    and _de_adjective(toks[j].low):
                j += 1
            if j < len(toks) and doc.adjacent(j) and doc.owner[j] < 0 and toks[j].cap \
                    and any(_lemma_endswith(toks[j].low, h) for h in _DE_ORG_HEADS):
                name = doc.text[t.start : toks[j].end]
                canonical = _known_name(name, "de", "organisation")
                doc.add(i, j + 1, "organisation", entity_key(canonical or name), "adjective-org", canonical=canonical)
        elif doc.lang == "fr" and t.cap and not t.initial and t.low in _FR_ORG_HEADS:
            j = i + 1
            while j < len(toks) and j - i < 7 and doc.adjacent(j) and doc.owner[j] < 0:
                low = toks[j].low
                if not toks[j].cap and low.endswith(_FR_ORG_ADJ_ENDINGS) and low not in _STOP["fr"]:
                    j += 1
                elif low in ("de", "du", "des", "d") and j + 1 < len(toks) and j > i + 0:
                    k = j + 1
                    if toks[k].low in ("la", "l") and k + 1 < len(toks):
                        k += 1
                    if toks[k].low in _STOP["fr"] or doc.owner[k] >= 0 and doc.spans[doc.owner[k]].kind != "place":
                        break
                    j = k + 1
                else:
                    break
            if j > i + 1:
                for idx in {doc.owner[x] for x in range(i, j) if doc.owner[x] >= 0}:
                    doc.drop(idx)  # "Bourse de Francfort": the city is part of the name
                name = doc.text[t.start : toks[j - 1].end]
                canonical = _known_name(name, "fr", "organisation")
                doc.add(i, j, "organisation", entity_key(canonical or name), "adjective-org", canonical=canonical)


def _de_adjective(low: str) -> bool:
    """A German inflected adjective ('eurasische', 'internationalen', 'deutsche')."""
    if low.endswith(("ische", "ischen", "ischer", "isches")):
        return True
    return low.endswith(_DE_ADJ_ENDINGS) and _zipf(low, "de") >= 2.5


def _lemma_endswith(low: str, head: str) -> bool:
    return any(form.endswith(head) for form in _lemmas(low, "de"))


def _common_after_trigger(t: _Tok, doc: _Doc) -> bool:
    if t.low in _STOP[doc.lang] or role_class(t.low):
        return True
    return doc.lang == "de" and _zipf(t.low, "de") >= 4.0


def _acronyms(doc: _Doc) -> None:
    orgs = {_initials(doc, s): s.key for s in doc.spans if s.kind == "organisation" and s.j - s.i >= 2}
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0 or not t.upper or not _CAPS_CODE.fullmatch(t.text):
            continue
        if _ROMAN.match(t.text) or t.text in _ORG_CASED_SUFFIXES or t.text in _GENERIC_ACRONYMS \
                or t.text in {"AM", "PM", "OK"}:
            continue
        hit = _alias_table().get(name_key(t.text))
        if hit:
            doc.add(i, i + 1, hit[0], entity_key(hit[1]), "acronym", canonical=hit[1])
            continue
        doc.add(i, i + 1, "organisation", orgs.get(t.text, entity_key(t.text)), "acronym")


def _propagate(doc: _Doc) -> None:
    persons: dict[str, str] = {}
    orgs: dict[str, str] = {}
    for s in doc.spans:
        if s.kind == "person":
            persons.setdefault(doc.toks[s.j - 1].low, s.key)
        elif s.kind == "organisation" and s.j - s.i == 1 and s.via in ("org-trigger",):
            orgs.setdefault(doc.toks[s.i].low, s.key)
    if not persons and not orgs:
        return  # nothing to propagate: the loop below could add no span
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0 or not t.cap:
            continue
        for lemma in _lemmas(t.low, doc.lang):
            if lemma in persons:
                doc.add(i, i + 1, "person", persons[lemma], "propagated")
                break
            if lemma in orgs:
                doc.add(i, i + 1, "organisation", orgs[lemma], "propagated")
                break


def _others(doc: _Doc) -> None:
    toks = doc.toks
    i = 0
    while i < len(toks):
        if doc.owner[i] >= 0 or not _other_word(toks[i], doc):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and j - i < 5 and doc.owner[j] < 0 and doc.adjacent(j) and _other_word(toks[j], doc, inside=True):
            j += 1
        if j < len(toks) and doc.adjacent(j) and (toks[j].low in _DEMONYMS or _derived_from_place(toks[j].low)) \
                and toks[j].cap:
            i = j + 1  # "Central Asian": the words before a demonym belong to it
            continue
        text = doc.text[toks[i].start : toks[j - 1].end]
        doc.add(i, j, "other", name_key(text).replace(" ", ""), "other")
        i = j


def _other_word(t: _Tok, doc: _Doc, inside: bool = False) -> bool:
    if not t.cap or t.low in _STOP[doc.lang] or t.low in _CAP_STOP or _is_calendar_word(t.low):
        return False
    if t.text in _GENERIC_ACRONYMS:
        return False
    if _DIGIT.search(t.text) or role_class(t.low) or t.low in _ORG_TRIGGERS:
        return False
    if doc.lang == "de":
        return _rare_name(t, doc)
    if _derived_from_place(t.low):
        return False
    if t.initial and not inside:
        return _zipf(t.low, doc.lang) < COMMON_ZIPF
    return True
