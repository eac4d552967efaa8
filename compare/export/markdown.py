"""Markdown report: readable in a terminal as plain text and renders cleanly when pasted elsewhere."""

from __future__ import annotations

import re
from typing import Any

from compare.export._common import (
    article_by_id,
    display_name,
    fmt_score,
    ordered_groups,
    plain,
    unique_sentences,
)
from compare.model import ArticleResult, Comparison, Sentence

__all__ = ["to_markdown"]

_WS_RE = re.compile(r"\s+")
# Characters that would start emphasis, code, links or raw HTML in the middle of a line.
_INLINE_RE = re.compile(r"([\\`*\[\]<>|])")


def _inline(value: Any) -> str:
    """One line of text with the Markdown-active characters backslash-escaped.

    Minimal on purpose: the report is read as plain text too, so only characters that
    would change the rendering (emphasis, code, links, HTML, table pipes) are escaped,
    and a leading `#`, `>`, `-`, `+` or `1.` cannot open a block because text never
    starts a line in this report.
    """
    text = _WS_RE.sub(" ", plain(value)).strip()
    return _INLINE_RE.sub(r"\\\1", text)


def _code(value: Any) -> str:
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
        return _inline(article_id)
    return f"{_inline(r.label)} · {_inline(display_name(r))}"


def _sentence_line(sid: str, s: Sentence | None, results: dict[str, ArticleResult]) -> str:
    if s is None:
        return f"- **\\[{_inline(sid)}\\]** (unknown sentence)"
    r = results.get(s.article)
    name = _inline(display_name(r)) if r is not None else _inline(s.article)
    return f"- **\\[{_inline(s.id)}\\]** ({name}) {_inline(s.text)}"


def _sources_table(c: Comparison) -> list[str]:
    lines = [
        "| Label | ID | Title | Source | Language | Date | Sentences |",
        "|---|---|---|---|---|---|---:|",
    ]
    for r in c.articles:
        a = r.article
        n = sum(1 for s in r.sentences if s.kind == "sentence")
        cells = [_inline(r.label), _code(a.id), _inline(a.title), _inline(a.source), _inline(a.language), _inline(a.date)]
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
        lines.append(f"- Model: {_code(model)}")
    return lines


def _discrepancies(c: Comparison, results: dict[str, ArticleResult]) -> list[str]:
    lines = ["## Discrepancies", ""]
    for n, d in enumerate(c.discrepancies, start=1):
        d = d if isinstance(d, dict) else {"explanation": d}
        title = [f"D{n}"]
        if d.get("type"):
            title.append(_inline(d["type"]))
        if d.get("group"):
            title.append(_inline(d["group"]))
        if d.get("confidence") is not None:
            title.append(f"confidence {fmt_score(d['confidence'])}")
        lines += ["### " + " · ".join(title), ""]
        if d.get("explanation"):
            lines += [_inline(d["explanation"]), ""]
        values = d.get("values")
        if isinstance(values, dict):
            for article_id, value in values.items():
                lines.append(f"- {_who(results.get(str(article_id)), article_id)}: {_inline(value)}")
        elif values is not None:
            lines.append(f"- Values: {_inline(values)}")
        sentences = d.get("sentences")
        if isinstance(sentences, (list, tuple)) and sentences:
            lines.append("- Sentences: " + ", ".join(f"\\[{_inline(s)}\\]" for s in sentences))
        elif sentences:
            lines.append(f"- Sentences: {_inline(sentences)}")
        if lines[-1]:
            lines.append("")
    return lines


def _quotes(c: Comparison, results: dict[str, ArticleResult]) -> list[str]:
    lines = ["## Quotes", ""]
    for q in c.quotes:
        q = q if isinstance(q, dict) else {"text": q}
        head = f"**{_inline(q.get('id') or '?')}**"
        if q.get("article") is not None:
            head += f" ({_who(results.get(str(q['article'])), q['article'])})"
        speaker = _inline(q.get("speaker")) or "unknown speaker"
        lines.append(f"- {head} {speaker}: “{_inline(q.get('text'))}”")
    lines.append("")
    return lines


def _quote_links(c: Comparison) -> list[str]:
    lines = ["## Quote links", ""]
    for link in c.quote_links:
        link = link if isinstance(link, dict) else {"relation": link}
        quotes = link.get("quotes")
        if isinstance(quotes, (list, tuple)):
            who = " ↔ ".join(_inline(q) for q in quotes) or "?"
        else:
            who = _inline(quotes) or "?"
        line = f"- {who}: {_inline(link.get('relation')) or 'related'}"
        if link.get("speaker_conflict"):
            line += " (speaker conflict)"
        if link.get("diff"):
            line += f" — {_inline(link['diff'])}"
        lines.append(line)
    lines.append("")
    return lines


def to_markdown(c: Comparison) -> str:
    """Render the comparison as a Markdown report (sources, counts, shared facts, unique sentences, extras)."""
    results = article_by_id(c)
    index = c.sentence_index()
    uniques = {r.article.id: unique_sentences(c, r, index) for r in c.articles}

    lines: list[str] = [f"# Parallax comparison: {len(c.articles)} articles", ""]
    lines += ["## Sources", ""] + _sources_table(c) + [""]
    lines += ["## Summary", ""] + _summary(c, uniques) + [""]

    lines += ["## Shared facts", ""]
    groups = ordered_groups(c)
    if not groups:
        lines += ["_No fact is reported by more than one source._", ""]
    for g in groups:
        lines += [f"### {_inline(g.id)} · {_inline(g.status)} · score {fmt_score(g.score)}", ""]
        lines += [_sentence_line(sid, index.get(sid), results) for sid in g.sentences]
        lines.append("")

    for r in c.articles:
        lines += [f"## Only in {_inline(display_name(r))} ({_inline(r.label)})", ""]
        unique = uniques[r.article.id]
        if not unique:
            lines.append("_No unique sentences._")
        lines += [_sentence_line(s.id, s, results) for s in unique]
        lines.append("")

    if c.discrepancies:
        lines += _discrepancies(c, results)
    if c.quotes:
        lines += _quotes(c, results)
    if c.quote_links:
        lines += _quote_links(c)

    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
