"""Where, inside each sentence, the sources differ: the spans every report and the app mark.

Discrepancies carry absolute offsets keyed by sentence id (`spans`); renderers need them
relative to the sentence, sorted and non-overlapping, with what differs and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from compare.model import Comparison, Sentence

__all__ = ["DiffSpan", "diff_spans", "mark_text"]


@dataclass(frozen=True)
class DiffSpan:
    """A differing value inside one sentence: `sentence.text[start:end]`."""

    start: int
    end: int
    type: str
    discrepancy: str
    explanation: str


def _relative(sentence: Sentence, span: Any) -> tuple[int, int] | None:
    """The absolute [start, end] made sentence-relative; None when it lies outside the sentence."""
    try:
        start, end = int(span[0]) - sentence.start, int(span[1]) - sentence.start
    except (TypeError, ValueError, IndexError):
        return None
    start, end = max(0, start), min(len(sentence.text), end)
    return (start, end) if start < end else None


def diff_spans(c: Comparison) -> dict[str, list[DiffSpan]]:
    """Sentence id -> its differing spans, in text order; overlaps keep the first (longest) span."""
    index = c.sentence_index()
    found: dict[str, list[DiffSpan]] = {}
    for d in c.discrepancies:
        for sid, span in (d.get("spans") or {}).items():
            sentence = index.get(sid)
            rel = _relative(sentence, span) if sentence is not None else None
            if rel is None:
                continue
            found.setdefault(sid, []).append(
                DiffSpan(rel[0], rel[1], str(d.get("type", "")), str(d.get("id", "")), str(d.get("explanation", "")))
            )
    out: dict[str, list[DiffSpan]] = {}
    for sid, spans in found.items():
        kept: list[DiffSpan] = []
        for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
            if kept and s.start < kept[-1].end:
                continue
            kept.append(s)
        out[sid] = kept
    return out


def mark_text(text: str, spans: list[DiffSpan], plain: Callable[[str], str], mark: Callable[[str, DiffSpan], str]) -> str:
    """`text` with each span passed through `mark` and everything else through `plain`
    (an escaper), so one walk serves HTML, Markdown and anything else."""
    parts: list[str] = []
    pos = 0
    for s in spans:
        if s.start < pos or s.end > len(text):
            continue
        parts.append(plain(text[pos : s.start]))
        parts.append(mark(text[s.start : s.end], s))
        pos = s.end
    parts.append(plain(text[pos:]))
    return "".join(parts)
