"""Per-article summaries (extractive or abstractive) with citations back to the sentences.

Importing this package loads no model and imports neither torch nor transformers.
"""

from summarize.articles import results_for, summarize_articles, summarize_comparison
from summarize.base import Budget, Summarizer, Summary
from summarize.factory import SUMMARIZER_SPECS, get_summarizer, parse_summarizer_spec

__all__ = [
    "SUMMARIZER_SPECS",
    "Budget",
    "Summarizer",
    "Summary",
    "get_summarizer",
    "parse_summarizer_spec",
    "results_for",
    "summarize_articles",
    "summarize_comparison",
]
