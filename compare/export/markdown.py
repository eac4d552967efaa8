"""Markdown report: readable in a terminal as plain text and renders cleanly when pasted elsewhere.

Differing values are **bold** inside their sentences and altered quotes show their word
changes as ~~removed~~ and **added**; the sentence's own characters are escaped, so they
can neither close a marker early nor open one of their own.
"""

from __future__ import annotations

import re
from typing import Any

from compare.export._common import (
    article_by_id,
    display_name,
    fmt_score,
    id_list,
    merge_adjacent,
    ordered_groups,
    plain,
    reads_differently,
    unique_sentences,
    with_numbered_discrepancies,
)
from compare.export.highlight import DiffSpan, diff_spans, mark_text, span_sentences, spans_by_discrepancy
from compare.model import ArticleResult, Comparison, Sentence

__all__ = ["md_code", "md_inline", "md_piece", "to_markdown"]

_WS_RE = re.compile(r"\s+")
# Characters that would start emphasis, code, links or raw HTML in the middle of a line.
_INLINE_RE = re.compile(r"([\\`*~\[\]<>|])")


def md_inline(value: Any) -> str:
    """One line of text with the Markdown-active characters backslash-escaped.

    Minimal on purpose: the report is read as plain text too, so only characters that
    would change the rendering (emphasis, code, links, HTML, table pipes) are escaped,
    and a leading `#`, `>`, `-`, `+` or `1.` cannot open a block because text never
    starts a line in this report.
    """
    text = _WS_RE.sub(" ", plain(value)).strip()
    return _INLINE_RE.sub(r"\\\1", text)


def md_piece(text: Any) -> str:
    """Like `md_inline` for a piece of a line: whitespace at its edges is kept, since pieces are joined."""
    return _INLINE_RE.sub(r"\\\1", _WS_RE.sub(" ", plain(text)))


def _emphasis(text: Any, marker: str = "**") -> str:
    """`text` between `marker`s, its edge whitespace kept outside (a marker next to a space does not
    open or close), its own `*`/`~` escaped so it cannot end the emphasis early."""
    raw = plain(text)
    core = raw.strip()
    if not core:
        return md_piece(raw)
    lead, trail = raw[: len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()) :]
    return f"{md_piece(lead)}{marker}{md_piece(core)}{marker}{md_piece(trail)}"


def _marked(text: str, spans: list[DiffSpan]) -> str:
    """One line of sentence text with its differing spans in bold."""
    return mark_text(text, merge_adjacent(spans), plain=md_piece, mark=lambda t, _s: _emphasis(t)).strip()


def _word_diff(diff: Any) -> str:
    """Word changes of an altered quote (`quote_links.word_diff` runs): ~~removed~~ → **added**."""
    if not isinstance(diff, (list, tuple)):
        return md_inline(diff)
    parts: list[str] = []
    for run in diff:
        if not isinstance(run, dict):
            parts.append(md_inline(run))
            continue
        old, new = plain(run.get("a")).strip(), plain(run.get("b")).strip()
        change = " → ".join(x for x in (_emphasis(old, "~~") if old else "", _emphasis(new) if new else "") if x)
        if change:
            parts.append(change)
    return "; ".join(p for p in parts if p)


def md_code(value: Any) -> str:
    """An identifier as inline code; backticks inside are fenced with a longer run."""
    text = _WS_RE.sub(" ", plain(value)).strip()
    if not text:
        return ""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    # GFM splits table cells at "|" even inside code spans; "\\|" is its documented escape.
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def _who(r: ArticleResult | None, article_id: Any) -> str:
    """Label and name ("A · Spiegel") for a known article, the raw id otherwise."""
    if r is None:
        return md_inline(article_id)
    return f"{md_inline(r.label)} · {md_inline(display_name(r))}"


