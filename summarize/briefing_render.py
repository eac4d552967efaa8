"""A briefing as Markdown (to paste into a newsletter), JSON, or one standalone HTML page.

Every line ends with its citations ([A3][B5]); every cited sentence is listed at the end
(Markdown) or revealed on hover and in a footnote list (HTML), so an editor can check a
line against its source without opening the articles. Article text is untrusted: it is
escaped with the report exporters' own helpers, so it can neither inject HTML nor break
the Markdown structure.
"""

from __future__ import annotations

import json
import re
from typing import Any

from compare.export.highlight import DiffSpan, diff_spans, mark_text
from compare.export.html import escape, html_link, page_start, safe_url
from compare.export.markdown import md_code, md_inline, md_piece
from compare.model import ArticleResult, Comparison, Sentence
from compare.export._common import display_name
from summarize.briefing import Briefing, BriefingItem, source_name

__all__ = ["BRIEFING_FORMATS", "BRIEFING_SCHEMA", "render_briefing"]

BRIEFING_FORMATS = ("md", "json", "html")
BRIEFING_SCHEMA = "parallax/briefing@1"

# Sentence ids made by the engine ("A3", "AB12"); anything else is escaped like text.
_SID_RE = re.compile(r"[A-Z]{1,4}[0-9]{1,6}")

_EMPTY = {
    "consensus": "No fact is reported by two or more sources without dispute.",
    "disputed": "No discrepancy was found between the sources.",
    "unique": "Nothing worth a line is reported only here.",
    "quotes": "No quotes.",
}

_BRIEFING_CSS = """
main { max-width: 60rem; }
.lead { font-size: 1.05rem; border-left: 4px solid var(--mark); padding-left: .75rem; }
ul.items > li { margin: .5rem 0; }
ul.items > li.conflict { border-left: 4px solid var(--conflict); padding-left: .5rem; list-style: none; background: none; }
.cite { text-decoration: none; white-space: nowrap; }
.detail { color: var(--muted); }
mark { background: var(--conflict); color: inherit; }
ol.cited li { margin: .3rem 0; }
"""


def _sources(c: Comparison) -> list[dict[str, Any]]:
    """The source list shown with every format: label, id, name and metadata."""
    return [
        {
            "label": r.label,
            "id": r.article.id,
            "name": display_name(r),
            "title": r.article.title,
            "source": r.article.source,
            "date": r.article.date,
            "url": r.article.url,
            "language": r.article.language,
        }
        for r in c.articles
    ]


def _other_title(src: dict[str, Any]) -> str | None:
    """The title, unless it already is the name the source goes by."""
    return src["title"] if src["title"] and src["title"] != src["name"] else None


def _cited(c: Comparison, briefing: Briefing) -> list[Sentence]:
    """Every cited sentence once, in article then text order (the footnote list)."""
    index = c.sentence_index()
    ids = {sid for item in briefing.items() for sid in item.citations if sid in index}
    order = {r.article.id: n for n, r in enumerate(c.articles)}
    return sorted((index[sid] for sid in ids), key=lambda s: (order.get(s.article, 0), s.index))


def _title(c: Comparison) -> str:
    n = len(c.articles)
    return f"Parallax briefing: {n} source{'s' if n != 1 else ''}"


# --------------------------------------------------------------------------- Markdown


def _md_cite(sid: str) -> str:
    return f"[{sid}]" if _SID_RE.fullmatch(sid) else f"\\[{md_inline(sid)}\\]"


def _md_cites(item: BriefingItem) -> str:
    return "".join(_md_cite(s) for s in item.citations)


def _md_line(item: BriefingItem) -> str:
    cites = _md_cites(item)
    return f"- {md_inline(item.text)}" + (f" {cites}" if cites else "")


def _md_marked(s: Sentence, spans: dict[str, list[DiffSpan]]) -> str:
    """The sentence with its differing values in bold."""
    return mark_text(s.text, spans.get(s.id, []), md_piece, lambda t, _: f"**{md_piece(t).strip()}**").strip()


def _md_disputed(item: BriefingItem, index: dict[str, Sentence], spans: dict[str, list[DiffSpan]]) -> list[str]:
    lines = [_md_line(item)]
    explanation = item.extra.get("explanation")
    if explanation:
        lines.append(f"  - {md_inline(explanation)}")
    for sid in item.citations:
        if sid in index:
            lines.append(f"  - {_md_cite(sid)} {_md_marked(index[sid], spans)}")
    return lines


def _md_section(title: str, items: list[BriefingItem], empty: str) -> list[str]:
    lines = [f"## {title}", ""]
    if not items:
        lines.append(f"_{empty}_")
    lines += [_md_line(i) for i in items]
    return lines + [""]


def _to_markdown(c: Comparison, briefing: Briefing) -> str:
    index = c.sentence_index()
    results = {r.article.id: r for r in c.articles}
    spans = diff_spans(c)
    lines = [f"# {_title(c)}", ""]
    for src in _sources(c):
        meta = [md_inline(v) for v in (_other_title(src), src["date"], src["language"]) if v]
        tail = f" · {' · '.join(meta)}" if meta else ""
        lines.append(f"- **{md_inline(src['label'])}**: {md_inline(src['name'])} ({md_code(src['id'])}){tail}")
    lines.append("")
    if briefing.lead:
        lines += [f"**In brief:** {md_inline(briefing.lead)}", ""]

    lines += _md_section("Consensus", briefing.consensus, _EMPTY["consensus"])
    lines += ["## Disputed", ""]
    if not briefing.disputed:
        lines.append(f"_{_EMPTY['disputed']}_")
    for item in briefing.disputed:
        lines += _md_disputed(item, index, spans)
    lines.append("")
    for article_id, items in briefing.unique.items():
        r: ArticleResult | None = results.get(article_id)
        lines += _md_section(f"Only in {md_inline(source_name(r, article_id))}", items, _EMPTY["unique"])
    lines += _md_section("Quotes", briefing.quotes, _EMPTY["quotes"])

    cited = _cited(c, briefing)
    if cited:
        lines += ["## Cited sentences", ""]
        for s in cited:
            name = md_inline(source_name(results.get(s.article), s.article))
            lines.append(f"- {_md_cite(s.id)} ({name}) {_md_marked(s, spans)}")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML


