"""Self-contained HTML report: the articles side by side, every sentence coloured by its role.

One file, inline CSS, no scripts and no external resources, so it can be mailed or archived
and still work offline. Article data is untrusted (scraped text, titles, urls): every value
goes through `html.escape` and only http(s) urls become links.
"""

from __future__ import annotations

import html
import re
from typing import Any

from compare.export._common import (
    article_by_id,
    conflict_sentence_ids,
    display_name,
    fmt_score,
    groups_by_sentence,
    ordered_groups,
    plain,
    unique_sentences,
)
from compare.model import ArticleResult, Comparison, Group, Sentence

__all__ = ["to_html"]

# Line breaks other than "\n" are normalised first, so that only "\n" needs handling.
_BREAKS_RE = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_PARAGRAPH_RE = re.compile(r"\s*\n\s*\n\s*")
_EMPTY_P_RE = re.compile(r"<p>\s*</p>")
_LANG_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #6b6b70; --border: #d6d6db;
  --shared: #d7f0d7; --conflict: #ffdca8; --unique: #e3ebf5; --mark: #2f6fde; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ea; --bg: #17171a; --muted: #a0a0a8;
  --border: #3a3a40; --shared: #21452a; --conflict: #5a3a12; --unique: #243246; --mark: #7aa7ff; } }
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
@media print { .scroller { overflow: visible; } .grid { grid-auto-flow: row; grid-template-columns: 1fr; } }
"""


def _e(value: Any) -> str:
    """Escape any value for text or a double-quoted attribute (None -> empty)."""
    return html.escape(plain(value), quote=True)


def _safe_url(url: Any) -> str | None:
    """Only web urls become links: javascript:, data: and file: urls are shown as text."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def _link(url: Any, label: Any | None = None) -> str:
    safe = _safe_url(url)
    if safe is None:
        return _e(url)
    return f'<a href="{_e(safe)}" rel="noopener noreferrer nofollow">{_e(label if label else safe)}</a>'


def _role(s: Sentence, grouped: dict[str, list[Group]], conflicts: set[str]) -> str:
    if s.kind != "sentence":
        return "heading"
    if s.id in conflicts:
        return "conflict"
    if s.id in grouped:
        return "shared"
    return "unique"


def _tooltip(s: Sentence, role: str, groups: list[Group], name: str) -> str:
    if role == "heading":
        return f"{s.id} · {s.kind}"
    if groups:
        parts = ", ".join(f"{g.id} ({g.status}, score {fmt_score(g.score)})" for g in groups)
        return f"{s.id} · {role} · {parts}"
    if role == "conflict":
        return f"{s.id} · conflict (see discrepancies)"
    return f"{s.id} · only in {name}"


def _text_html(text: str) -> str:
    """Escape a piece of article text; newlines stay (paragraphs use white-space: pre-wrap)."""
    return html.escape(_BREAKS_RE.sub("\n", text), quote=True)


def _gap_html(gap: str) -> str:
    """Text between sentences: blank lines end the paragraph, anything else is kept verbatim."""
    parts = _PARAGRAPH_RE.split(_BREAKS_RE.sub("\n", gap))
    return "</p><p>".join(html.escape(p, quote=True) for p in parts)


def _article_body(r: ArticleResult, grouped: dict[str, list[Group]], conflicts: set[str]) -> str:
    """The whole article text, with each sentence wrapped in its anchor span.

    Offsets are trusted only as far as they are sane: spans are sorted, clamped to the
    text and never overlap, and every sentence gets its span (possibly empty) so that
    every `#s-...` link has a target.
    """
    text = r.article.text
    name = display_name(r)
    out: list[str] = ["<p>"]
    cursor = 0
    first = True
    for s in sorted(r.sentences, key=lambda s: (s.start, s.end)):
        start = min(max(int(s.start), cursor), len(text))
        end = min(max(int(s.end), start), len(text))
        gap = text[cursor:start]
        out.append(_gap_html(gap.lstrip() if first else gap))
        first = False
        groups = grouped.get(s.id, [])
        role = _role(s, grouped, conflicts)
        refs = "".join(f'<sup class="g"><a href="#g-{_e(g.id)}">{_e(g.id)}</a></sup>' for g in groups)
        out.append(
            f'<span id="s-{_e(s.id)}" class="sent {role}" title="{_e(_tooltip(s, role, groups, name))}">'
            f"{_text_html(text[start:end])}{refs}</span>"
        )
        cursor = end
    out.append(_gap_html(text[cursor:].rstrip()))
    out.append("</p>")
    return _EMPTY_P_RE.sub("", "".join(out))


