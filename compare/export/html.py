"""Self-contained HTML report: the articles side by side, every sentence coloured by its role.

One file, inline CSS, no scripts and no external resources, so it can be mailed or archived
and still work offline. Article data is untrusted (scraped text, titles, urls): every value
goes through `html.escape` and only http(s) urls become links.

Where sources differ, the differing values are `<mark class="diff diff-<type>">` inside
their sentences (columns, group lists and the discrepancy tables), so a reader sees at a
glance *what* differs, not only that a sentence is disputed.
"""

from __future__ import annotations

import re
from typing import Any

from compare.export._common import (
    article_by_id,
    conflict_sentence_ids,
    discrepancies_by_sentence,
    display_name,
    fmt_score,
    groups_by_sentence,
    id_list,
    ordered_groups,
    plain,
    reads_differently,
    unique_sentences,
    with_numbered_discrepancies,
)
from compare.export.columns import ColumnClasses, Role, article_column, marked_html, sentence_roles
from compare.export.highlight import DiffSpan, diff_spans, span_sentences, spans_by_discrepancy
from compare.export.markup import escape, html_link, safe_url, text_html
from compare.model import ArticleResult, Comparison, Group, Sentence

__all__ = ["REPORT_CLASSES", "escape", "html_link", "page_start", "safe_url", "to_html"]

_CLASS_RE = re.compile(r"[^a-z0-9_-]+")
# Discrepancy types with their own colour in _CSS; anything else is drawn as "diff-other".
_DIFF_TYPES = frozenset({"number", "negation", "date", "entity", "quote", "attribution"})

_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #6b6b70; --border: #d6d6db;
  --shared: #d7f0d7; --conflict: #ffdca8; --unique: #e3ebf5; --mark: #2f6fde;
  --d-number: #ffb3b3; --d-negation: #f2b8f0; --d-date: #c9c2ff; --d-entity: #a8e0f0; --d-quote: #ffe27a;
  --d-attribution: #ffc48a; --d-other: #d9d9de; --d-line: #b3261e; --ins: #c8f0c8; --del: #ffd0d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ea; --bg: #17171a; --muted: #a0a0a8;
  --border: #3a3a40; --shared: #21452a; --conflict: #5a3a12; --unique: #243246; --mark: #7aa7ff;
  --d-number: #7a2626; --d-negation: #6a2a66; --d-date: #3f3585; --d-entity: #1f5566; --d-quote: #6b5a10;
  --d-attribution: #7a4514; --d-other: #45454d; --d-line: #ff8a80; --ins: #1e4d1e; --del: #5c1f1f; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.5rem 3rem; color: var(--fg); background: var(--bg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
a { color: var(--mark); }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid var(--border); padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; }
.muted { color: var(--muted); }
.legend span { display: inline-block; margin-right: .75rem; padding: 0 .4rem; border-radius: 3px; }
.scroller { overflow-x: auto; padding-bottom: .5rem; }
.grid { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(20rem, 1fr); gap: 1rem; }
.col { min-width: 0; border: 1px solid var(--border); border-radius: 6px; padding: .75rem 1rem; }
.col header { border-bottom: 1px solid var(--border); margin-bottom: .75rem; padding-bottom: .5rem; }
.col .label { font-weight: 700; margin-right: .35rem; }
.col p { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 .9em; }
.sent { border-radius: 3px; padding: 0 .1em; }
.shared { background: var(--shared); }
.conflict { background: var(--conflict); }
.unique { background: var(--unique); }
.sent.heading { font-weight: 650; }
sup.g { font-size: .7em; margin-left: .1em; }
sup.g a { text-decoration: none; }
:target { outline: 2px solid var(--mark); outline-offset: 1px; }
.group, .item { border-left: 4px solid var(--shared); padding: .1rem 0 .1rem .75rem; margin: .75rem 0; }
.group.conflict, .item.conflict { border-left-color: var(--conflict); background: none; }
.group ul, .only ul, .item ul { margin: .25rem 0; padding-left: 1.2rem; }
.sid { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; }
.diff { color: inherit; background: var(--d-other); border-radius: 2px; padding: 0 .08em;
  box-shadow: inset 0 -2px 0 var(--d-line); }
