"""Per-article summaries as Markdown or JSON (`parallax summarize`)."""

from __future__ import annotations

import json
from typing import Mapping, Sequence

from compare.export._common import display_name
from compare.export.markdown import md_inline
from compare.model import ArticleResult
from summarize.base import Summary

__all__ = ["SUMMARY_FORMATS", "render_summaries"]

SUMMARY_FORMATS: tuple[str, ...] = ("md", "json")


def _markdown(results: Sequence[ArticleResult], summaries: Mapping[str, Summary]) -> str:
    lines = ["# Summaries", ""]
    for r in results:
        summary = summaries.get(r.article.id)
        if summary is None:
            continue
        lines.append(f"## {r.label} · {md_inline(display_name(r))}")
        lines.append("")
        lines.append(f"*{md_inline(summary.method)}*")
        lines.append("")
        if summary.sentences:
            for sid in summary.sentences:
                text = next((s.text for s in r.sentences if s.id == sid), "")
                lines.append(f"- {md_inline(text)} [{sid}]")
        else:
            lines.append(md_inline(summary.text))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _json(results: Sequence[ArticleResult], summaries: Mapping[str, Summary]) -> str:
    data = {
        "summaries": {
            r.article.id: {"label": r.label, "source": display_name(r), **summaries[r.article.id].to_dict()}
            for r in results
            if r.article.id in summaries
        }
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_summaries(results: Sequence[ArticleResult], summaries: Mapping[str, Summary], fmt: str = "md") -> str:
    """Summaries in article order; extractive ones list their sentences with citations."""
    if fmt == "md":
        return _markdown(results, summaries)
    if fmt == "json":
        return _json(results, summaries)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(SUMMARY_FORMATS)}")