def _sentence_line(
    sid: str, s: Sentence | None, results: dict[str, ArticleResult], spans: dict[str, list[DiffSpan]] | None = None
) -> str:
    if s is None:
        return f"- **\\[{md_inline(sid)}\\]** (unknown sentence)"
    r = results.get(s.article)
    name = md_inline(display_name(r)) if r is not None else md_inline(s.article)
    return f"- **\\[{md_inline(s.id)}\\]** ({name}) {_marked(s.text, (spans or {}).get(s.id, []))}"


def _sources_table(c: Comparison) -> list[str]:
    lines = [
        "| Label | ID | Title | Source | Language | Date | Sentences |",
        "|---|---|---|---|---|---|---:|",
    ]
    for r in c.articles:
        a = r.article
        n = sum(1 for s in r.sentences if s.kind == "sentence")
        cells = [md_inline(r.label), md_code(a.id), md_inline(a.title), md_inline(a.source), md_inline(a.language), md_inline(a.date)]
        lines.append("| " + " | ".join(cells) + f" | {n} |")
    return lines


def _summary(c: Comparison, uniques: dict[str, list[Sentence]]) -> list[str]:
    conflicts = sum(1 for g in c.groups if g.status == "conflict")
    lines = [
        f"- Shared facts: {len(c.groups)} ({len(c.groups) - conflicts} agree, {conflicts} conflict)",
        f"- Conflicts: {conflicts}",
    ]
    if c.discrepancies:
        lines.append(f"- Discrepancies: {len(c.discrepancies)}")
    if c.quotes:
        lines.append(f"- Quotes: {len(c.quotes)}")
    per_article = ", ".join(f"{_who(r, r.article.id)}: {len(uniques[r.article.id])}" for r in c.articles)
    lines.append(f"- Unique sentences: {per_article or 'none'}")
    model = c.settings.get("embedder_model") if isinstance(c.settings, dict) else None
    if model:
        lines.append(f"- Model: {md_code(model)}")
    return lines


def _discrepancies(c: Comparison, results: dict[str, ArticleResult]) -> list[str]:
    """Each discrepancy: what differs, each source's value, and its sentence with the value in bold."""
    index = c.sentence_index()
    order = {aid: n for n, aid in enumerate(results)}
    marks = spans_by_discrepancy(c)
    lines = ["## Discrepancies", ""]
    for d in c.discrepancies:
        title = [md_inline(d["id"])]
        if d.get("type"):
            title.append(md_inline(d["type"]))
        if d.get("group"):
            title.append(md_inline(d["group"]))
        if d.get("confidence") is not None:
            title.append(f"confidence {fmt_score(d['confidence'])}")
        lines += ["### " + " · ".join(title), ""]
        if d.get("explanation"):
            lines += [md_inline(d["explanation"]), ""]
        spans = marks[d["id"]]
        sentence_ids = list(dict.fromkeys(id_list(d.get("sentences")) + span_sentences(d)))
        values = d.get("values")
        normalized = d.get("normalized") if isinstance(d.get("normalized"), dict) else {}
        if isinstance(values, dict):
            named = [str(k) for k in values]
            named += [index[sid].article for sid in sentence_ids if sid in index]
            for aid in sorted(dict.fromkeys(named), key=lambda a: order.get(a, len(order))):
                value = values.get(aid, "")
                shown = _emphasis(value) if plain(value).strip() else "—"
                if reads_differently(value, normalized.get(aid)):
                    shown += f" (read as {md_inline(normalized.get(aid))})"
                lines.append(f"- {_who(results.get(aid), aid)}: {shown}")
                for sid in sentence_ids:
                    if sid in index and index[sid].article == aid:
                        lines.append(f"  > **\\[{md_inline(sid)}\\]** {_marked(index[sid].text, spans.get(sid, []))}")
        elif values is not None:
            lines.append(f"- Values: {md_inline(values)}")
        unknown = [sid for sid in sentence_ids if sid not in index or not isinstance(values, dict)]
        if unknown:
            lines.append("- Sentences: " + ", ".join(f"\\[{md_inline(sid)}\\]" for sid in unknown))
        if id_list(d.get("quotes")):
            lines.append("- Quotes: " + " ↔ ".join(md_inline(q) for q in id_list(d.get("quotes"))))
        if d.get("diff"):
            lines.append(f"- Word changes: {_word_diff(d['diff'])}")
        if lines[-1]:
            lines.append("")
    return lines