.diff-number { background: var(--d-number); }
.diff-negation { background: var(--d-negation); }
.diff-date { background: var(--d-date); }
.diff-entity { background: var(--d-entity); }
.diff-quote { background: var(--d-quote); }
.diff-attribution { background: var(--d-attribution); }
sup.d a { color: var(--d-line); }
table.versus { width: 100%; table-layout: fixed; margin: .4rem 0; }
table.versus th[scope="row"] { width: 7rem; }
table.versus td { overflow-wrap: anywhere; }
.speaker-conflict { box-shadow: inset 0 -2px 0 var(--d-line); background: var(--d-attribution); }
.badge { font-size: .8em; padding: 0 .35em; border-radius: 3px; background: var(--conflict); }
ins.word { background: var(--ins); text-decoration: underline; }
del.word { background: var(--del); text-decoration: line-through; }
ul.changes { margin: .25rem 0; }
@media print { .scroller { overflow: visible; } .grid { grid-auto-flow: row; grid-template-columns: 1fr; } }
"""


def _diff_class(kind: str) -> str:
    token = _CLASS_RE.sub("", kind.lower())
    return f"diff-{token}" if token in _DIFF_TYPES else "diff-other"


def _mark(text: str, span: DiffSpan) -> str:
    attrs = f'class="diff {_diff_class(span.type)}"'
    if span.discrepancy:
        attrs += f' data-discrepancy="{escape(span.discrepancy)}"'
    if span.explanation:
        attrs += f' title="{escape(span.explanation)}"'
    return f"<mark {attrs}>{text_html(text)}</mark>"


# The report's class set: plain names (its own stylesheet), anchors and links between sections.
REPORT_CLASSES = ColumnClasses(
    prefix="", roles={"agree": "shared", "disputed": "conflict", "unique": "unique", "heading": "heading"}, mark=_mark, linked=True
)


def _marked(text: str, spans: list[DiffSpan]) -> str:
    """Escaped sentence `text` with its differing spans marked."""
    return marked_html(text, spans, _mark)


def _sources(c: Comparison) -> list[str]:
    rows = [
        "<table>",
        "<thead><tr><th>Label</th><th>ID</th><th>Title</th><th>Source</th><th>Language</th>"
        "<th>Date</th><th>Sentences</th></tr></thead>",
        "<tbody>",
    ]
    for r in c.articles:
        a = r.article
        title = html_link(a.url, a.title or a.url) if safe_url(a.url) else escape(a.title)
        n = sum(1 for s in r.sentences if s.kind == "sentence")
        rows.append(
            f'<tr><td><a href="#a-{escape(r.label)}">{escape(r.label)}</a></td><td class="sid">{escape(a.id)}</td>'
            f"<td>{title}</td><td>{escape(a.source)}</td><td>{escape(a.language)}</td><td>{escape(a.date)}</td>"
            f'<td class="num">{n}</td></tr>'
        )
    rows += ["</tbody>", "</table>"]
    return rows


def _summary(c: Comparison, uniques: dict[str, list[Sentence]]) -> list[str]:
    conflicts = sum(1 for g in c.groups if g.status == "conflict")
    items = [
        f"Shared facts: <strong>{len(c.groups)}</strong> ({len(c.groups) - conflicts} agree, {conflicts} conflict)",
    ]
    if c.discrepancies:
        items.append(f'<a href="#discrepancies">Discrepancies</a>: <strong>{len(c.discrepancies)}</strong>')
    if c.quotes:
        items.append(f'<a href="#quotes">Quotes</a>: <strong>{len(c.quotes)}</strong>')
    per_article = ", ".join(
        f"{escape(r.label)} ({escape(display_name(r))}): {len(uniques[r.article.id])}" for r in c.articles
    )
    items.append(f"Unique sentences: {per_article or 'none'}")
    model = c.settings.get("embedder_model") if isinstance(c.settings, dict) else None
    if model:
        items.append(f'Model: <span class="sid">{escape(model)}</span>')
    return ["<ul>"] + [f"<li>{item}</li>" for item in items] + ["</ul>"]


def _columns(
    c: Comparison,
    grouped: dict[str, list[Group]],
    roles: dict[str, Role],
    spans: dict[str, list[DiffSpan]],
    disputed: dict[str, list[dict[str, Any]]],
) -> list[str]:
    out = ['<div class="scroller"><div class="grid">']
    out += [
        article_column(c, r, roles, REPORT_CLASSES, spans, grouped=grouped, discrepancies=disputed) for r in c.articles
    ]
    out.append("</div></div>")
    return out


def _sentence_item(
    sid: str, index: dict[str, Sentence], results: dict[str, ArticleResult], spans: dict[str, list[DiffSpan]]
) -> str:
    s = index.get(sid)
    if s is None:
        return f'<li><span class="sid">[{escape(sid)}]</span> <span class="muted">(unknown sentence)</span></li>'
    r = results.get(s.article)
    name = display_name(r) if r is not None else s.article
    return (
        f'<li><a class="sid" href="#s-{escape(s.id)}">[{escape(s.id)}]</a> '
        f'<span class="muted">({escape(name)})</span> {_marked(s.text, spans.get(s.id, []))}</li>'
    )


def _groups(
    c: Comparison, index: dict[str, Sentence], results: dict[str, ArticleResult], spans: dict[str, list[DiffSpan]]
) -> list[str]:
    out = ['<section id="groups">', "<h2>Shared facts</h2>"]
    groups = ordered_groups(c)
    if not groups:
        out.append('<p class="muted">No fact is reported by more than one source.</p>')
    for g in groups:
        status = "conflict" if g.status == "conflict" else "shared"
        out.append(
            f'<section class="group {status}" id="g-{escape(g.id)}"><h3>{escape(g.id)} · {escape(g.status)} · '
            f"score {escape(fmt_score(g.score))} · {len(set(g.articles))} sources</h3><ul>"
        )
        out += [_sentence_item(sid, index, results, spans) for sid in g.sentences]
        out.append("</ul></section>")
    out.append("</section>")
    return out


def _unique(
    c: Comparison,
    uniques: dict[str, list[Sentence]],
    results: dict[str, ArticleResult],
    spans: dict[str, list[DiffSpan]],
) -> list[str]:
    out = ['<section id="unique" class="only">', "<h2>Unique sentences</h2>"]
    index = {s.id: s for ss in uniques.values() for s in ss}
    for r in c.articles:
        out.append(f"<h3>Only in {escape(display_name(r))} ({escape(r.label)})</h3>")
        unique = uniques[r.article.id]
        if not unique:
            out.append('<p class="muted">No unique sentences.</p>')
            continue
        out.append("<ul>")
        out += [_sentence_item(s.id, index, results, spans) for s in unique]
        out.append("</ul>")
    out.append("</section>")
    return out


def _who(results: dict[str, ArticleResult], article_id: Any) -> str:
    r = results.get(str(article_id))
    if r is None:
        return escape(article_id)
    return f'<a href="#a-{escape(r.label)}">{escape(r.label)}</a> ({escape(display_name(r))})'


def _sentence_link(sid: str, index: dict[str, Sentence]) -> str:
    """A citation that jumps to the sentence in the columns (plain text when there is no such sentence)."""
    if sid in index:
        return f'<a class="sid" href="#s-{escape(sid)}">[{escape(sid)}]</a>'
    return f'<span class="sid">[{escape(sid)}]</span>'


def _quote_link(qid: str, anchored: set[str]) -> str:
    if qid in anchored:
        return f'<a class="sid" href="#q-{escape(qid)}">{escape(qid)}</a>'
    return f'<span class="sid">{escape(qid)}</span>'


def _word_diff(diff: Any) -> str:
    """Word changes of an altered quote (`quote_links.word_diff` runs) as <del>/<ins>."""
    if not isinstance(diff, (list, tuple)):
        return f"<p>{escape(diff)}</p>" if diff else ""
    items: list[str] = []
    for run in diff:
        if not isinstance(run, dict):
            items.append(f"<li>{escape(run)}</li>")
            continue
        old, new = plain(run.get("a")).strip(), plain(run.get("b")).strip()
        parts = []
        if old:
            parts.append(f'<del class="word">{escape(old)}</del>')
        if new:
            parts.append(f'<ins class="word">{escape(new)}</ins>')
        if parts:
            items.append(f'<li>{" → ".join(parts)}</li>')
    if not items:
        return ""
    return '<p>Word changes:</p><ul class="changes">' + "".join(items) + "</ul>"


def _columns_of(d: dict[str, Any], index: dict[str, Sentence], results: dict[str, ArticleResult]) -> list[str]:
    """The articles a discrepancy involves, in input order: its values' keys and its sentences' articles."""
    values = d.get("values")
    named = [str(k) for k in values] if isinstance(values, dict) else []
    named += [index[sid].article for sid in id_list(d.get("sentences")) + span_sentences(d) if sid in index]
    order = {aid: n for n, aid in enumerate(results)}
    return sorted(dict.fromkeys(named), key=lambda aid: order.get(aid, len(order)))


def _discrepancy(
    c: Comparison,
    d: dict[str, Any],
    spans: dict[str, list[DiffSpan]],
    index: dict[str, Sentence],
    results: dict[str, ArticleResult],
    anchored: set[str],
) -> list[str]:
    """One discrepancy: what differs, each source's value and its sentence with `spans` (its own) marked."""
    did = plain(d["id"])
    head = [escape(did)]
    if d.get("type"):
        head.append(escape(d["type"]))
    if d.get("group"):
        group = plain(d["group"])
        known = any(g.id == group for g in c.groups)
        head.append(f'<a href="#g-{escape(group)}">{escape(group)}</a>' if known else escape(group))
    if d.get("confidence") is not None:
        head.append(f"confidence {escape(fmt_score(d['confidence']))}")
    out = [f'<div class="item conflict" id="d-{escape(did)}"><h3>{" · ".join(head)}</h3>']
    if d.get("explanation"):
        out.append(f"<p>{escape(d['explanation'])}</p>")
    values = d.get("values") if isinstance(d.get("values"), dict) else {}
    normalized = d.get("normalized") if isinstance(d.get("normalized"), dict) else {}
    columns = _columns_of(d, index, results)
    sentence_ids = list(dict.fromkeys(id_list(d.get("sentences")) + span_sentences(d)))
    if columns:
        rows = ['<table class="versus">', '<thead><tr><th scope="col"></th>']
        rows += [f'<th scope="col">{_who(results, aid)}</th>' for aid in columns]
        rows.append("</tr></thead><tbody>")
        rows.append('<tr><th scope="row">Value</th>')
        rows += [f"<td><strong>{escape(values.get(aid))}</strong></td>" for aid in columns]
        rows.append("</tr>")
        if any(reads_differently(values.get(aid), normalized.get(aid)) for aid in columns):
            rows.append('<tr><th scope="row">Read as</th>')
            rows += [f'<td class="muted">{escape(normalized.get(aid))}</td>' for aid in columns]
            rows.append("</tr>")
        rows.append('<tr><th scope="row">Sentence</th>')
        for aid in columns:
            cells = [
                f"<p>{_sentence_link(sid, index)} {_marked(index[sid].text, spans.get(sid, []))}</p>"
                for sid in sentence_ids
                if sid in index and index[sid].article == aid
            ]
            rows.append(f"<td>{''.join(cells)}</td>")
        rows.append("</tr></tbody></table>")
        out += rows
    elif d.get("values") is not None:
        out.append(f"<p>Values: {escape(d['values'])}</p>")
    unknown = [sid for sid in sentence_ids if sid not in index]
    if unknown:
        out.append(f'<p class="muted">Unknown sentences: {", ".join(escape(s) for s in unknown)}</p>')
    quotes = id_list(d.get("quotes"))
    if quotes:
        out.append(f"<p>Quotes: {' ↔ '.join(_quote_link(q, anchored) for q in quotes)}</p>")
    out.append(_word_diff(d.get("diff")))
    out.append("</div>")
    return [line for line in out if line]


