"""The entity extractor's fast paths give what the plain versions gave, on real sentences.

`_multi_role_at` looks phrases up by first word, `_gazetteer_pass` tests the first word once
per token, `_rare_name` and `_common` are cached per (word, language), `_common` runs its cheapest test first. Here the plain
versions (a scan of the whole table, the test inside `_gaz_lookup` per span length, no
caches) are swapped back in and `extract_entities` must give the same entities on every
sentence of the seeds, the test stories, the held-out stories, the bench cluster and
the Text+Berg documents.
"""

from __future__ import annotations


import pytest

from compare.facts import entities, entity_passes, gazetteer, person_passes
from compare.facts.entity_doc import _Doc, _Tok
from corpus import real_sentences



def _corpus() -> list[tuple[str, str]]:
    """(sentence, language), distinct, in a fixed order."""
    return real_sentences()


def _PLAIN_COMMON(word: str, lang: str) -> bool:
    """`gazetteer._common` uncached, with its tests in the old order (per form, all three)."""
    g = gazetteer
    low = word.lower()
    if low in g._STOP[lang] or low in g._CAP_STOP:
        return True
    last = low.split("-")[-1]
    if lang == "de":
        for form in {*g._lemmas(last, "de"), *g._lemmas(low, "de")}:
            if g._zipf(form, "de") >= g.COMMON_ZIPF or form.endswith(g._NOUN_SUFFIXES) or g._compound_de(form):
                return True
        return g._derived_from_place(low)
    return g._zipf(low, lang) >= g.COMMON_ZIPF + 0.5 or g._derived_from_place(low)


def _plain_multi_role_at(lows: list[str], i: int, doc: _Doc) -> tuple[int, str] | None:
    for words, cls in person_passes._MULTI_ROLES:
        n = len(words)
        if tuple(lows[i : i + n]) == words and doc.free(i, i + n):
            return n, cls
    return None


def _plain_gazetteer_pass(doc: _Doc) -> None:
    gaz, firsts = entity_passes._gazetteer(), entity_passes._gaz_first_tokens()
    toks = doc.toks
    i = 0
    while i < len(toks):
        t = toks[i]
        if doc.owner[i] >= 0 or not (t.cap or t.text[:1].isdigit()):
            i += 1
            continue
        hit = None
        for n in range(min(6, len(toks) - i), 0, -1):
            if not doc.free(i, i + n) or any(not doc.adjacent(k) for k in range(i + 1, i + n)):
                continue
            hit = entity_passes._gaz_lookup(toks[i : i + n], doc.lang, gaz, firsts)
            if hit:
                kind, canonical = hit
                doc.add(i, i + n, kind, entity_passes.entity_key(canonical), "gazetteer", canonical=canonical)
                i += n
                break
        if not hit:
            i += 1


def _plain_rare_name(t: _Tok, doc: _Doc) -> bool:
    if t.low in person_passes._STOP[doc.lang] or t.low in person_passes._CAP_STOP \
            or person_passes._is_calendar_word(t.low) or t.upper:
        return False
    if person_passes._DIGIT.search(t.text) or person_passes.role_class(t.low):
        return False
    return not _PLAIN_COMMON(t.text, doc.lang) and person_passes._zipf(t.low, doc.lang) < person_passes.COMMON_ZIPF


def _extract_all(corpus: list[tuple[str, str]]) -> list[list[entities.Entity]]:
    return [entities.extract_entities(text, lang) for text, lang in corpus]


def test_fast_paths_extract_the_same_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus()
    assert len(corpus) > 500
    fast = _extract_all(corpus)
    assert sum(map(len, fast)) > 800
    with monkeypatch.context() as m:
        m.setattr(person_passes, "_multi_role_at", _plain_multi_role_at)
        m.setattr(entities, "_gazetteer_pass", _plain_gazetteer_pass)
        m.setattr(person_passes, "_rare_name", _plain_rare_name)
        m.setattr(entity_passes, "_rare_name", _plain_rare_name)
        for module in (gazetteer, person_passes, entity_passes):
            if hasattr(module, "_common"):
                m.setattr(module, "_common", _PLAIN_COMMON)
        plain = _extract_all(corpus)
    assert plain == fast
