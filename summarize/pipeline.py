"""The last step of the flow: per-article summaries and the briefing, added to a comparison.

`compare` never imports this package; the CLI, the app and batch call `add_briefing`
after `compare_articles`, so every front end fills `summaries` and `briefing` alike.
"""

from __future__ import annotations

import logging
from typing import Callable

from compare.model import Article, Comparison
from summarize.articles import results_for, summarize_comparison
from summarize.base import Budget, Summarizer
from summarize.briefing import Briefing, build_briefing

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]

# How many consensus sentences feed the abstractive lead: enough for one paragraph.
LEAD_SENTENCES = 8


def is_abstractive(summarizer: Summarizer | None) -> bool:
    """Extractive summarizers only copy sentences: a lead paragraph needs generated text."""
    return summarizer is not None and not str(getattr(summarizer, "name", "")).startswith("extractive")


def lead_paragraph(comparison: Comparison, briefing: Briefing, summarizer: Summarizer) -> str | None:
    """One generated paragraph over the consensus sentences (most important first), in
    the language of the first article; None when there is no consensus to summarise."""
    texts = [item.text for item in briefing.consensus[:LEAD_SENTENCES]]
    if not texts:
        return None
    language = comparison.articles[0].article.language if comparison.articles else None
    digest = Article(id="consensus", text="\n".join(texts), language=language)
    (result,) = results_for([digest])
    text = summarizer.summarize(result, Budget(sentences=None, chars=None)).text.strip()
    return text or None


def add_briefing(
    comparison: Comparison,
    summarizer: Summarizer | None,
    budget: Budget | None = None,
    progress: Progress | None = None,
) -> Briefing:
    """Fill `comparison.summaries` (when a summarizer is given) and `comparison.briefing`.

    An abstractive summarizer also writes the briefing's one-paragraph lead.
    """
    note = progress or (lambda message: logger.info("%s", message))
    if summarizer is not None:
        note(f"summarising {len(comparison.articles)} articles with {summarizer.name}")
        summarize_comparison(comparison, summarizer, budget or Budget())
    note("writing the briefing")
    briefing = build_briefing(comparison)
    if is_abstractive(summarizer):
        assert summarizer is not None
        note("writing the lead paragraph")
        briefing.lead = lead_paragraph(comparison, briefing, summarizer)
    comparison.briefing = briefing.to_dict()
    return briefing