def _discrepancies(
    c: Comparison, index: dict[str, Sentence], results: dict[str, ArticleResult], anchored: set[str]
) -> list[str]:
    out = ['<section id="discrepancies">', "<h2>Discrepancies</h2>"]
    marks = spans_by_discrepancy(c)
    for d in c.discrepancies:
        out += _discrepancy(c, d, marks[d["id"]], index, results, anchored)
    out.append("</section>")
    return out


def _quote_anchors(c: Comparison) -> set[str]:
    """Quote ids that get an anchor: the first quote with each id."""
    return {plain(q.get("id")) for q in c.quotes if isinstance(q, dict) and plain(q.get("id"))}


def _quote_link_block(
    n: int,
    link: dict[str, Any],
    quotes: dict[str, dict[str, Any]],
    index: dict[str, Sentence],
    results: dict[str, ArticleResult],
    anchored: set[str],
) -> list[str]:
    """One linked pair (or more) of quotes side by side: source, speaker, words, sentence."""
    ids = id_list(link.get("quotes"))
    relation = plain(link.get("relation")) or "related"
    conflict = bool(link.get("speaker_conflict"))
    head = (" ↔ ".join(_quote_link(q, anchored) for q in ids) or "?") + f" · {escape(relation)}"
    if conflict:
        head += ' · <span class="badge">speaker conflict</span>'
    status = "conflict" if conflict or relation == "altered" else "shared"
    out = [f'<div class="item {status}" id="ql-{n}"><h3>{head}</h3>']
    known = [(qid, quotes[qid]) for qid in ids if qid in quotes]
    if known:
        out.append('<table class="versus"><thead><tr><th scope="col"></th>')
        out += [f'<th scope="col">{escape(qid)}</th>' for qid, _ in known]
        out.append("</tr></thead><tbody>")
        out.append('<tr><th scope="row">Source</th>')
        out += [f"<td>{_who(results, q.get('article'))}</td>" for _, q in known]
        out.append('</tr><tr><th scope="row">Speaker</th>')
        for _, q in known:
            speaker = escape(q.get("speaker")) or '<span class="muted">unknown</span>'
            out.append(f'<td><span class="speaker-conflict">{speaker}</span></td>' if conflict else f"<td>{speaker}</td>")
        out.append('</tr><tr><th scope="row">Quote</th>')
        out += [f"<td>“{escape(q.get('text'))}”</td>" for _, q in known]
        out.append('</tr><tr><th scope="row">Sentence</th>')
        for _, q in known:
            sid = plain(q.get("sentence"))
            out.append(f"<td>{_sentence_link(sid, index)}</td>" if sid else "<td></td>")
        out.append("</tr></tbody></table>")
    if relation == "altered" or link.get("diff"):
        out.append(_word_diff(link.get("diff")))
    out.append("</div>")
    return [line for line in out if line]


