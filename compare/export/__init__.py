"""Exporters: a Comparison as Markdown, HTML, CSV or JSON, and a safe way to write them to disk.

What the formats share sits beside them: `highlight` (where sentences differ, checked
input), `columns` (the article columns, also drawn by the app), `markup` (HTML escaping
and safe links) and `_common` (ordering, names, numbering).
"""

from compare.export.csv_export import to_csv
from compare.export.html import to_html
from compare.export.json_export import to_json
from compare.export.markdown import to_markdown
from compare.export.write import FORMATS, render, write_atomic

__all__ = ["FORMATS", "render", "to_csv", "to_html", "to_json", "to_markdown", "write_atomic"]