def _html_cites(item: BriefingItem, index: dict[str, Sentence], results: dict[str, ArticleResult]) -> str:
    """Citation links to the footnote list; the title reveals the sentence on hover."""
    out = []
    for sid in item.citations:
        s = index.get(sid)
        if s is None:
            out.append(f'<span class="sid">[{escape(sid)}]</span>')
            continue
        name = source_name(results.get(s.article), s.article)
        out.append(f'<a class="sid cite" href="#cite-{escape(sid)}" title="{escape(f"{sid} · {name}: {s.text}")}">[{escape(sid)}]</a>')
    return "".join(out)


def _html_marked(s: Sentence, spans: dict[str, list[DiffSpan]]) -> str:
    return mark_text(s.text, spans.get(s.id, []), escape, lambda t, d: f'<mark title="{escape(d.explanation)}">{escape(t)}</mark>')


def _html_items(
    items: list[BriefingItem],
    empty: str,
    index: dict[str, Sentence],
    results: dict[str, ArticleResult],
    spans: dict[str, list[DiffSpan]] | None = None,
) -> list[str]:
    if not items:
        return [f'<p class="muted">{escape(empty)}</p>']
    out = ['<ul class="items">']
    for item in items:
        cls = ' class="conflict"' if spans is not None else ""
        body = f"{escape(item.text)} {_html_cites(item, index, results)}"
        if spans is not None:
            details = []
            if item.extra.get("explanation"):
                details.append(f'<li class="detail">{escape(item.extra["explanation"])}</li>')
            for sid in item.citations:
                if sid in index:
                    details.append(
                        f'<li><a class="sid" href="#cite-{escape(sid)}">[{escape(sid)}]</a> {_html_marked(index[sid], spans)}</li>'
                    )
            if details:
                body += "<ul>" + "".join(details) + "</ul>"
        out.append(f"<li{cls}>{body}</li>")
    out.append("</ul>")
    return out


def _to_html(c: Comparison, briefing: Briefing) -> str:
    index = c.sentence_index()
    results = {r.article.id: r for r in c.articles}
    spans = diff_spans(c)
    title = _title(c)
    parts = [
        *page_start(title, _BRIEFING_CSS),
        "<header>",
        f"<h1>{escape(title)}</h1>",
        '<ul class="sources">',
    ]
    for src in _sources(c):
        name = html_link(src["url"], src["name"]) if safe_url(src["url"]) else escape(src["name"])
        meta = " · ".join(escape(v) for v in (_other_title(src), src["date"], src["language"]) if v)
        parts.append(
            f'<li><strong>{escape(src["label"])}</strong>: {name} <span class="sid muted">{escape(src["id"])}</span>'
            + (f' <span class="muted">{meta}</span>' if meta else "")
            + "</li>"
        )
    parts += ["</ul>", "</header>", "<main>"]
    if briefing.lead:
        parts.append(f'<p class="lead"><strong>In brief:</strong> {escape(briefing.lead)}</p>')
    parts += ['<section id="consensus">', "<h2>Consensus</h2>"]
    parts += _html_items(briefing.consensus, _EMPTY["consensus"], index, results)
    parts += ["</section>", '<section id="disputed">', "<h2>Disputed</h2>"]
    parts += _html_items(briefing.disputed, _EMPTY["disputed"], index, results, spans)
    parts.append("</section>")
    for n, (article_id, items) in enumerate(briefing.unique.items(), start=1):
        name = source_name(results.get(article_id), article_id)
        parts += [f'<section id="only-{n}">', f"<h2>Only in {escape(name)}</h2>"]
        parts += _html_items(items, _EMPTY["unique"], index, results)
        parts.append("</section>")
    parts += ['<section id="quotes">', "<h2>Quotes</h2>"]
    parts += _html_items(briefing.quotes, _EMPTY["quotes"], index, results)
    parts.append("</section>")
    cited = _cited(c, briefing)
    if cited:
        parts += ['<section id="cited">', "<h2>Cited sentences</h2>", '<ol class="cited">']
        for s in cited:
            name = source_name(results.get(s.article), s.article)
            parts.append(
                f'<li id="cite-{escape(s.id)}"><span class="sid">[{escape(s.id)}]</span> '
                f'<span class="muted">({escape(name)})</span> {_html_marked(s, spans)}</li>'
            )
        parts += ["</ol>", "</section>"]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- API


def _to_json(c: Comparison, briefing: Briefing) -> str:
    data = {"schema": BRIEFING_SCHEMA, "sources": _sources(c), **briefing.to_dict()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_briefing(comparison: Comparison, briefing: Briefing, fmt: str = "md") -> str:
    """The briefing as text in one of BRIEFING_FORMATS ("md", "json", "html")."""
    if fmt == "md":
        return _to_markdown(comparison, briefing)
    if fmt == "json":
        return _to_json(comparison, briefing)
    if fmt == "html":
        return _to_html(comparison, briefing)
    raise ValueError(f"unknown briefing format {fmt!r}; use one of {', '.join(BRIEFING_FORMATS)}")
