"""The data behind the app's views, computed without Streamlit so it can be tested alone.

The app only lays these out: source cards, counts, the overlap between sources, the
discrepancy table, quote groups, and the side-by-side columns as escaped HTML with
sentences coloured by role and the differing values marked. Article text, titles and
urls are untrusted: every piece goes through `html.escape` before it becomes markup.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable, Sequence, get_args

from compare.errors import InputError
from compare.export._common import display_name, ordered_groups, unique_sentences
from compare.export.columns import ColumnClasses, Role, article_column, marked_html, sentence_roles
from compare.export.highlight import DiffSpan, diff_spans, span_sentences
from compare.export.markup import escape, html_link, safe_url, text_html
from compare.model import Article, ArticleResult, Comparison, Group, Sentence

logger = logging.getLogger(__name__)

__all__ = [
    "APP_CLASSES",
    "APP_CSS",
    "DISCREPANCY_TYPES",
    "Counts",
    "DiscrepancyRow",
    "Overlap",
    "QuoteGroup",
    "Role",
    "SourceCard",
    "CitedLine",
    "article_from_url",
    "briefing_sections",
    "cited_sentences_html",
    "card_html",
    "chips_html",
    "html_escape",
    "column_html",
    "columns_html",
    "counterparts",
    "counts",
    "discrepancy_rows",
    "discrepancy_sentences_html",
    "fingerprint",
    "group_label",
    "legend_html",
    "overlap",
    "ordered",
    "quote_group_html",
    "quote_groups",
    "reported_speech_html",
    "roles",
    "sentence_html",
    "sentence_label",
    "source_cards",
    "unique_id",
    "unique_per_source",
    "with_discrepancy_types",
    "with_names",
    "word_diff_html",
]

# Every type the facts stage can report, in the order the app lists them.
DISCREPANCY_TYPES: tuple[str, ...] = ("number", "date", "entity", "negation", "quote", "attribution", "contradiction")

# Classes are prefixed (px-) so they cannot collide with Streamlit's own.
APP_CSS = """
<style>
.px-legend span, .px-chip { display: inline-block; margin: 0 .5rem .25rem 0; padding: 0 .45rem; border-radius: 4px; }
.px-agree { background: rgba(46, 160, 67, .22); }
.px-disputed { background: rgba(255, 153, 0, .32); }
.px-unique { background: rgba(47, 111, 222, .16); }
.px-sent { border-radius: 3px; padding: 0 .1em; }
.px-sent.px-heading { font-weight: 650; }
.px-sent.px-focus { outline: 3px solid #c2185b; outline-offset: 1px; }
.px-grid { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(19rem, 1fr); gap: 1rem; overflow-x: auto; }
.px-col { min-width: 0; border: 1px solid rgba(128, 128, 128, .35); border-radius: 8px; padding: .6rem .9rem; }
.px-col header { border-bottom: 1px solid rgba(128, 128, 128, .35); margin-bottom: .6rem; padding-bottom: .4rem; }
.px-col p { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 .8em; line-height: 1.55; }
.px-label { font-weight: 700; margin-right: .35rem; }
.px-muted { color: rgba(128, 128, 128, 1); font-size: .9em; }
.px-sid { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8em; color: rgba(128, 128, 128, 1); }
sup.px-g { font-size: .7em; margin-left: .1em; color: rgba(128, 128, 128, 1); }
mark.px-diff { background: #ffd54f; color: #000; font-weight: 650; border-bottom: 2px solid #d32f2f; padding: 0 .1em; }
del.px-del { background: rgba(211, 47, 47, .18); }
ins.px-ins { background: rgba(46, 160, 67, .25); text-decoration: none; }
.px-card h4 { margin: 0 0 .2rem; font-size: 1rem; }
.px-card p { margin: .1rem 0; }
</style>
"""


def html_escape(value: Any) -> str:
    """Escape any value for HTML text or a double-quoted attribute (None -> empty)."""
    return escape(value)


def chips_html(sentence_ids: Sequence[str]) -> str:
    """Citation chips: the sentence ids a line rests on."""
    return " ".join(f'<span class="px-chip px-sid">[{escape(sid)}]</span>' for sid in sentence_ids)


# --- sources -----------------------------------------------------------------------------


@dataclass
class SourceCard:
    """One source as the overview shows it."""

    id: str
    label: str
    name: str
    title: str | None
    source: str | None
    language: str | None
    date: str | None
    url: str | None
    characters: int
    words: int
    sentences: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_cards(c: Comparison) -> list[SourceCard]:
    """A card per article, in input order."""
    return [
        SourceCard(
            id=r.article.id,
            label=r.label,
            name=display_name(r),
            title=r.article.title,
            source=r.article.source,
            language=r.article.language,
            date=r.article.date,
            url=r.article.url,
            characters=len(r.article.text),
            words=len(r.article.text.split()),
            sentences=sum(1 for s in r.sentences if s.kind == "sentence"),
        )
        for r in c.articles
    ]


def card_html(card: SourceCard) -> str:
    """The card as escaped HTML (titles and outlets come from untrusted input)."""
    title = card.title or card.name
    meta = " · ".join(
        v
        for v in (
            card.source or "outlet unknown",
            card.language or "language unknown",
            card.date or "date unknown",
        )
    )
    url = ""
    if safe_url(card.url):
        url = f'<p class="px-muted">{html_link(card.url)}</p>'
    return (
        f'<div class="px-card"><h4><span class="px-label">{escape(card.label)}</span>{escape(title)}</h4>'
        f'<p class="px-muted">{escape(meta)}</p>'
        f'<p class="px-muted">{card.words} words · {card.sentences} sentences · {card.characters} characters</p>'
        f"{url}</div>"
    )


def with_names(c: Comparison, names: dict[str, dict[str, str | None]]) -> Comparison:
    """A copy whose articles carry the editor's display names (title/source by article id).

    Renaming only changes what is shown, so the app applies it after the cached comparison
    instead of comparing again; ids, labels and offsets stay the same.
    """
    if not names:
        return c
    out = copy.copy(c)
    out.articles = []
    for r in c.articles:
        new = names.get(r.article.id)
        if new:
            fields = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in new.items() if k in ("title", "source")}
            r = ArticleResult(replace(r.article, **fields), r.label, r.sentences)
        out.articles.append(r)
    return out


def unique_id(wanted: str, taken: Iterable[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... when it is taken (ids must stay unique)."""
    taken = set(taken)
    base = wanted.strip() or "article"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def article_from_url(url: str, article_id: str | None = None) -> list[Article]:
    """Fetch a web page and extract its article; a failure is one clear InputError line.

    Only http(s) urls are accepted: a file: url or a bare path would read the server's disk.
    """
    from compare.ingest import load_bytes

    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"Could not fetch {url or '(empty)'}: only http:// and https:// addresses are supported")
    try:
        import trafilatura

        page = trafilatura.fetch_url(url)
    except Exception as exc:  # network stacks raise many kinds; the user needs one line
        raise InputError(f"Could not fetch {url}: {exc}") from None
    if not page:
        raise InputError(f"Could not fetch {url}: no response (offline, or the site refused)")
    data = page.encode("utf-8") if isinstance(page, str) else bytes(page)
    stem = article_id or re.sub(r"[^A-Za-z0-9]+", "-", url.split("://", 1)[1]).strip("-")[:40] or "web"
    try:
        articles = load_bytes(data, f"{stem}.html")
    except InputError as exc:
        raise InputError(f"Could not fetch {url}: {exc}") from None
    for a in articles:
        a.url = a.url or url
        a.origin = url
    return articles


# --- roles, counts, overlap ----------------------------------------------------------------


def with_discrepancy_types(c: Comparison, types: Sequence[str] | None) -> Comparison:
    """A copy showing only the discrepancy types the editor picked (None: all)."""
    if types is None:
        return c
    wanted = set(types)
    out = copy.copy(c)
    out.discrepancies = [d for d in c.discrepancies if d.get("type") in wanted]
    return out


def roles(c: Comparison) -> dict[str, Role]:
    """Sentence id -> role: disputed (named by a shown discrepancy), agree (in a group), unique, heading."""
    disputed = {str(s) for d in c.discrepancies for s in (d.get("sentences") or [])}
    disputed.update(sid for d in c.discrepancies for sid in span_sentences(d))
    return sentence_roles(c, disputed)


def unique_per_source(c: Comparison) -> dict[str, list[Sentence]]:
    """Article id -> the sentences only that source reports."""
    index = c.sentence_index()
    return {r.article.id: unique_sentences(c, r, index) for r in c.articles}


def _disputed_groups(c: Comparison) -> set[str]:
    return {str(d["group"]) for d in c.discrepancies if d.get("group")}


@dataclass
class Counts:
    """The headline numbers of the overview."""

    shared_facts: int
    agreeing: int
    disputed: int
    discrepancies: dict[str, int]
    unique: dict[str, int]
    quotes: int
    quote_links: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def counts(c: Comparison) -> Counts:
    """Shared facts (agreeing / disputed), discrepancies by type, unique sentences per source."""
    disputed = _disputed_groups(c) & {g.id for g in c.groups}
    by_type = {t: 0 for t in DISCREPANCY_TYPES}
    for d in c.discrepancies:
        t = str(d.get("type") or "other")
        by_type[t] = by_type.get(t, 0) + 1
    return Counts(
        shared_facts=len(c.groups),
        agreeing=len(c.groups) - len(disputed),
        disputed=len(disputed),
        discrepancies=by_type,
        unique={aid: len(ss) for aid, ss in unique_per_source(c).items()},
        quotes=len(c.quotes),
        quote_links=len(c.quote_links),
    )


@dataclass
class Overlap:
    """How many shared facts each pair of sources has; the diagonal is each source's total."""

    labels: list[str]
    names: list[str]
    matrix: list[list[int]]

    def pairs(self) -> list[dict[str, Any]]:
        """One row per pair of sources (for a bar chart), most shared first."""
        rows = [
            {"pair": f"{self.labels[i]} + {self.labels[j]}", "shared facts": self.matrix[i][j]}
            for i in range(len(self.labels))
            for j in range(i + 1, len(self.labels))
        ]
        return sorted(rows, key=lambda row: -row["shared facts"])

    def table(self) -> dict[str, list[int]]:
        """Column label -> counts, for a dataframe whose rows are the same labels."""
        return {label: [row[j] for row in self.matrix] for j, label in enumerate(self.labels)}

    def to_dict(self) -> dict[str, Any]:
        return {"labels": self.labels, "names": self.names, "matrix": self.matrix, "pairs": self.pairs()}


def overlap(c: Comparison) -> Overlap:
    """Count the groups that each pair of articles both report."""
    pos = {r.article.id: i for i, r in enumerate(c.articles)}
    n = len(c.articles)
    matrix = [[0] * n for _ in range(n)]
    for g in c.groups:
        members = sorted({pos[a] for a in g.articles if a in pos})
        for i in members:
            for j in members:
                matrix[i][j] += 1
    return Overlap([r.label for r in c.articles], [display_name(r) for r in c.articles], matrix)


# --- sentences and columns ------------------------------------------------------------------


def _results(c: Comparison) -> dict[str, ArticleResult]:
    return {r.article.id: r for r in c.articles}


def sentence_label(c: Comparison, sid: str, width: int = 70) -> str:
    """"A3 · text…" for pickers."""
    s = c.sentence_index().get(sid)
    if s is None:
        return sid
    text = " ".join(s.text.split())
    return f"{sid} · {text[:width]}{'…' if len(text) > width else ''}"


def group_label(c: Comparison, g: Group, width: int = 60) -> str:
    """"G3 · 2 sources · disputed · text…" for the fact picker."""
    status = "disputed" if g.id in _disputed_groups(c) else "agree"
    first = c.sentence_index().get(g.sentences[0]) if g.sentences else None
    text = " ".join(first.text.split()) if first else ""
    return f"{g.id} · {len(set(g.articles))} sources · {status} · {text[:width]}{'…' if len(text) > width else ''}"


def counterparts(c: Comparison, sentence_or_group: str) -> tuple[Group | None, dict[str, list[Sentence]]]:
    """The group a fact id (G3) or sentence id (A3) belongs to, and its sentences per article.

    A sentence in no group comes back alone (its source is the only one reporting it).
    """
    index = c.sentence_index()
    group = next((g for g in c.groups if g.id == sentence_or_group), None)
    if group is None and sentence_or_group in index:
        group = next((g for g in c.groups if sentence_or_group in g.sentences), None)
        if group is None:
            s = index[sentence_or_group]
            return None, {s.article: [s]}
    if group is None:
        return None, {}
    out: dict[str, list[Sentence]] = {}
    for sid in group.sentences:
        s = index.get(sid)
        if s is not None:
            out.setdefault(s.article, []).append(s)
    return group, out


def _mark(part: str, span: DiffSpan) -> str:
    return (
        f'<mark class="px-diff" data-type="{escape(span.type)}" title="{escape(span.discrepancy)} · {escape(span.type)}: '
        f'{escape(span.explanation)}">{text_html(part)}</mark>'
    )


# The app's class set: px- prefixed (Streamlit's own classes stay untouched), no anchors.
APP_CLASSES = ColumnClasses(prefix="px-", roles={r: r for r in get_args(Role)}, mark=_mark, linked=False)


def _marked(text: str, spans: list[DiffSpan]) -> str:
    return marked_html(text, spans, _mark)


def sentence_html(
    c: Comparison,
    sid: str,
    spans: dict[str, list[DiffSpan]] | None = None,
    role: Role | None = None,
    index: dict[str, Sentence] | None = None,
) -> str:
    """One sentence, escaped, its differing spans marked and coloured by role. Callers
    rendering many sentences pass `spans`, roles and `index`, computed once for all."""
    s = (c.sentence_index() if index is None else index).get(sid)
    if s is None:
        return f'<span class="px-sid">[{escape(sid)}]</span> <span class="px-muted">(unknown sentence)</span>'
    spans = diff_spans(c) if spans is None else spans
    role = role or roles(c).get(sid, "unique")
    return (
        f'<span class="px-sid">[{escape(sid)}]</span> '
        f'<span class="{APP_CLASSES.css("sent", APP_CLASSES.roles[role])}">{_marked(s.text, spans.get(sid, []))}</span>'
    )


def column_html(
    c: Comparison,
    article_id: str,
    focus: Iterable[str] = (),
    spans: dict[str, list[DiffSpan]] | None = None,
    sentence_roles: dict[str, Role] | None = None,
) -> str:
    """One article's full text as escaped HTML: sentences coloured by role, differing spans
    marked, the sentences in `focus` outlined, group ids as superscripts."""
    r = _results(c).get(article_id)
    if r is None:
        raise KeyError(article_id)
    spans = diff_spans(c) if spans is None else spans
    sentence_roles = roles(c) if sentence_roles is None else sentence_roles
    return article_column(c, r, sentence_roles, APP_CLASSES, spans, focus=focus)


def columns_html(c: Comparison, focus: Iterable[str] = ()) -> str:
    """All articles side by side (a horizontally scrolling grid), ready for st.html."""
    spans = diff_spans(c)
    sentence_roles = roles(c)
    focus = list(focus)
    cols = "".join(column_html(c, r.article.id, focus, spans, sentence_roles) for r in c.articles)
    return f'<div class="px-grid" id="px-side-by-side">{cols}</div>'


def legend_html() -> str:
    return (
        '<p class="px-legend"><span class="px-agree">shared, agreeing</span>'
        '<span class="px-disputed">disputed (sources differ)</span><span class="px-unique">only in this source</span>'
        '<mark class="px-diff">differing value</mark> <span class="px-sent px-focus">selected fact</span></p>'
    )


# --- discrepancies ---------------------------------------------------------------------------


@dataclass
class DiscrepancyRow:
    """One row of the discrepancy table: the value per source label, and where it comes from."""

    id: str
    type: str
    group: str | None
    values: dict[str, str]
    explanation: str
    confidence: float | None
    sentences: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Flat, one column per source, for a dataframe."""
        out: dict[str, Any] = {"id": self.id, "type": self.type, "fact": self.group or ""}
        out.update(self.values)
        out.update(
            {"explanation": self.explanation, "confidence": self.confidence, "sentences": ", ".join(self.sentences)}
        )
        return out


def discrepancy_rows(c: Comparison, types: Sequence[str] | None = None) -> list[DiscrepancyRow]:
    """The discrepancies as table rows (values keyed "A · outlet"), optionally of some types only."""
    results = _results(c)
    rows = []
    for d in c.discrepancies:
        if types is not None and d.get("type") not in types:
            continue
        values = {}
        for aid, value in (d.get("values") or {}).items():
            r = results.get(str(aid))
            key = f"{r.label} · {display_name(r)}" if r is not None else str(aid)
            values[key] = str(value)
        try:
            confidence = float(d["confidence"]) if d.get("confidence") is not None else None
        except (TypeError, ValueError):
            confidence = None
        rows.append(
            DiscrepancyRow(
                id=str(d.get("id", "")),
                type=str(d.get("type", "")),
                group=str(d["group"]) if d.get("group") else None,
                values=values,
                explanation=str(d.get("explanation", "")),
                confidence=confidence,
                sentences=[str(s) for s in d.get("sentences") or []],
            )
        )
    return rows


def discrepancy_sentences_html(c: Comparison, discrepancy_id: str) -> str:
    """The sentences of one discrepancy side by side, the differing spans marked."""
    d = next((d for d in c.discrepancies if str(d.get("id")) == discrepancy_id), None)
    if d is None:
        raise KeyError(discrepancy_id)
    index = c.sentence_index()
    results = _results(c)
    spans = diff_spans(c)
    sentence_roles = roles(c)
    cols = []
    for sid in d.get("sentences") or []:
        s = index.get(str(sid))
        r = results.get(s.article) if s else None
        head = f'<span class="px-label">{escape(r.label)}</span>{escape(display_name(r))}' if r else escape(sid)
        cols.append(
            f'<div class="px-col"><header>{head}</header><p>{sentence_html(c, str(sid), spans, sentence_roles.get(str(sid)), index)}</p></div>'
        )
    return f'<div class="px-grid">{"".join(cols)}</div>'


# --- quotes ------------------------------------------------------------------------------------


@dataclass
class QuoteGroup:
    """Quotes of the same statement across sources, with how each pair relates."""

    quotes: list[dict[str, Any]]
    links: list[dict[str, Any]]

    @property
    def speaker_conflict(self) -> bool:
        return any(link.get("speaker_conflict") for link in self.links)

    @property
    def relations(self) -> list[str]:
        return sorted({str(link.get("relation")) for link in self.links})

    def to_dict(self) -> dict[str, Any]:
        return {
            "quotes": self.quotes,
            "links": self.links,
            "relations": self.relations,
            "speaker_conflict": self.speaker_conflict,
        }


def quote_groups(c: Comparison, include_single: bool = True) -> list[QuoteGroup]:
    """Linked quotes merged into groups (connected through their links), each quote with its
    article label and source name; quotes no other source has follow as groups of one."""
    results = _results(c)
    by_id: dict[str, dict[str, Any]] = {}
    for q in c.quotes:
        r = results.get(str(q.get("article")))
        by_id[str(q.get("id"))] = {**q, "label": r.label if r else "?", "source": display_name(r) if r else q.get("article")}
    parent = {qid: qid for qid in by_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    usable = []
    for link in c.quote_links:
        ids = [str(q) for q in link.get("quotes") or [] if str(q) in parent]
        if len(ids) < 2:
            continue
        usable.append((ids, link))
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    members: dict[str, list[str]] = {}
    for qid in by_id:
        members.setdefault(find(qid), []).append(qid)
    groups: list[QuoteGroup] = []
    for root, ids in members.items():
        links = [link for link_ids, link in usable if find(link_ids[0]) == root]
        if len(ids) == 1 and not include_single:
            continue
        quotes = sorted((by_id[q] for q in ids), key=lambda q: (q["label"], q.get("start", 0)))
        groups.append(QuoteGroup(quotes, links))
    groups.sort(key=lambda g: (-len({q["article"] for q in g.quotes}), g.quotes[0]["label"], g.quotes[0].get("start", 0)))
    return groups


def word_diff_html(diff: Sequence[dict[str, str]]) -> str:
    """An altered quote's word diff: removed words struck out, added words underlined."""
    parts = []
    for op in diff:
        a, b = escape(op.get("a", "")), escape(op.get("b", ""))
        if op.get("op") in ("delete", "replace") and a:
            parts.append(f'<del class="px-del">{a}</del>')
        if op.get("op") in ("insert", "replace") and b:
            parts.append(f'<ins class="px-ins">{b}</ins>')
        parts.append(" ")
    return "".join(parts).strip()


def quote_group_html(group: QuoteGroup) -> str:
    """A quote group as escaped HTML: one line per source (speaker, words, sentence id), then
    each link's relation, a speaker conflict flagged, the word diff of altered quotes."""
    by_id = {str(q.get("id")): q for q in group.quotes}
    lines = []
    for q in group.quotes:
        speaker = escape(q.get("speaker")) if q.get("speaker") else '<span class="px-muted">speaker unknown</span>'
        lines.append(
            f'<li><span class="px-label">{escape(q["label"])}</span>{escape(q["source"])} — <strong>{speaker}</strong>: '
            f'“{escape(q.get("text"))}” <span class="px-sid">[{escape(q.get("sentence"))}]</span></li>'
        )
    for link in group.links:
        ids = [str(x) for x in link.get("quotes") or []]
        who = " ↔ ".join(f'{escape(by_id[i]["label"]) if i in by_id else "?"}' for i in ids)
        line = f'{who}: <span class="px-chip px-{"disputed" if link.get("relation") == "altered" else "agree"}">{escape(link.get("relation"))}</span>'
        if link.get("speaker_conflict"):
            speakers = " vs ".join(escape(by_id[i].get("speaker")) for i in ids if i in by_id)
            line += f' <span class="px-chip px-disputed">speaker conflict: {speakers}</span>'
        if link.get("diff"):
            line += f" {word_diff_html(link['diff'])}"
        lines.append(f"<li>{line}</li>")
    return f'<ul class="px-quotes">{"".join(lines)}</ul>'


def reported_speech_html(c: Comparison) -> str:
    """Statements the articles attribute without quotation marks ("laut Lu", "Er sagte, ...",
    Konjunktiv), one line per sentence: source, speaker, the cue, the sentence, its id."""
    results, index = _results(c), c.sentence_index()
    lines = []
    for r in c.reported_speech:
        result = results.get(str(r.get("article")))
        sentence = index.get(str(r.get("sentence")))
        label = escape(result.label) if result is not None else "?"
        source = escape(display_name(result)) if result is not None else escape(r.get("article"))
        text = escape(sentence.text) if sentence is not None else ""
        lines.append(
            f'<li><span class="px-label">{label}</span>{source} — <strong>{escape(r.get("speaker"))}</strong> '
            f'<span class="px-muted">({escape(r.get("cue"))})</span>: {text} '
            f'<span class="px-sid">[{escape(r.get("sentence"))}]</span></li>'
        )
    return f'<ul class="px-quotes">{"".join(lines)}</ul>'


# --- summaries and briefing --------------------------------------------------------------------


@dataclass
class CitedLine:
    """A briefing or summary line with the sentence ids that back it."""

    text: str
    citations: list[str]
    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_BRIEFING_SECTIONS = (("consensus", "What the sources agree on"), ("disputed", "Where they differ"), ("quotes", "Quotes"))


def briefing_sections(c: Comparison, briefing: dict[str, Any] | None) -> list[tuple[str, list[CitedLine]]]:
    """The briefing (as `Briefing.to_dict()`) as titled sections of cited lines, in reading
    order; the unique points get one section per source."""
    if not briefing:
        return []

    def lines(items: Any) -> list[CitedLine]:
        return [
            CitedLine(str(i.get("text", "")), [str(x) for x in i.get("citations") or []], str(i.get("kind", "")))
            for i in items or []
            if isinstance(i, dict)
        ]

    results = _results(c)
    out = []
    for key, title in _BRIEFING_SECTIONS[:2]:
        out.append((title, lines(briefing.get(key))))
    for aid, items in (briefing.get("unique") or {}).items():
        r = results.get(str(aid))
        name = f"{r.label} · {display_name(r)}" if r else str(aid)
        out.append((f"Only in {name}", lines(items)))
    out.append((_BRIEFING_SECTIONS[2][1], lines(briefing.get("quotes"))))
    return out


def cited_sentences_html(c: Comparison, sentence_ids: Sequence[str]) -> str:
    """The cited sentences, each with its source label and name and differing spans marked:
    what a citation chip reveals."""
    index = c.sentence_index()
    results = _results(c)
    spans = diff_spans(c)
    sentence_roles = roles(c)
    items = []
    for sid in sentence_ids:
        s = index.get(sid)
        r = results.get(s.article) if s else None
        who = f'<span class="px-label">{escape(r.label)}</span>{escape(display_name(r))}: ' if r else ""
        items.append(f"<li>{who}{sentence_html(c, sid, spans, sentence_roles.get(sid), index)}</li>")
    return f'<ul class="px-cited">{"".join(items)}</ul>'


# --- caching ----------------------------------------------------------------------------------


def fingerprint(c: Comparison) -> str:
    """A stable hash of the whole result, so per-comparison work (exports, summaries) can be cached."""
    data = json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def ordered(c: Comparison) -> list[Group]:
    """Groups for pickers: most sources first, then the surest (same order as the reports)."""
    return ordered_groups(c)