def _quotes(c: Comparison, index: dict[str, Sentence], results: dict[str, ArticleResult], anchored: set[str]) -> list[str]:
    """Linked quotes first (what each source made of the same words), then every quote found."""
    quotes: dict[str, dict[str, Any]] = {}
    for q in c.quotes:
        if isinstance(q, dict) and plain(q.get("id")):
            quotes.setdefault(plain(q.get("id")), q)
    out = ['<section id="quotes">', "<h2>Quotes</h2>"]
    if c.quote_links:
        out += ['<section id="quote-links">', "<h3>Quotes in several sources</h3>"]
        for n, link in enumerate(c.quote_links, start=1):
            link = link if isinstance(link, dict) else {"relation": link}
            out += _quote_link_block(n, link, quotes, index, results, anchored)
        out.append("</section>")
    if c.quotes:
        out += ["<h3>All quotes</h3>", "<ul>"]
        seen: set[str] = set()
        for q in c.quotes:
            q = q if isinstance(q, dict) else {"text": q}
            qid = plain(q.get("id"))
            anchor = f' id="q-{escape(qid)}"' if qid and qid not in seen else ""
            seen.add(qid)
            where = f" ({_who(results, q['article'])})" if q.get("article") is not None else ""
            speaker = escape(q.get("speaker")) or '<span class="muted">unknown speaker</span>'
            sid = plain(q.get("sentence"))
            cite = f" {_sentence_link(sid, index)}" if sid else ""
            out.append(
                f'<li{anchor}><span class="sid">{escape(qid or "?")}</span>{where} {speaker}: '
                f"“{escape(q.get('text'))}”{cite}</li>"
            )
        out.append("</ul>")
    out.append("</section>")
    return out


