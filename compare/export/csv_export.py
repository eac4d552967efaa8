"""CSV export: one row per sentence, for spreadsheets and quick scripting.

Columns: ``group,status,score,article,source,sentence,start,end,text,discrepancies,discrepancy_types,diff_text,speakers``

* one row per member sentence of every group, in group order (G1, G2, ...), with the
  group's id, status ("agree"/"conflict") and score (4 decimals);
* then one row per unique sentence, article by article, with ``group`` and ``score``
  empty and ``status`` = ``"unique"`` (only kind "sentence": headings are not claims).

``article`` is the article id, ``source`` its outlet (may be empty), ``sentence`` the
citation id ("A3"), ``start``/``end`` character offsets into the article text, ``text``
the exact sentence text.

A sentence that a discrepancy names gets, in report order and joined by ``" | "``
(position by position, so the three columns line up): ``discrepancies`` its ids ("D1"),
``discrepancy_types`` their types ("number") and ``diff_text`` the differing text inside
this sentence (empty where a discrepancy marks nothing here, e.g. the asserting side of
a negation). Rows of sentences without discrepancies leave the three empty. The JSON
export has each discrepancy's full record (values of every source, explanation).

``speakers`` names who is speaking in the sentence: the resolved speakers of its direct
and partial quotations and of its reported speech ("laut Lu", "Lu sagte, dass ..."),
each once, in the order they are named, joined by ``" | "``; empty when nobody is.

Quoting is done by the csv module, so commas, quotes and newlines survive a round trip.
Text cells (article, source, sentence, text, diff_text) that begin with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return get a leading ``'`` so that a spreadsheet shows
them as text instead of running them as a formula (OWASP "CSV injection"); strip one
leading ``'`` before such a character to get the exact text back.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from compare.export._common import (
    article_by_id,
    discrepancies_by_sentence,
    plain,
    speakers_by_sentence,
    unique_sentences,
    with_numbered_discrepancies,
)
from compare.export.highlight import spans_by_discrepancy
from compare.model import Comparison, Sentence

__all__ = ["CSV_COLUMNS", "FORMULA_PREFIXES", "to_csv"]

CSV_COLUMNS = (
    "group",
    "status",
    "score",
    "article",
    "source",
    "sentence",
    "start",
    "end",
    "text",
    "discrepancies",
    "discrepancy_types",
    "diff_text",
    "speakers",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = " | "


def _score(value: object) -> str:
    try:
        return f"{float(value):.4f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


def _cell(value: Any) -> str:
    """Article-supplied text, defused for spreadsheets (see the module docstring)."""
    text = plain(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _disputes(c: Comparison) -> dict[str, tuple[str, str, str]]:
    """Sentence id -> (ids, types, differing texts), each joined by SEPARATOR."""
    index = c.sentence_index()
    found: dict[str, tuple[list[str], list[str], list[str]]] = {}
    spans = spans_by_discrepancy(c)
    for sid, ds in discrepancies_by_sentence(c.discrepancies).items():
        s = index.get(sid)
        ids, types, texts = found.setdefault(sid, ([], [], []))
        for d in ds:
            ids.append(plain(d["id"]))
            types.append(plain(d.get("type")))
            marked = spans[d["id"]].get(sid, []) if s is not None else []
            texts.append(" ".join(s.text[m.start : m.end] for m in marked) if s is not None else "")
    return {sid: (SEPARATOR.join(a), SEPARATOR.join(b), SEPARATOR.join(t)) for sid, (a, b, t) in found.items()}


def to_csv(c: Comparison) -> str:
    """Render group members and unique sentences as CSV text ("\\n" line endings)."""
    c = with_numbered_discrepancies(c)
    results = article_by_id(c)
    index = c.sentence_index()
    disputes = _disputes(c)
    speakers = {sid: SEPARATOR.join(names) for sid, names in speakers_by_sentence(c).items()}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(group: str, status: str, score: str, sid: str, s: Sentence | None) -> list[str]:
        ids, types, texts = disputes.get(sid, ("", "", ""))
        extra = [_cell(ids), _cell(types), _cell(texts), _cell(speakers.get(sid, ""))]
        if s is None:
            return [group, status, score, "", "", _cell(sid), "", "", "", *extra]
        r = results.get(s.article)
        source = (r.article.source or "") if r is not None else ""
        where = [_cell(s.article), _cell(source), _cell(s.id), str(s.start), str(s.end)]
        return [group, status, score, *where, _cell(s.text), *extra]

    for g in c.groups:
        for sid in g.sentences:
            writer.writerow(row(_cell(g.id), _cell(g.status), _score(g.score), sid, index.get(sid)))
    for r in c.articles:
        for s in unique_sentences(c, r, index):
            writer.writerow(row("", "unique", "", s.id, s))
    return buf.getvalue()
