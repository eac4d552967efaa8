"""Where, inside each sentence, the sources differ: the spans every report and the app mark.

Discrepancies carry absolute offsets keyed by sentence id (`spans`); renderers need them
relative to the sentence, sorted and non-overlapping, with what differs and why.
Discrepancies come from the engine, from JSON files and from other producers, so this
module checks them itself: an entry that is not a mapping, `spans` that is not a mapping,
a span that is not two whole numbers, a sentence nobody has, a span outside its sentence,
are all skipped (logged at debug level), and a missing or repeated id gets the id every
report gives it (`discrepancy_ids`). Callers need no clean-up of their own.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from compare.model import Comparison, Sentence

__all__ = ["DiffSpan", "diff_spans", "discrepancy_ids", "mark_text", "spans_by_discrepancy", "span_sentences"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DiffSpan:
    """A differing value inside one sentence: `sentence.text[start:end]`."""

    start: int
    end: int
    type: str
    discrepancy: str
    explanation: str


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def discrepancy_ids(discrepancies: Iterable[Any]) -> list[str]:
    """One unique id per discrepancy, in order, so marks, anchors and rows agree.

    A producer's id is kept; a missing, blank or repeated one (or an entry that is not a
    mapping) becomes "D<position>", with a suffix if even that is taken.
    """
    out: list[str] = []
    taken: set[str] = set()
    for n, d in enumerate(discrepancies, start=1):
        raw = d.get("id") if isinstance(d, Mapping) else None
        did = raw.strip() if isinstance(raw, str) else ("" if raw is None or isinstance(raw, bool) else str(raw))
        if not did or did in taken:
            did, k = f"D{n}", 1
            while did in taken:
                k += 1
                did = f"D{n}-{k}"
        taken.add(did)
        out.append(did)
    return out


def _span_map(d: Any) -> Mapping[Any, Any]:
    """A discrepancy's `spans` if it is a mapping (sentence id -> [start, end]), else empty."""
    spans = d.get("spans") if isinstance(d, Mapping) else None
    if spans is None:
        return {}
    if not isinstance(spans, Mapping):
        logger.debug("discrepancy spans %r is not a mapping of sentence id -> [start, end]; ignored", spans)
        return {}
    return spans


def span_sentences(d: Any) -> list[str]:
    """The sentence ids a discrepancy's `spans` names; none when it has no mapping of spans."""
    return [str(sid) for sid in _span_map(d)]


def _offset(value: Any) -> int | None:
    """A character offset: a whole number (an integral float from JSON too), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    return int(value)


def _relative(sentence: Sentence, span: Any) -> tuple[int, int] | None:
    """The absolute [start, end] clamped to the sentence and made relative to it; None when
    it is not a pair of offsets or lies outside the sentence."""
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    start, end = _offset(span[0]), _offset(span[1])
    if start is None or end is None:
        return None
    start, end = max(0, start - sentence.start), min(len(sentence.text), end - sentence.start)
    return (start, end) if start < end else None


def spans_by_discrepancy(c: Comparison) -> dict[str, dict[str, list[DiffSpan]]]:
    """Discrepancy id (see `discrepancy_ids`) -> sentence id -> its valid spans there, each
    discrepancy on its own (so no other discrepancy can hide them)."""
    index = c.sentence_index()
    out: dict[str, dict[str, list[DiffSpan]]] = {}
    for did, d in zip(discrepancy_ids(c.discrepancies), c.discrepancies):
        found: dict[str, list[DiffSpan]] = {}
        out[did] = found
        if not isinstance(d, Mapping):
            logger.debug("discrepancy %s is not a mapping: nothing to mark", did)
            continue
        for key, span in _span_map(d).items():
            sid = str(key)
            sentence = index.get(sid)
            rel = _relative(sentence, span) if sentence is not None else None
            if rel is None:
                logger.debug("discrepancy %s: span %r of sentence %r is unusable; not marked", did, span, sid)
                continue
            found[sid] = [DiffSpan(rel[0], rel[1], _text(d.get("type")), did, _text(d.get("explanation")))]
    return out


def diff_spans(c: Comparison) -> dict[str, list[DiffSpan]]:
    """Sentence id -> its differing spans, in text order; overlaps keep the first (longest) span."""
    found: dict[str, list[DiffSpan]] = {}
    for per_sentence in spans_by_discrepancy(c).values():
        for sid, spans in per_sentence.items():
            found.setdefault(sid, []).extend(spans)
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
