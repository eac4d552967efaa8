"""The cross-article briefing: what the sources agree on, dispute, report alone, and quote.

Built from a finished `Comparison` only (no models, no randomness), so the same comparison
always gives the same briefing and every line can be traced: each item cites the sentence
ids ("A3", "B5") it stands on, and its text is taken from the sources, never generated.
An abstractive lead paragraph, when wanted, is produced elsewhere and passed in.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from compare.facts.dates import extract_dates
from compare.facts.entities import extract_entities
from compare.facts.numbers import extract_numbers
from compare.model import STATEMENT_QUOTE_KINDS, ArticleResult, Comparison, Group, Sentence

logger = logging.getLogger(__name__)

__all__ = ["Briefing", "BriefingItem", "MAX_CONSENSUS", "build_briefing", "fact_count", "short_source", "source_name"]

MAX_CONSENSUS = 10  # consensus lines a briefing lists at most, most important first (a newsletter, not the full table)

# Figures that carry news (a bare "2" or "3." rarely does).
NUMBER_KINDS = frozenset({"money", "percent", "count", "year"})
# Named entities that count as facts; roles ("der Außenminister") and "other" do not.
ENTITY_KINDS = frozenset({"person", "place", "organisation"})
# A unique sentence shorter than this is a fragment, not a point worth a line.
MIN_UNIQUE_WORDS = 6
MIN_UNIQUE_CHARS = 40

_NUMBER_LABELS = {"money": "Amount", "percent": "Percentage", "count": "Count", "year": "Year"}
_TYPE_LABELS = {
    "number": "Figure",
    "negation": "Negation",
    "date": "Date",
    "entity": "Name",
    "quote": "Quote wording",
    "attribution": "Quote attribution",
}
_ITEM_KEYS = frozenset({"text", "citations", "kind"})


@dataclass
class BriefingItem:
    """One briefing line: text taken from the sources, the sentence ids it cites, and details."""

    text: str
    citations: list[str]
    kind: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "citations": list(self.citations), "kind": self.kind}
        for key, value in self.extra.items():
            if key not in _ITEM_KEYS:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BriefingItem:
        extra = {k: v for k, v in data.items() if k not in _ITEM_KEYS}
        return cls(str(data["text"]), [str(c) for c in data.get("citations", [])], str(data["kind"]), extra)


@dataclass
class Briefing:
    """The four sections of a briefing plus an optional lead paragraph (caller-supplied)."""

    consensus: list[BriefingItem]
    disputed: list[BriefingItem]
    unique: dict[str, list[BriefingItem]]
    quotes: list[BriefingItem]
    lead: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "consensus": [i.to_dict() for i in self.consensus],
            "disputed": [i.to_dict() for i in self.disputed],
            "unique": {k: [i.to_dict() for i in v] for k, v in self.unique.items()},
            "quotes": [i.to_dict() for i in self.quotes],
            "lead": self.lead,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Briefing:
        """Rebuild a briefing from `to_dict()` output (e.g. `Comparison.briefing`)."""
        return cls(
            consensus=[BriefingItem.from_dict(i) for i in data.get("consensus", [])],
            disputed=[BriefingItem.from_dict(i) for i in data.get("disputed", [])],
            unique={str(k): [BriefingItem.from_dict(i) for i in v] for k, v in (data.get("unique") or {}).items()},
            quotes=[BriefingItem.from_dict(i) for i in data.get("quotes", [])],
            lead=data.get("lead"),
        )

    def items(self) -> list[BriefingItem]:
        """Every item of every section, in reading order."""
        return self.consensus + self.disputed + [i for v in self.unique.values() for i in v] + self.quotes


# --------------------------------------------------------------------------- facts


@lru_cache(maxsize=4096)
def fact_count(text: str, language: str | None) -> int:
    """How many distinct facts (figures, dates, named entities) a sentence carries.

    A year is both a number and a date; spans already counted as numbers are not
    counted again as dates.
    """
    numbers = [(f.start, f.end) for f in extract_numbers(text, language) if f.kind in NUMBER_KINDS]
    dates = [
        (f.start, f.end)
        for f in extract_dates(text, language)
        if not any(f.start < e and s < f.end for s, e in numbers)
    ]
    entities = {(e.kind, e.key) for e in extract_entities(text, language) if e.kind in ENTITY_KINDS}
    return len(numbers) + len(dates) + len(entities)


def source_name(r: ArticleResult | None, label: str = "?") -> str:
    """How a heading names a source: "Spiegel, A" when it has a source or title, else "Source A"."""
    if r is None:
        return f"Source {label}"
    name = (r.article.source or "").strip() or (r.article.title or "").strip()
    return f"{name}, {r.label}" if name else f"Source {r.label}"


def short_source(r: ArticleResult | None, label: str = "?") -> str:
    """How a line attributes a value: the outlet with its label ("Spiegel, A"), else the
    label alone; a headline would swamp the values it stands next to."""
    if r is None:
        return label
    outlet = (r.article.source or "").strip()
    return f"{outlet}, {r.label}" if outlet else r.label


class _Context:
    """Lookups shared by the section builders (one pass over the comparison)."""

    def __init__(self, c: Comparison) -> None:
        self.c = c
        self.index: dict[str, Sentence] = c.sentence_index()
        self.results: dict[str, ArticleResult] = {r.article.id: r for r in c.articles}
        self.order: dict[str, int] = {r.article.id: n for n, r in enumerate(c.articles)}
        self.sizes: dict[str, int] = {r.article.id: max(1, len(r.sentences)) for r in c.articles}
        self.quotes_by_sentence: dict[str, list[dict[str, Any]]] = {}
        for q in c.quotes:
            sid = self.quote_sentence(q)
            if sid is not None:
                self.quotes_by_sentence.setdefault(sid, []).append(q)

    def language(self, s: Sentence) -> str | None:
        r = self.results.get(s.article)
        return r.article.language if r is not None else None

    def facts(self, s: Sentence) -> int:
        return fact_count(s.text, self.language(s))

    def statements(self, s: Sentence) -> int:
        return sum(1 for q in self.quotes_by_sentence.get(s.id, []) if q.get("kind") in STATEMENT_QUOTE_KINDS)

    def position(self, s: Sentence) -> float:
        """Relative position in its article, 0 = the lead (the news-lead prior)."""
        return (s.index - 1) / self.sizes.get(s.article, 1)

    def label(self, article_id: str) -> str:
        r = self.results.get(article_id)
        return r.label if r is not None else str(article_id)

    def name(self, article_id: str) -> str:
        r = self.results.get(article_id)
        return short_source(r, str(article_id))

    def known(self, ids: Any) -> list[str]:
        """The ids that name real sentences, in the given order, without repeats."""
        if not isinstance(ids, (list, tuple)):
            return []
        out: list[str] = []
        for sid in ids:
            sid = str(sid)
            if sid in self.index and sid not in out:
                out.append(sid)
            elif sid not in self.index:
                logger.debug("citation %r names no sentence; dropped", sid)
        return out

    def quote_sentence(self, q: dict[str, Any]) -> str | None:
        """The sentence holding a quote: its `sentence` field, else the one containing its start."""
        sid = q.get("sentence")
        if isinstance(sid, str) and sid in self.index:
            return sid
        r = self.results.get(str(q.get("article")))
        start = q.get("start")
        if r is None or not isinstance(start, int):
            return None
        return next((s.id for s in r.sentences if s.start <= start < s.end), None)


# --------------------------------------------------------------------------- consensus


def _representative(ctx: _Context, members: list[Sentence]) -> Sentence:
    """The most complete member: most facts, then longest, then first in article order."""
    return min(members, key=lambda s: (-ctx.facts(s), -len(s.text), ctx.order.get(s.article, 0), s.index))


def _consensus(ctx: _Context, max_items: int) -> list[BriefingItem]:
    disputed_groups = {str(d.get("group")) for d in ctx.c.discrepancies if isinstance(d, dict) and d.get("group")}
    ranked: list[tuple[tuple[Any, ...], BriefingItem]] = []
    for n, g in enumerate(ctx.c.groups):
        if g.status == "conflict" or g.id in disputed_groups:
            continue
        members = [ctx.index[sid] for sid in ctx.known(g.sentences)]
        members = [s for s in members if s.kind == "sentence"]
        articles = sorted({s.article for s in members}, key=lambda a: ctx.order.get(a, 0))
        if len(articles) < 2:
            continue
        rep = _representative(ctx, members)
        facts = ctx.facts(rep)
        earliest = min(ctx.position(s) for s in members)
        citations = _in_reading_order(ctx, [s.id for s in members])
        item = BriefingItem(
            text=rep.text,
            citations=citations,
            kind="consensus",
            extra={
                "group": g.id,
                "sentence": rep.id,
                "sources": articles,
                "facts": facts,
                "score": _score(g),
            },
        )
        ranked.append(((-len(articles), -facts, earliest, n), item))
    ranked.sort(key=lambda pair: pair[0])
    return [item for _, item in ranked[:max_items]]


def _score(g: Group) -> float:
    try:
        return round(float(g.score), 4)
    except (TypeError, ValueError):
        return 0.0


def _in_reading_order(ctx: _Context, ids: list[str]) -> list[str]:
    """Citations sorted by article (input order), then position: [A2][A3][B3]."""
    return sorted(dict.fromkeys(ids), key=lambda sid: (ctx.order.get(ctx.index[sid].article, 0), ctx.index[sid].index))


# --------------------------------------------------------------------------- disputed


def _topic(d: dict[str, Any], ctx: _Context) -> str:
    """A short label for what is disputed; figures by kind ("Amount", "Percentage")."""
    dtype = str(d.get("type") or "discrepancy")
    if dtype == "number":
        values = d.get("values") if isinstance(d.get("values"), dict) else {}
        for article_id, value in values.items():
            r = ctx.results.get(str(article_id))
            found = extract_numbers(str(value), r.article.language if r else None)
            if found and found[0].kind in _NUMBER_LABELS:
                return _NUMBER_LABELS[found[0].kind]
    return _TYPE_LABELS.get(dtype, dtype.replace("_", " ").capitalize())


def _shown_value(value: Any, normalized: Any) -> str:
    """The value as written; an empty one (the asserting side of a negation) by its normal form."""
    text = "" if value is None else str(value)
    if text.strip():
        return text
    return f"({normalized})" if normalized not in (None, "") else "(none)"


def _disputed(ctx: _Context) -> list[BriefingItem]:
    items: list[BriefingItem] = []
    for n, d in enumerate(ctx.c.discrepancies, start=1):
        if not isinstance(d, dict):
            d = {"explanation": str(d)}
        values = d.get("values") if isinstance(d.get("values"), dict) else {}
        normalized = d.get("normalized") if isinstance(d.get("normalized"), dict) else {}
        ordered = sorted(values, key=lambda a: (ctx.order.get(str(a), len(ctx.order)), str(a)))
        mark = ("“", "”") if d.get("type") == "quote" else ("", "")
        parts = [f"{mark[0]}{_shown_value(values[a], normalized.get(a))}{mark[1]} ({ctx.name(str(a))})" for a in ordered]
        topic = _topic(d, ctx)
        text = f"{topic}: " + (" vs ".join(parts) if parts else "sources differ")
        citations = _in_reading_order(ctx, ctx.known(d.get("sentences")))
        wording = {sid: ctx.index[sid].text for sid in citations}
        extra: dict[str, Any] = {
            "discrepancy": str(d.get("id") or f"D{n}"),
            "type": str(d.get("type") or ""),
            "topic": topic,
            "group": d.get("group"),
            "values": {str(k): "" if v is None else str(v) for k, v in values.items()},
            "explanation": "" if d.get("explanation") is None else str(d.get("explanation")),
            "wording": wording,
        }
        if d.get("confidence") is not None:
            extra["confidence"] = d.get("confidence")
        if d.get("quotes"):
            extra["quotes"] = [str(q) for q in d["quotes"]]
        if d.get("diff"):
            extra["diff"] = list(d["diff"])
        items.append(BriefingItem(text=text, citations=citations, kind=str(d.get("type") or "discrepancy"), extra=extra))
    return items


# --------------------------------------------------------------------------- only in


def _worth_a_line(s: Sentence) -> bool:
    return s.kind == "sentence" and len(s.text.split()) >= MIN_UNIQUE_WORDS and len(s.text.strip()) >= MIN_UNIQUE_CHARS


def _unique(ctx: _Context, max_items: int) -> dict[str, list[BriefingItem]]:
    out: dict[str, list[BriefingItem]] = {}
    for r in ctx.c.articles:
        ids = ctx.c.unique.get(r.article.id)
        if ids is None:
            ids = ctx.c.unique.get(r.label, [])
        candidates = [ctx.index[sid] for sid in ctx.known(ids)]
        candidates = [s for s in candidates if s.article == r.article.id and _worth_a_line(s)]

        def salience(s: Sentence) -> tuple[int, float, int]:
            return (-(ctx.facts(s) + ctx.statements(s)), ctx.position(s), s.index)

        chosen = sorted(candidates, key=salience)[:max_items]
        out[r.article.id] = [
            BriefingItem(
                text=s.text,
                citations=[s.id],
                kind="unique",
                extra={"article": r.article.id, "facts": ctx.facts(s), "statements": ctx.statements(s)},
            )
            for s in chosen
        ]
    return out


# --------------------------------------------------------------------------- quotes


def _components(links: list[dict[str, Any]], known: set[str]) -> list[list[int]]:
    """Quote links joined into clusters (the same statement in several sources): link indexes."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    usable: list[tuple[int, str]] = []
    for n, link in enumerate(links):
        ids = [str(q) for q in link.get("quotes") or [] if str(q) in known]
        if len(ids) < 2:
            continue
        usable.append((n, ids[0]))
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    clusters: dict[str, list[int]] = {}
    for n, first in usable:
        clusters.setdefault(find(first), []).append(n)
    return list(clusters.values())


