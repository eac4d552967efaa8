"""Quotation marks: where quotations open and close, with offsets.

„…“, “…”, "…", »…«, «…», ‘…’ and ‹…›, paired by the typographic conventions of German,
English and French, over several paragraphs when a quotation continues (a paragraph
that opens with a quotation mark and leaves the last one open). `quotes` attributes the
spans found here to speakers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


# --------------------------------------------------------------------------- quotation marks

# opener -> closers
_OPENERS: dict[str, str] = {
    "„": "“”\"",
    "“": "”“",
    "«": "»",
    "»": "«",
    '"': '"',
    "‚": "‘’",
    "‘": "’",
    "‹": "›",
    "›": "‹",
    "'": "'",
}
# The scanners jump from mark to mark (a regex search) instead of testing every character.
_OPENER_RE = re.compile("[" + re.escape("".join(_OPENERS)) + "]")
_CLOSER_RES = {opener: re.compile("[" + re.escape(closers) + "]") for opener, closers in _OPENERS.items()}
_SINGLE = frozenset("‚‘‹›'")
_DOUBLE_OPENERS = frozenset("„“«»\"")
_OPEN_CONTEXT = frozenset("([{<–—―-/:„“‚‘»«›‹\"'")
_SPACES = " \t\u00a0\u202f\u2009"
_SINGLE_MAX_CHARS = 200
_MAX_PARAGRAPHS = 20


@dataclass(frozen=True)
class _Span:
    """A quotation found by the scanner, before classification."""

    start: int
    end: int
    text: str


def _valid_opener(text: str, i: int) -> bool:
    """Whether the mark at `i` opens a quotation (context rules against apostrophes and inches)."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if not nxt or not (prev.isspace() or prev in _OPEN_CONTEXT):
        return False
    if ch == "«":
        return True
    if ch in _SINGLE:
        return nxt.isalpha()
    return not nxt.isspace()


def _valid_closer(text: str, j: int, opener: str) -> bool:
    """Whether the mark at `j` closes a quotation opened by `opener`."""
    prev = text[j - 1]
    nxt = text[j + 1] if j + 1 < len(text) else ""
    if opener in _SINGLE:
        return not prev.isspace() and not nxt.isalnum()
    if opener == "«":
        return True
    if text[j] == opener or (opener == "“" and text[j] == "“"):  # '"…"', sloppy “…“
        return not prev.isspace() and not nxt.isalnum()
    return True


def _paragraph_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _at_paragraph_start(text: str, i: int) -> bool:
    line_start = text.rfind("\n", 0, i) + 1
    return not text[line_start:i].strip()


def _next_paragraph_opener(text: str, para_end: int) -> int | None:
    """Position of a quotation mark opening the next non-blank paragraph, if it opens with one."""
    k = para_end
    while k < len(text) and text[k].isspace():
        k += 1
    if k < len(text) and text[k] in _DOUBLE_OPENERS and text.count("\n", para_end, k) >= 1:
        return k
    return None


def _match(text: str, i: int) -> _Span | None:
    """The quotation opened at `i`, or None when it is never closed."""
    opener = text[i]
    closer_re = _CLOSER_RES[opener]
    limit = _paragraph_end(text, i)
    if opener in _SINGLE:
        limit = min(limit, i + _SINGLE_MAX_CHARS)
    continuations: list[int] = []
    j = i + 1
    while True:
        while (found := closer_re.search(text, j, limit)) is not None:
            j = found.start()
            if _valid_closer(text, j, opener):
                return _Span(i, j + 1, _clean_quote_text(text, i + 1, j, continuations))
            j += 1
        if opener in _SINGLE or not _at_paragraph_start(text, i) or len(continuations) >= _MAX_PARAGRAPHS:
            return None
        k = _next_paragraph_opener(text, limit)
        if k is None:
            return None
        continuations.append(k)
        j, limit = k + 1, _paragraph_end(text, k + 1)


def _clean_quote_text(text: str, start: int, end: int, continuations: Sequence[int]) -> str:
    """The quoted words: inner text without paragraph-continuation marks, trimmed of spaces and a final comma."""
    parts, pos = [], start
    for k in continuations:
        parts.append(text[pos:k])
        pos = k + 1
    parts.append(text[pos:end])
    inner = "".join(parts).strip(_SPACES + "\n")
    return inner[:-1].rstrip(_SPACES) if inner.endswith(",") else inner


def _scan_quotes(text: str) -> list[_Span]:
    """Top-level quotations in `text`, in order."""
    out: list[_Span] = []
    i = 0
    while (found := _OPENER_RE.search(text, i)) is not None:
        i = found.start()
        if _valid_opener(text, i):
            span = _match(text, i)
            if span is not None and span.text:
                out.append(span)
                i = span.end
                continue
        i += 1
    return out
