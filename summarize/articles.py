"""Summaries for every article of a comparison, or of loose articles without one."""

from __future__ import annotations

import logging
from typing import Callable, Sequence

from compare.labels import article_label
from compare.model import Article, ArticleResult, Comparison
from summarize.base import Budget, Summarizer, Summary

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


def results_for(articles: Sequence[Article]) -> list[ArticleResult]:
    """Segment loose articles with the labels a comparison would give them (A, B, ...),
    so `parallax summarize` cites the same ids as `parallax compare`."""
    from compare.engine import segment_article  # the engine pulls in alignment code: import when needed

    return [ArticleResult(a, article_label(i), segment_article(a, article_label(i))) for i, a in enumerate(articles)]


def summarize_articles(
    results: Sequence[ArticleResult],
    summarizer: Summarizer,
    budget: Budget,
    progress: Progress | None = None,
) -> dict[str, Summary]:
    """One summary per article, keyed by article id, in input order."""
    note = progress or (lambda message: logger.info("%s", message))
    out: dict[str, Summary] = {}
    for i, result in enumerate(results, start=1):
        note(f"summarising article {result.label} ({i}/{len(results)})")
        out[result.article.id] = summarizer.summarize(result, budget)
    return out


def summarize_comparison(comparison: Comparison, summarizer: Summarizer, budget: Budget) -> dict[str, Summary]:
    """Summaries of the comparison's articles; also stored in `comparison.summaries` as dicts."""
    summaries = summarize_articles(comparison.articles, summarizer, budget)
    comparison.summaries = {article_id: s.to_dict() for article_id, s in summaries.items()}
    return summaries
