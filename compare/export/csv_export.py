"""CSV export: one row per sentence, for spreadsheets and quick scripting.

Columns: ``group,status,score,article,source,sentence,start,end,text``

* one row per member sentence of every group, in group order (G1, G2, ...), with the
  group's id, status ("agree"/"conflict") and score (4 decimals);
* then one row per unique sentence, article by article, with ``group`` and ``score``
  empty and ``status`` = ``"unique"`` (only kind "sentence": headings are not claims).

``article`` is the article id, ``source`` its outlet (may be empty), ``sentence`` the
citation id ("A3"), ``start``/``end`` character offsets into the article text, ``text``
the exact sentence text. Quoting is done by the csv module, so commas, quotes and
newlines survive a round trip. Values are not altered to defuse spreadsheet formulas
(a sentence starting with "=") because exact text matters more here.
"""

from __future__ import annotations

import csv
import io

from compare.export._common import article_by_id, unique_sentences
from compare.model import Comparison, Sentence

__all__ = ["CSV_COLUMNS", "to_csv"]

CSV_COLUMNS = ("group", "status", "score", "article", "source", "sentence", "start", "end", "text")


def _score(value: object) -> str:
    try:
        return f"{float(value):.4f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


def to_csv(c: Comparison) -> str:
    """Render group members and unique sentences as CSV text ("\\n" line endings)."""
    results = article_by_id(c)
    index = c.sentence_index()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(group: str, status: str, score: str, sid: str, s: Sentence | None) -> list[str]:
        if s is None:
            return [group, status, score, "", "", sid, "", "", ""]
        r = results.get(s.article)
        source = (r.article.source or "") if r is not None else ""
        return [group, status, score, s.article, source, s.id, str(s.start), str(s.end), s.text]

    for g in c.groups:
        for sid in g.sentences:
            writer.writerow(row(g.id, g.status, _score(g.score), sid, index.get(sid)))
    for r in c.articles:
        for s in unique_sentences(c, r, index):
            writer.writerow(row("", "unique", "", s.id, s))
    return buf.getvalue()