def _sources(c: Comparison) -> list[str]:
    rows = [
        "<table>",
        "<thead><tr><th>Label</th><th>ID</th><th>Title</th><th>Source</th><th>Language</th>"
        "<th>Date</th><th>Sentences</th></tr></thead>",
        "<tbody>",
    ]
    for r in c.articles:
        a = r.article
        title = _link(a.url, a.title or a.url) if _safe_url(a.url) else _e(a.title)
        n = sum(1 for s in r.sentences if s.kind == "sentence")
        rows.append(
            f'<tr><td><a href="#a-{_e(r.label)}">{_e(r.label)}</a></td><td class="sid">{_e(a.id)}</td>'
            f"<td>{title}</td><td>{_e(a.source)}</td><td>{_e(a.language)}</td><td>{_e(a.date)}</td>"
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
        f"{_e(r.label)} ({_e(display_name(r))}): {len(uniques[r.article.id])}" for r in c.articles
    )
    items.append(f"Unique sentences: {per_article or 'none'}")
    model = c.settings.get("embedder_model") if isinstance(c.settings, dict) else None
    if model:
        items.append(f'Model: <span class="sid">{_e(model)}</span>')
    return ["<ul>"] + [f"<li>{item}</li>" for item in items] + ["</ul>"]


def _columns(c: Comparison, grouped: dict[str, list[Group]], conflicts: set[str]) -> list[str]:
    out = ['<div class="scroller"><div class="grid">']
    for r in c.articles:
        a = r.article
        meta = " · ".join(_e(v) for v in (a.source, a.date, a.language) if v)
        title = _e(a.title) if a.title else _e(a.id)
        link = f' <span class="muted">({_link(a.url, "link")})</span>' if _safe_url(a.url) else ""
        lang = f' lang="{_e(a.language)}"' if a.language and _LANG_RE.fullmatch(a.language) else ""
        out.append(
            f'<article class="col" id="a-{_e(r.label)}"{lang}><header><span class="label">{_e(r.label)}</span>'
            f"<strong>{title}</strong>{link}<br><span class=\"muted\">{meta}</span></header>"
        )
        out.append(_article_body(r, grouped, conflicts))
        out.append("</article>")
    out.append("</div></div>")
    return out


def _sentence_item(sid: str, index: dict[str, Sentence], results: dict[str, ArticleResult]) -> str:
    s = index.get(sid)
    if s is None:
        return f'<li><span class="sid">[{_e(sid)}]</span> <span class="muted">(unknown sentence)</span></li>'
    r = results.get(s.article)
    name = display_name(r) if r is not None else s.article
    return (
        f'<li><a class="sid" href="#s-{_e(s.id)}">[{_e(s.id)}]</a> '
        f'<span class="muted">({_e(name)})</span> {_e(s.text)}</li>'
    )


def _groups(c: Comparison, index: dict[str, Sentence], results: dict[str, ArticleResult]) -> list[str]:
    out = ['<section id="groups">', "<h2>Shared facts</h2>"]
    groups = ordered_groups(c)
    if not groups:
        out.append('<p class="muted">No fact is reported by more than one source.</p>')
    for g in groups:
        status = "conflict" if g.status == "conflict" else "shared"
        out.append(
            f'<section class="group {status}" id="g-{_e(g.id)}"><h3>{_e(g.id)} · {_e(g.status)} · '
            f"score {_e(fmt_score(g.score))} · {len(set(g.articles))} sources</h3><ul>"
        )
        out += [_sentence_item(sid, index, results) for sid in g.sentences]
        out.append("</ul></section>")
    out.append("</section>")
    return out


def _unique(c: Comparison, uniques: dict[str, list[Sentence]], results: dict[str, ArticleResult]) -> list[str]:
    out = ['<section id="unique" class="only">', "<h2>Unique sentences</h2>"]
    index = {s.id: s for ss in uniques.values() for s in ss}
    for r in c.articles:
        out.append(f"<h3>Only in {_e(display_name(r))} ({_e(r.label)})</h3>")
        unique = uniques[r.article.id]
        if not unique:
            out.append('<p class="muted">No unique sentences.</p>')
            continue
        out.append("<ul>")
        out += [_sentence_item(s.id, index, results) for s in unique]
        out.append("</ul>")
    out.append("</section>")
    return out


