"""One story -> its report texts: the pure function every batch engine runs.

Nothing here touches the disk, so a local worker, a Ray actor or a test can run it
alike; the caller writes the texts (atomically) where they belong. `story_hash` is the
fingerprint `--resume` compares: the articles as loaded plus every setting that changes
a report, so an unchanged story is skipped and a changed one redone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from compare.embed import Embedder
from compare.export import render
from compare.model import SCHEMA, Article, Comparison
from compare.options import CompareOptions

logger = logging.getLogger(__name__)

# --format name -> the file it writes in the story's folder, in the documented order.
FORMAT_FILES: dict[str, str] = {
    "json": "comparison.json",
    "md": "briefing.md",
    "html": "report.html",
    "csv": "groups.csv",
}
# Bumped when the batch output changes shape, so --resume redoes stories written by an older layout.
# 2: comparison.json carries each article's text and title_span; title lines are headings in the text.
OUTPUT_VERSION = 2
_HASHED_FIELDS = ("id", "text", "title", "title_span", "source", "date", "url", "language")


@dataclass(frozen=True)
class ReportSettings:
    """What each story's reports hold besides the comparison: the files written, and the
    per-article summaries in comparison.json (`summarizer` "none" leaves them out) and
    the article texts in it (`text` False: `--no-text`)."""

    formats: tuple[str, ...] = tuple(FORMAT_FILES)
    summarizer: str = "extractive"
    sentences: int | None = 3
    chars: int | None = None
    text: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "formats": sorted(self.formats)}


@dataclass
class StoryReports:
    """The report texts of one story (file name -> text) and the counts its index row shows."""

    files: dict[str, str]
    articles: int
    groups: int
    discrepancies: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def story_hash(articles: Sequence[Article], options: CompareOptions, reports: ReportSettings) -> str:
    """sha256 over the articles' texts and metadata, the options and the report settings."""
    payload = {
        "version": OUTPUT_VERSION,
        "schema": SCHEMA,
        "articles": [{key: getattr(a, key) for key in _HASHED_FIELDS} for a in articles],
        "options": options.to_dict(),
        "reports": reports.to_dict(),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def build_reports(
    articles: Sequence[Article],
    options: CompareOptions,
    reports: ReportSettings,
    embedder: Embedder | None = None,
    support: Embedder | None = None,
) -> StoryReports:
    """Compare the articles, add summaries and the briefing (as `parallax compare` does) and
    render each requested format; ParallaxError for unusable input."""
    from compare.engine import compare_articles
    from summarize.base import Budget
    from summarize.briefing_render import render_briefing
    from summarize.factory import summarizer_or_none
    from summarize.pipeline import add_briefing

    comparison = compare_articles(list(articles), options, embedder=embedder, support=support)
    summarizer = summarizer_or_none(reports.summarizer, options.cache, options.embedder)
    briefing = add_briefing(comparison, summarizer, Budget.choose(reports.sentences, reports.chars))
    files: dict[str, str] = {}
    for fmt in reports.formats:
        name = FORMAT_FILES[fmt]
        files[name] = render_briefing(comparison, briefing, "md") if fmt == "md" else render(comparison, fmt, text=reports.text)
    return StoryReports(
        files=files,
        articles=len(comparison.articles),
        groups=len(comparison.groups),
        discrepancies=discrepancy_counts(comparison),
    )


def discrepancy_counts(comparison: Comparison) -> dict[str, int]:
    """Discrepancies by type, sorted by type name (stable index rows)."""
    counts = Counter(str(d.get("type", "unknown")) for d in comparison.discrepancies)
    return dict(sorted(counts.items()))
