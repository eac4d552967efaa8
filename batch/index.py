"""The batch overview: index.jsonl (one row per story) and index.html (a sortable table).

Rows are appended to index.jsonl as stories finish, so an interrupted run still shows
what was done; at the end both files are rewritten atomically in input order. Every
story name and error message is escaped in the HTML (they come from the input).
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from compare.export import write_atomic

INDEX_JSONL = "index.jsonl"
INDEX_HTML = "index.html"


class Row(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def row_line(row: Row) -> str:
    return json.dumps(row.to_dict(), ensure_ascii=False, sort_keys=False) + "\n"


def append_row(out: Path, row: Row) -> None:
    """Append one finished story; one write call per line, flushed and synced."""
    with open(out / INDEX_JSONL, "a", encoding="utf-8") as fh:
        fh.write(row_line(row))
        fh.flush()
        os.fsync(fh.fileno())


def write_index(out: Path, rows: Sequence[Row]) -> None:
    """Rewrite index.jsonl and index.html atomically from `rows`."""
    write_atomic(out / INDEX_JSONL, "".join(row_line(r) for r in rows), force=True)
    write_atomic(out / INDEX_HTML, render_index_html([r.to_dict() for r in rows]), force=True)


def read_index(out: Path) -> list[dict[str, Any]]:
    """Rows of an index.jsonl; a torn last line (a run killed mid-append) is ignored."""
    rows = []
    path = out / INDEX_JSONL
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows


_SCRIPT = """
document.querySelectorAll("th").forEach((th, col) => th.addEventListener("click", () => {
  const body = th.closest("table").tBodies[0];
  const asc = th.dataset.order !== "asc";
  document.querySelectorAll("th").forEach(h => delete h.dataset.order);
  th.dataset.order = asc ? "asc" : "desc";
  const key = td => td.dataset.sort ?? td.textContent;
  const rows = Array.from(body.rows).sort((a, b) => {
    const x = key(a.cells[col]), y = key(b.cells[col]);
    const nx = parseFloat(x), ny = parseFloat(y);
    const c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
    return asc ? c : -c;
  });
  rows.forEach(r => body.appendChild(r));
}));
"""

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35em .6em;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f4f4f4;user-select:none}
th[data-order=asc]::after{content:" \\25B2"} th[data-order=desc]::after{content:" \\25BC"}
td.num{text-align:right}
.ok{color:#176f2c}.error{color:#b00020}.skipped{color:#8a6d00}
"""


def render_index_html(rows: Sequence[dict[str, Any]]) -> str:
    """A self-contained page: one row per story, click a header to sort, links to the reports."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row.get("status"))] = counts.get(str(row.get("status")), 0) + 1
    summary = ", ".join(f"{n} {html.escape(status)}" for status, n in sorted(counts.items())) or "no stories"
    body = "\n".join(_row_html(row) for row in rows)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Parallax batch</title>"
        f"<style>{_STYLE}</style></head><body>\n"
        f"<h1>Parallax batch</h1>\n<p>{len(rows)} stories: {summary}</p>\n"
        "<table><thead><tr><th>Story</th><th>Status</th><th>Articles</th><th>Groups</th>"
        "<th>Discrepancies</th><th>Reports</th><th>Note</th></tr></thead>\n<tbody>\n"
        f"{body}\n</tbody></table>\n<script>{_SCRIPT}</script>\n</body></html>\n"
    )


def _row_html(row: dict[str, Any]) -> str:
    e = html.escape
    status = str(row.get("status", ""))
    folder = row.get("folder")
    files = [str(f) for f in row.get("files") or []] if status == "ok" else []
    links = " ".join(
        f'<a href="{e(quote(str(folder)) + "/" + quote(f))}">{e(f)}</a>' for f in files if folder
    )
    by_type = row.get("discrepancies") or {}
    total = sum(int(v) for v in by_type.values())
    detail = ", ".join(f"{e(str(k))} {int(v)}" for k, v in sorted(by_type.items()))
    note = row.get("error") or ("unchanged (resumed)" if row.get("resumed") else "")
    return (
        f"<tr><td>{e(str(row.get('story', '')))}</td>"
        f'<td class="{e(status)}">{e(status)}</td>'
        f'<td class="num">{int(row.get("articles") or 0)}</td>'
        f'<td class="num">{int(row.get("groups") or 0)}</td>'
        f'<td class="num" data-sort="{total}" title="{detail}">{total}{" (" + detail + ")" if detail else ""}</td>'
        f"<td>{links}</td><td>{e(str(note))}</td></tr>"
    )