def _who(results: dict[str, ArticleResult], article_id: Any) -> str:
    r = results.get(str(article_id))
    if r is None:
        return _e(article_id)
    return f'<a href="#a-{_e(r.label)}">{_e(r.label)}</a> ({_e(display_name(r))})'


def _sentence_refs(ids: Any) -> str:
    if isinstance(ids, (list, tuple)):
        return ", ".join(f'<a class="sid" href="#s-{_e(s)}">[{_e(s)}]</a>' for s in ids)
    return _e(ids)


def _discrepancies(c: Comparison, results: dict[str, ArticleResult]) -> list[str]:
    out = ['<section id="discrepancies">', "<h2>Discrepancies</h2>"]
    for n, d in enumerate(c.discrepancies, start=1):
        d = d if isinstance(d, dict) else {"explanation": d}
        head = [f"D{n}"]
        if d.get("type"):
            head.append(_e(d["type"]))
        if d.get("group"):
            head.append(f'<a href="#g-{_e(d["group"])}">{_e(d["group"])}</a>')
        if d.get("confidence") is not None:
            head.append(f"confidence {_e(fmt_score(d['confidence']))}")
        out.append(f'<div class="item conflict" id="d-{n}"><h3>{" · ".join(head)}</h3>')
        if d.get("explanation"):
            out.append(f"<p>{_e(d['explanation'])}</p>")
        out.append("<ul>")
        values = d.get("values")
        if isinstance(values, dict):
            out += [f"<li>{_who(results, k)}: <strong>{_e(v)}</strong></li>" for k, v in values.items()]
        elif values is not None:
            out.append(f"<li>Values: {_e(values)}</li>")
        if d.get("sentences"):
            out.append(f"<li>Sentences: {_sentence_refs(d['sentences'])}</li>")
        out.append("</ul></div>")
    out.append("</section>")
    return out


def _quotes(c: Comparison, results: dict[str, ArticleResult]) -> list[str]:
    out = ['<section id="quotes">', "<h2>Quotes</h2>", "<ul>"]
    for q in c.quotes:
        q = q if isinstance(q, dict) else {"text": q}
        qid = plain(q.get("id"))
        anchor = f' id="q-{_e(qid)}"' if qid else ""
        where = f" ({_who(results, q['article'])})" if q.get("article") is not None else ""
        speaker = _e(q.get("speaker")) or '<span class="muted">unknown speaker</span>'
        out.append(
            f'<li{anchor}><span class="sid">{_e(qid or "?")}</span>{where} {speaker}: “{_e(q.get("text"))}”</li>'
        )
    out += ["</ul>", "</section>"]
    return out


def _quote_links(c: Comparison) -> list[str]:
    out = ['<section id="quote-links">', "<h2>Quote links</h2>", "<ul>"]
    for link in c.quote_links:
        link = link if isinstance(link, dict) else {"relation": link}
        quotes = link.get("quotes")
        if isinstance(quotes, (list, tuple)):
            who = " ↔ ".join(f'<a class="sid" href="#q-{_e(q)}">{_e(q)}</a>' for q in quotes) or "?"
        else:
            who = _e(quotes) or "?"
        line = f"{who}: {_e(link.get('relation')) or 'related'}"
        if link.get("speaker_conflict"):
            line += ' <span class="conflict">speaker conflict</span>'
        if link.get("diff"):
            line += f" — {_e(link['diff'])}"
        out.append(f"<li>{line}</li>")
    out += ["</ul>", "</section>"]
    return out


def to_html(c: Comparison) -> str:
    """Render the comparison as one self-contained HTML5 document."""
    results = article_by_id(c)
    index = c.sentence_index()
    grouped = groups_by_sentence(c)
    conflicts = conflict_sentence_ids(c)
    uniques = {r.article.id: unique_sentences(c, r, index) for r in c.articles}
    title = f"Parallax comparison: {len(c.articles)} articles"

    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Parallax">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
    ]
    parts += _sources(c)
    parts += _summary(c, uniques)
    parts += [
        '<p class="legend"><span class="shared">shared</span><span class="conflict">conflict</span>'
        '<span class="unique">unique</span><span class="muted">headings unmarked</span></p>',
        "</header>",
        "<main>",
        '<section id="articles">',
        "<h2>Articles</h2>",
    ]
    parts += _columns(c, grouped, conflicts)
    parts.append("</section>")
    parts += _groups(c, index, results)
    parts += _unique(c, uniques, results)
    if c.discrepancies:
        parts += _discrepancies(c, results)
    if c.quotes:
        parts += _quotes(c, results)
    if c.quote_links:
        parts += _quote_links(c)
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
