"""The segmenter's fast paths give what the plain code gives, on real text.

`compare.segment` locates pysbd's sentences with `str.find` instead of one compiled regex
per sentence, and splits each distinct paragraph once (rewrites of a story repeat most of
them). Both must leave every span exactly as before.
"""

from __future__ import annotations

import re

import pysbd
import pytest

from compare import segment as seg
from tests.corpus import real_texts

TRICKY_LINES = [
    "Ja. Ja. Ja.",  # the same sentence three times: each must get its own span
    "Er sagte: „Nein.“ Dann: „Nein.“  Und wieder.",
    "Kosten (ca. 3 Mio. $) stiegen um 4,5 %. [Update] Das ist *neu*? Ja!",
    "Lu kam.\u00a0Er ging.\u2009Sie blieb.\u3000Ende.",  # Unicode whitespace between sentences
    "Trailing spaces.   ",
    "   Leading spaces. Then more.",
    "A.B. Meier kam. A.B. Meier ging.",
    "",
]


def _lines() -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for text, lang in real_texts(textberg_limit=2):
        for line in text.splitlines():
            if line.strip():
                seen[line, seg.pysbd_language(lang)] = None
    return list(seen)


def _spans(found: list) -> list[tuple[str, int, int]]:
    return [(s.sent, s.start, s.end) for s in found]


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_tricky_lines_locate_as_pysbd_does(lang: str) -> None:
    plain = pysbd.Segmenter(language=lang, clean=False, char_span=True)
    fast = seg._SpanSegmenter(language=lang, clean=False, char_span=True)
    for line in TRICKY_LINES:
        assert _spans(fast.segment(line)) == _spans(plain.segment(line)), line


def test_locating_matches_pysbd_on_real_lines() -> None:
    lines = _lines()
    assert len(lines) > 500  # the material is there
    plain: dict[str, pysbd.Segmenter] = {}
    for line, lang in lines:
        ref = plain.setdefault(lang, pysbd.Segmenter(language=lang, clean=False, char_span=True))
        assert _spans(seg._segmenter(lang).segment(line)) == _spans(ref.segment(line)), line


def test_locating_repeated_and_empty_sentences() -> None:
    text = "Ja.  Ja. Nein.\tJa."
    assert _spans(seg.locate_sentences(text, ["Ja.", "Ja.", "Nein.", "Ja."])) == [
        ("Ja.  ", 0, 5), ("Ja. ", 5, 9), ("Nein.\t", 9, 15), ("Ja.", 15, 18)]
    # a sentence pysbd altered (not in the text) is dropped, as pysbd's regex scan drops it
    assert _spans(seg.locate_sentences(text, ["Ja.", "Vielleicht.", "Nein."])) == [("Ja.  ", 0, 5), ("Nein.\t", 9, 15)]
    # an empty sentence takes pysbd's own regex path
    for prior in (["Ja."], []):
        expected = pysbd.Segmenter.sentences_with_char_spans(_Text(text), [*prior, ""])
        assert _spans(seg.locate_sentences(text, [*prior, ""])) == _spans(expected)


class _Text:
    """What pysbd's locating method reads off a segmenter."""

    def __init__(self, text: str) -> None:
        self.original_text = text


def test_paragraph_cache_leaves_segments_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = real_texts(textberg_limit=1)
    cached = [seg._segment_uncached(text, lang) for text, lang in texts]
    assert seg._line_spans_cached.cache_info().currsize > 0
    monkeypatch.setattr(seg, "LINE_CACHE_MAX_CHARS", -1)  # nothing is cached: every paragraph split afresh
    plain = [seg._segment_uncached(text, lang) for text, lang in texts]
    assert cached == plain


def test_long_paragraphs_are_not_cached() -> None:
    line = "Ein Satz über nichts. " * (seg.LINE_CACHE_MAX_CHARS // 10)
    before = seg._line_spans_cached.cache_info()
    spans = seg._segment_uncached(line.strip(), "de")
    assert len(spans) == len(re.findall(r"Satz", line))
    after = seg._line_spans_cached.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)


def test_one_sentence_gate_changes_no_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines() + [(line, lang) for line in TRICKY_LINES for lang in ("de", "en", "fr")] + [
        ("Er sagte: „Wir kommen!“ »Ja.« (Fortsetzung)…", "de"),
        ("Der Satz endet ohne Punkt", "de"),
        ("Endet mit Ausrufen!!! «", "fr"),
        ("U.S. officials said so.", "en"),
    ]
    gated = {(line, lang): seg._sentence_spans(line, lang) for line, lang in lines}
    fired = sum(seg._one_sentence(line) for line, _ in lines)
    assert fired > 100  # the gate is exercised on real paragraphs
    assert not seg._one_sentence("U.S. officials said so.")  # an inner mark: pysbd decides
    monkeypatch.setattr(seg, "_one_sentence", lambda line: False)
    for key, spans in gated.items():
        assert seg._sentence_spans(*key) == spans, key[0]
