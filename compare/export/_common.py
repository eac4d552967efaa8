"""Helpers shared by the exporters, so every format orders and classifies things the same way."""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import replace
from typing import Any, Mapping

from compare.export.highlight import DiffSpan, discrepancy_ids, span_sentences
from compare.model import STATEMENT_QUOTE_KINDS, ArticleResult, Comparison, Group, Sentence

logger = logging.getLogger(__name__)

__all__ = [
    "article_by_id",
    "conflict_sentence_ids",
    "discrepancies_by_sentence",
    "display_name",
    "fmt_score",
    "groups_by_sentence",
    "id_list",
    "merge_adjacent",
    "numbered_discrepancies",
    "ordered_groups",
    "plain",
    "reads_differently",
    "speakers_by_sentence",
    "unique_sentences",
    "with_numbered_discrepancies",
]


def ordered_groups(c: Comparison) -> list[Group]:
    """Groups reported by the most articles first, then the most similar; ties keep engine order."""

    def key(g: Group) -> tuple[int, float]:
        try:
            score = float(g.score)
        except (TypeError, ValueError):
            score = 0.0
        if math.isnan(score):
            score = 0.0
        return (-len(set(g.articles)), -score)

    return sorted(c.groups, key=key)


def article_by_id(c: Comparison) -> dict[str, ArticleResult]:
    """Map article id -> result (sentences, groups and discrepancies refer to articles by id)."""
    return {r.article.id: r for r in c.articles}


# File stems such as "000_390fca3d3418ce8e" (a crawl hash) name nothing a reader knows.
_MACHINE_ID_RE = re.compile(r"[\d_.-]*[0-9a-f]{8,}(?:[_.-][0-9a-f]+)*", re.IGNORECASE)
EXCERPT_WORDS = 6


def display_name(r: ArticleResult) -> str:
    """The most human name we have for an article: its source, else its title, else its
    id, unless the id is a machine hash: then the first words of its text ("Vor dem
    Hintergrund der Ereignisse in …")."""
    a = r.article
    name = (a.source or "").strip() or (a.title or "").strip()
    if name:
        return name
    if not _MACHINE_ID_RE.fullmatch(a.id or ""):
        return a.id
    words = a.text.split()
    if not words:
        return a.id
    return " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")


def groups_by_sentence(c: Comparison) -> dict[str, list[Group]]:
    """Sentence id -> the groups it belongs to (normally one)."""
    out: dict[str, list[Group]] = {}
    for g in c.groups:
        for sid in g.sentences:
            out.setdefault(sid, []).append(g)
    return out


def conflict_sentence_ids(c: Comparison) -> set[str]:
    """Sentences in a conflicting group or named by a discrepancy: they get the conflict colour."""
    ids = {sid for g in c.groups if g.status == "conflict" for sid in g.sentences}
    for d in c.discrepancies:
        sentences = d.get("sentences") if isinstance(d, dict) else None
        if isinstance(sentences, (list, tuple)):
            ids.update(str(s) for s in sentences)
    return ids


def speakers_by_sentence(c: Comparison) -> dict[str, list[str]]:
    """Sentence id -> the people whose statements it carries (direct or partial quotations
    with a resolved speaker, and reported speech), each once, in the order they are named."""
    found: dict[str, list[tuple[int, str]]] = {}
    for q in c.quotes:
        if q.get("kind") in STATEMENT_QUOTE_KINDS and q.get("speaker") and q.get("sentence"):
            span = q.get("speaker_span") or [q.get("start", 0)]
            found.setdefault(str(q["sentence"]), []).append((int(span[0]), str(q["speaker"])))
    for r in c.reported_speech:
        if r.get("speaker") and r.get("sentence"):
            span = r.get("speaker_span") or [0]
            found.setdefault(str(r["sentence"]), []).append((int(span[0]), str(r["speaker"])))
    return {sid: list(dict.fromkeys(name for _, name in sorted(named))) for sid, named in found.items()}


def unique_sentences(c: Comparison, r: ArticleResult, index: dict[str, Sentence]) -> list[Sentence]:
    """The article's unique claims: ids from `c.unique` (by id, or by label), kind "sentence" only.

    Headings and datelines are not claims, so they are dropped even if a producer listed them.
    """
    ids = c.unique.get(r.article.id)
    if ids is None:
        ids = c.unique.get(r.label, [])
    out: list[Sentence] = []
    for sid in ids:
        s = index.get(sid)
        if s is None:
            logger.debug("unique sentence %r of article %r is unknown; skipped", sid, r.article.id)
            continue
        if s.kind == "sentence":
            out.append(s)
    return out


def fmt_score(value: Any) -> str:
    """Two decimals for readable reports; anything non-numeric is shown as is."""
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return plain(value)


def plain(value: Any) -> str:
    """A one-value-to-text fallback for loosely typed dict fields (discrepancies, quotes)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def id_list(value: Any) -> list[str]:
    """A producer's list of ids (sentences, quotes) as strings; a lone id becomes a one-item list."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value if v is not None and plain(v) != ""]
    return [plain(value)]


def numbered_discrepancies(c: Comparison) -> list[dict[str, Any]]:
    """The discrepancies as dicts that all carry a unique id (`highlight.discrepancy_ids`),
    so marks, anchors and rows agree; an entry that is not a mapping becomes its explanation."""
    out: list[dict[str, Any]] = []
    for did, raw in zip(discrepancy_ids(c.discrepancies), c.discrepancies):
        d = dict(raw) if isinstance(raw, Mapping) else {"explanation": raw}
        d["id"] = did
        out.append(d)
    return out


def with_numbered_discrepancies(c: Comparison) -> Comparison:
    """A shallow copy of `c` whose discrepancies went through `numbered_discrepancies`."""
    return replace(c, discrepancies=numbered_discrepancies(c))


def discrepancies_by_sentence(discrepancies: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Sentence id -> the discrepancies naming it (in `sentences` or `spans`), in report order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for d in discrepancies:
        for sid in dict.fromkeys(id_list(d.get("sentences")) + span_sentences(d)):
            out.setdefault(sid, []).append(d)
    return out


def merge_adjacent(spans: list[DiffSpan]) -> list[DiffSpan]:
    """Touching spans as one, so formats whose markers would fuse ("**a****b**") stay valid."""
    out: list[DiffSpan] = []
    for s in spans:
        if out and s.start == out[-1].end:
            out[-1] = replace(out[-1], end=s.end)
        else:
            out.append(s)
    return out


_NON_WORD_RE = re.compile(r"\W+")


def reads_differently(value: Any, normalized: Any) -> bool:
    """Whether a normalised value tells the reader more than the value as written
    ("4.15e+07 USD" for "41,5 Millionen US-Dollar"), not just its lower-cased words (quotes)."""

    def words(x: Any) -> str:
        return _NON_WORD_RE.sub(" ", plain(x)).casefold().strip()

    return bool(words(normalized)) and words(normalized) != words(value)
