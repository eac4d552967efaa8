"""Helpers shared by the exporters, so every format orders and classifies things the same way."""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from compare.model import ArticleResult, Comparison, Group, Sentence

logger = logging.getLogger(__name__)

__all__ = [
    "article_by_id",
    "conflict_sentence_ids",
    "display_name",
    "fmt_score",
    "groups_by_sentence",
    "ordered_groups",
    "plain",
    "unique_sentences",
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


def display_name(r: ArticleResult) -> str:
    """The most human name we have for an article: its source, else its title, else its id."""
    a = r.article
    return (a.source or "").strip() or (a.title or "").strip() or a.id


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
