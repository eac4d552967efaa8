"""`entity_doc._tokenize` (one set test per character looked back at, the possessive regex
only after an apostrophe, positional `_Tok`) gives the tokens the plain version gave, on every
whole text and sentence of the corpus of `test_dates_fastpaths` and on edge cases; so does
`gazetteer._lemmas` (the endings tested by their last letters)."""

from __future__ import annotations

import re

import pytest

from compare.facts import entity_doc
from compare.facts.gazetteer import _WORD_RE
from tests.test_dates_fastpaths import _corpus

_POSSESSIVE = re.compile(r"['’]s\b")


def _plain_tokenize(text: str) -> list[tuple[object, ...]]:
    """The tokenizer before the fast path, as field tuples."""
    toks = []
    prev_end = 0
    for m in _WORD_RE.finditer(text):
        word, s, e = m.group(0), m.start(), m.end()
        k = s - 1
        while k >= 0 and (text[k] in " \t\u00a0" or text[k] in entity_doc._OPENING):
            k -= 1
        initial = k < 0 or text[k] in ".!?:\n"
        possessive = bool(_POSSESSIVE.match(text[e : e + 3]))
        toks.append((word, s, e, word.lower(), word[0].isupper(),
                     len(word) >= 2 and word.replace(".", "").replace("-", "").isupper(),
                     initial, possessive, text[prev_end:s]))
        prev_end = e
    return [t for i, t in enumerate(toks) if not (t[3] == "s" and t[8] in ("'", "’") and i > 0)]


def _fields(tok: entity_doc._Tok) -> tuple[object, ...]:
    return (tok.text, tok.start, tok.end, tok.low, tok.cap, tok.upper, tok.initial, tok.possessive, tok.gap_before)


EDGES = ["Merz's", "Merz’s Plan", "Merz'", "Lu's", "O'Neill sagte", "„Wir", "(USA) – Die", "Die USA.\nDer",
         "A's b", "x'sy", "Biden’s", "", "«Macron»", "Ende: Die", "Ab\u00a0Montag"]


@pytest.mark.parametrize("text", EDGES)
def test_tokenize_edges(text: str) -> None:
    assert [_fields(t) for t in entity_doc._tokenize(text)] == _plain_tokenize(text)


def test_tokenize_matches_plain_on_corpus() -> None:
    for text, _lang in _corpus():
        assert [_fields(t) for t in entity_doc._tokenize(text)] == _plain_tokenize(text)


def _plain_lemmas(low: str, lang: str) -> list[str]:
    """`gazetteer._lemmas` before the fast path: the loop over the four endings."""
    out = [low]
    if lang == "de" and len(low) > 4:
        for suf in ("s", "es", "n", "en"):
            if low.endswith(suf):
                out.append(low[: -len(suf)])
    return out


def test_lemmas_match_plain_loop() -> None:
    """Every word of up to seven letters over an alphabet holding the endings' letters, and
    the corpus words."""
    import itertools

    from compare.facts.gazetteer import _lemmas

    words = ["".join(p) for n in range(8) for p in itertools.product("aens", repeat=n)]
    words += [m.group(0).lower() for text, _ in _corpus()[:400] for m in _WORD_RE.finditer(text)]
    for word in words:
        for lang in ("de", "en", "fr"):
            assert _lemmas(word, lang) == _plain_lemmas(word, lang), (word, lang)