def _quotes(c: Comparison, results: dict[str, ArticleResult]) -> list[str]:
    lines = ["## Quotes", ""]
    for q in c.quotes:
        q = q if isinstance(q, dict) else {"text": q}
        head = f"**{md_inline(q.get('id') or '?')}**"
        if q.get("article") is not None:
            head += f" ({_who(results.get(str(q['article'])), q['article'])})"
        speaker = md_inline(q.get("speaker")) or "unknown speaker"
        lines.append(f"- {head} {speaker}: “{md_inline(q.get('text'))}”")
    lines.append("")
    return lines


def _quote_links(c: Comparison) -> list[str]:
    lines = ["## Quote links", ""]
    for link in c.quote_links:
        link = link if isinstance(link, dict) else {"relation": link}
        quotes = link.get("quotes")
        if isinstance(quotes, (list, tuple)):
            who = " ↔ ".join(md_inline(q) for q in quotes) or "?"
        else:
            who = md_inline(quotes) or "?"
        line = f"- {who}: {md_inline(link.get('relation')) or 'related'}"
        if link.get("speaker_conflict"):
            line += " (speaker conflict)"
        if link.get("diff"):
            line += f" — {_word_diff(link['diff'])}"
        lines.append(line)
    lines.append("")
    return lines


def _reported(c: Comparison, results: dict[str, ArticleResult]) -> list[str]:
    """Statements attributed without quotation marks, with the cue that says so."""
    index = c.sentence_index()
    lines = ["## Reported speech", ""]
    for r in c.reported_speech:
        if not isinstance(r, dict):
            continue
        head = f"**{md_inline(r.get('id') or '?')}**"
        if r.get("article") is not None:
            head += f" ({_who(results.get(str(r['article'])), r['article'])})"
        sentence = index.get(str(r.get("sentence")))
        said = f": {md_inline(sentence.text)}" if sentence is not None else ""
        lines.append(f"- {head} {md_inline(r.get('speaker'))} ({md_inline(r.get('cue'))}, {md_inline(r.get('sentence'))}){said}")
    lines.append("")
    return lines


def to_markdown(c: Comparison) -> str:
    """Render the comparison as a Markdown report (sources, counts, shared facts, unique sentences, extras)."""
    c = with_numbered_discrepancies(c)
    results = article_by_id(c)
    index = c.sentence_index()
    uniques = {r.article.id: unique_sentences(c, r, index) for r in c.articles}
    spans = diff_spans(c)

    lines: list[str] = [f"# Parallax comparison: {len(c.articles)} articles", ""]
    lines += ["## Sources", ""] + _sources_table(c) + [""]
    lines += ["## Summary", ""] + _summary(c, uniques) + [""]

    lines += ["## Shared facts", ""]
    groups = ordered_groups(c)
    if not groups:
        lines += ["_No fact is reported by more than one source._", ""]
    for g in groups:
        lines += [f"### {md_inline(g.id)} · {md_inline(g.status)} · score {fmt_score(g.score)}", ""]
        lines += [_sentence_line(sid, index.get(sid), results, spans) for sid in g.sentences]
        lines.append("")

    for r in c.articles:
        lines += [f"## Only in {md_inline(display_name(r))} ({md_inline(r.label)})", ""]
        unique = uniques[r.article.id]
        if not unique:
            lines.append("_No unique sentences._")
        lines += [_sentence_line(s.id, s, results, spans) for s in unique]
        lines.append("")

    if c.discrepancies:
        lines += _discrepancies(c, results)
    if c.quotes:
        lines += _quotes(c, results)
    if c.quote_links:
        lines += _quote_links(c)
    if c.reported_speech:
        lines += _reported(c, results)

    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