def _diff_text(diff: Any) -> str:
    if not isinstance(diff, list):
        return ""
    parts = []
    for d in diff:
        if isinstance(d, dict):
            parts.append(f"{d.get('a') or '∅'} → {d.get('b') or '∅'}")
    return "; ".join(parts)


def _quotes(ctx: _Context) -> list[BriefingItem]:
    quotes = {str(q.get("id")): q for q in ctx.c.quotes if isinstance(q, dict) and q.get("id") is not None}
    links = [link for link in ctx.c.quote_links if isinstance(link, dict)]

    def where(q: dict[str, Any]) -> tuple[int, int]:
        return (ctx.order.get(str(q.get("article")), len(ctx.order)), int(q.get("start") or 0))

    linked_items: list[tuple[tuple[int, int], BriefingItem]] = []
    linked: set[str] = set()
    for cluster in _components(links, set(quotes)):
        ids = sorted({str(q) for n in cluster for q in links[n]["quotes"] if str(q) in quotes}, key=lambda q: where(quotes[q]))
        linked.update(ids)
        members = [quotes[q] for q in ids]
        first = members[0]
        speakers = {str(q.get("article")): q.get("speaker") for q in members}
        names = list(dict.fromkeys(str(s) for s in speakers.values() if s)) or ["unknown speaker"]
        relations = sorted({str(links[n].get("relation") or "related") for n in cluster})
        conflict = any(bool(links[n].get("speaker_conflict")) for n in cluster)
        diffs = [d for n in cluster for d in (links[n].get("diff") or []) if isinstance(d, dict)]
        labels = ", ".join(dict.fromkeys(ctx.label(str(q.get("article"))) for q in members))
        shown = [f"altered: {_diff_text(diffs)}" if r == "altered" and diffs else r for r in relations]
        notes = [labels, "; ".join(shown)]
        if conflict:
            notes.append(
                "speaker conflict: "
                + " vs ".join(f"{speakers[a] or 'unknown'} ({ctx.label(a)})" for a in speakers)
            )
        text = f"{' / '.join(names)}: “{first.get('text') or ''}” ({'; '.join(notes)})"
        citations = _in_reading_order(ctx, [s for s in (ctx.quote_sentence(q) for q in members) if s])
        extra = {
            "quotes": ids,
            "speakers": {a: s for a, s in speakers.items()},
            "relations": relations,
            "speaker_conflict": conflict,
            "diff": diffs,
            "versions": {str(q.get("id")): str(q.get("text") or "") for q in members},
        }
        linked_items.append((where(first), BriefingItem(text=text, citations=citations, kind="quote_link", extra=extra)))
    linked_items.sort(key=lambda pair: pair[0])

    single: list[tuple[tuple[int, int], BriefingItem]] = []
    for qid, q in quotes.items():
        if qid in linked or q.get("kind") not in STATEMENT_QUOTE_KINDS:
            continue
        sid = ctx.quote_sentence(q)
        article = str(q.get("article"))
        speaker = q.get("speaker") or "unknown speaker"
        text = f"{speaker}: “{q.get('text') or ''}” (only {ctx.label(article)})"
        single.append(
            (
                where(q),
                BriefingItem(
                    text=text,
                    citations=[sid] if sid else [],
                    kind="quote",
                    extra={"quotes": [qid], "article": article, "speaker": q.get("speaker")},
                ),
            )
        )
    single.sort(key=lambda pair: pair[0])
    return [item for _, item in linked_items] + [item for _, item in single]


