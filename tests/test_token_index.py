"""`_TokenIndex.range` (tokens taken from one whole-text pass) equals tokenising the range."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from compare.facts.quote_marks import _scan_quotes
from compare.facts.speakers import _Lex, _TokenIndex, _tokens
from compare.segment import segment
from corpus import textberg_files

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(
    [*ROOT.glob("seeds/*.txt"), *ROOT.glob("eval/heldout/*/*.txt"), *ROOT.glob("tests/data/twin_quotes_*.txt")]
)


def _key(toks: list) -> list[tuple[str, int, int]]:
    return [(t.text, t.start, t.end) for t in toks]


@pytest.mark.parametrize("lang", ["de", "fr"])  # tokenising depends only on `lex.fr`
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_range_equals_direct_tokenisation(path: Path, lang: str) -> None:
    text = path.read_text(encoding="utf-8")
    lex = _Lex(lang)
    spans = _scan_quotes(text)
    index = _TokenIndex(text, spans, lex)
    assert _key(index.toks) == _key(_tokens(text, 0, len(text), spans, lex))
    bounds = {0, len(text)}
    for s in segment(text, None if lang == "any" else lang):
        bounds |= {s.start, s.end}
    for q in spans:
        bounds |= {q.start, q.end}
    rng = random.Random(len(text))
    bounds |= {rng.randrange(len(text) + 1) for _ in range(150)}
    points = sorted(bounds)
    # Each boundary with the next few (sentences, quotation contexts) and a few random ends.
    pairs = [(a, b) for n, a in enumerate(points) for b in points[n : n + 6]]
    pairs += [(a, rng.choice(points)) for a in points for _ in range(3)]  # reversed ranges too
    for start, end in pairs:
        assert _key(index.range(start, end)) == _key(_tokens(text, start, end, spans, lex)), (start, end)


def test_range_straddling_a_word_tokenises_directly() -> None:
    text = "Lu sagte „Hallo“ und l'État ging."
    lex = _Lex("fr")
    spans = _scan_quotes(text)
    index = _TokenIndex(text, spans, lex)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert _key(index.range(start, end)) == _key(_tokens(text, start, end, spans, lex))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_surname_matches_equal_finditer(path: Path) -> None:
    import re

    from compare.facts.quotes import _surname_matches

    text = path.read_text(encoding="utf-8") + " Lala lalala Lalala a-a-a a-a Lus Lu's Lu’s xLu"
    names = {w for w in re.findall(r"[A-ZÄÖÜ][\w'’-]+", text)} | {"a-a", "Lala", "Lu", "la", "s"}
    for surname in sorted(names):
        pattern = rf"(?<!\w){re.escape(surname)}(?:s|'s|’s)?(?!\w)"
        assert list(_surname_matches(text, surname)) == [m.start() for m in re.finditer(pattern, text)], surname


def _whole_text_scan(text: str, quotes: list, lex: _Lex) -> tuple[list, list, list]:
    """The index as it was built before the line cache: one regex pass over the whole text."""
    import re

    from compare.facts.speakers import _append_word

    token_re = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
    toks: list = []
    starts: list[int] = []
    ends: list[int] = []
    k = -1
    for m in token_re.finditer(text):
        pos, end = m.span()
        starts.append(pos)
        ends.append(end)
        while k + 1 < len(quotes) and quotes[k + 1].start <= pos:
            k += 1
        if k >= 0 and pos < quotes[k].end:
            continue
        _append_word(toks, m.group(), pos, lex.fr)
    return toks, starts, ends


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in [*TEXTS, *textberg_files()]]


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_line_scan_equals_whole_text_scan(lang: str) -> None:
    """Scanning line by line (cached per line) gives the whole-text pass's tokens (with
    `low`) and knows which positions a match straddles: no match crosses a "\\n" and the pattern has no
    look-around. Also with quotation lists the scanner would not produce (overlapping,
    spanning lines, starting inside a word, sharing a start)."""
    from compare.facts.quote_marks import _Span
    from compare.facts.speakers import _starts_role

    lex = _Lex(lang)
    rng = random.Random(17)
    texts = _texts()
    texts += ["", "\n", "a\n\nb", "l'État\nd'accord l’Europe\n", "x\n" * 3, texts[0].replace("\n", "\n\n")]
    for text in texts:
        quote_sets = [_scan_quotes(text), []]
        for _ in range(3):
            points = sorted(rng.randrange(len(text) + 1) for _ in range(2 * rng.randrange(1, 12)))
            spans = sorted((_Span(a, max(a, b + rng.randrange(3)), "") for a, b in zip(points[::2], points[1::2])),
                           key=lambda q: q.start)
            quote_sets.append(spans)
        for quotes in quote_sets:
            index = _TokenIndex(text, quotes, lex)
            toks, starts, ends = _whole_text_scan(text, quotes, lex)
            assert [tuple(t) for t in index.toks] == [tuple(t) for t in toks]
            assert index.role_flags == [_starts_role(t.low) for t in toks]
            straddled = {p for a, b in zip(starts, ends) for p in range(a + 1, b)}
            assert [index._straddled(p) for p in range(-1, len(text) + 2)] == [
                p in straddled for p in range(-1, len(text) + 2)
            ]


def test_index_parser_equals_parser_over_range() -> None:
    """`_TokenIndex.parser` (role flags handed over) parses like a `_Parser` over `range`."""
    from compare.facts.speakers import _Parser

    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        lex = _Lex("de")
        spans = _scan_quotes(text)
        index = _TokenIndex(text, spans, lex)
        for s in segment(text, "de"):
            fast, plain = index.parser(s.start, s.end), _Parser(text, index.range(s.start, s.end), lex)
            assert fast.role_starts() == plain.role_starts()
            assert list(fast.clauses()) == list(plain.clauses())
            assert [fast.role_np(i) for i in range(len(fast.toks))] == [plain.role_np(i) for i in range(len(plain.toks))]