def _reported(c: Comparison, index: dict[str, Sentence], results: dict[str, ArticleResult]) -> list[str]:
    """Statements attributed without quotation marks ("laut Lu", "Er sagte, ...", Konjunktiv):
    whose statement each sentence carries, with the cue that says so."""
    out = ['<section id="reported">', "<h2>Reported speech</h2>", "<ul>"]
    for r in c.reported_speech:
        if not isinstance(r, dict):
            continue
        where = f" ({_who(results, r['article'])})" if r.get("article") is not None else ""
        sid = plain(r.get("sentence"))
        cite = f" {_sentence_link(sid, index)}" if sid else ""
        sentence = index.get(sid)
        said = f": {escape(sentence.text)}" if sentence is not None else ""
        out.append(
            f'<li><span class="sid">{escape(plain(r.get("id")) or "?")}</span>{where} '
            f'{escape(r.get("speaker"))} <span class="muted">({escape(r.get("cue"))})</span>{said}{cite}</li>'
        )
    out += ["</ul>", "</section>"]
    return out


def page_start(title: str, css: str = "") -> list[str]:
    """The lines of a standalone page up to `<body>`: our stylesheet plus `css`, an escaped title."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Parallax">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}{css}</style>",
        "</head>",
        "<body>",
    ]


def to_html(c: Comparison) -> str:
    """Render the comparison as one self-contained HTML5 document."""
    c = with_numbered_discrepancies(c)
    results = article_by_id(c)
    index = c.sentence_index()
    grouped = groups_by_sentence(c)
    roles = sentence_roles(c, conflict_sentence_ids(c))
    spans = diff_spans(c)
    disputed = discrepancies_by_sentence(c.discrepancies)
    anchored = _quote_anchors(c)
    uniques = {r.article.id: unique_sentences(c, r, index) for r in c.articles}
    title = f"Parallax comparison: {len(c.articles)} articles"

    parts: list[str] = [
        *page_start(title),
        "<header>",
        f"<h1>{escape(title)}</h1>",
    ]
    parts += _sources(c)
    parts += _summary(c, uniques)
    parts += [
        '<p class="legend"><span class="shared">shared</span><span class="conflict">conflict</span>'
        '<span class="unique">unique</span><span class="muted">headings unmarked</span></p>',
    ]
    kinds = sorted({plain(d.get("type")) for d in c.discrepancies if span_sentences(d)} - {""})
    if kinds:
        legend = "".join(f'<span class="diff {_diff_class(k)}">{escape(k)}</span>' for k in kinds)
        parts.append(f'<p class="legend">Differing values: {legend}</p>')
    parts += [
        "</header>",
        "<main>",
        '<section id="articles">',
        "<h2>Articles</h2>",
    ]
    parts += _columns(c, grouped, roles, spans, disputed)
    parts.append("</section>")
    parts += _groups(c, index, results, spans)
    parts += _unique(c, uniques, results, spans)
    if c.discrepancies:
        parts += _discrepancies(c, index, results, anchored)
    if c.quotes or c.quote_links:
        parts += _quotes(c, index, results, anchored)
    if c.reported_speech:
        parts += _reported(c, index, results)
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