# --------------------------------------------------------------------------- API

_SPACE_RE = re.compile(r"\s+")


def build_briefing(
    comparison: Comparison, lead: str | None = None, max_consensus: int = MAX_CONSENSUS, max_unique: int = 3
) -> Briefing:
    """The briefing of a comparison: consensus, every discrepancy, unique points, quotes.

    Pure and deterministic: the same comparison gives the same briefing. `lead` is an
    optional paragraph written elsewhere (an abstractive summary); it is kept as given
    (whitespace collapsed), or None when empty.
    """
    if max_consensus < 0 or max_unique < 0:
        raise ValueError("max_consensus and max_unique must be >= 0")
    ctx = _Context(comparison)
    lead_text = _SPACE_RE.sub(" ", lead).strip() if lead else ""
    briefing = Briefing(
        consensus=_consensus(ctx, max_consensus),
        disputed=_disputed(ctx),
        unique=_unique(ctx, max_unique),
        quotes=_quotes(ctx),
        lead=lead_text or None,
    )
    logger.debug(
        "briefing: %d consensus, %d disputed, %d unique, %d quote lines",
        len(briefing.consensus),
        len(briefing.disputed),
        sum(len(v) for v in briefing.unique.values()),
        len(briefing.quotes),
    )
    return briefing
