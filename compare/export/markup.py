"""HTML escaping and safe links, shared by the report, the briefing page and the app.

Article data is untrusted (scraped text, titles, urls): every value goes through
`html.escape`, and only http(s) urls become links.
"""

from __future__ import annotations

import html
import re
from typing import Any

from compare.export._common import plain

__all__ = ["escape", "html_link", "safe_url", "text_html"]

# Line breaks other than "\n" are normalised first, so that only "\n" needs handling.
BREAKS_RE = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def escape(value: Any) -> str:
    """Escape any value for text or a double-quoted attribute (None -> empty)."""
    return html.escape(plain(value), quote=True)


def text_html(text: str) -> str:
    """Escape a piece of article text; line breaks become "\\n" (columns use white-space: pre-wrap)."""
    return html.escape(BREAKS_RE.sub("\n", text), quote=True)


def safe_url(url: Any) -> str | None:
    """Only web urls become links: javascript:, data: and file: urls are shown as text."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def html_link(url: Any, label: Any | None = None) -> str:
    """A link to a web url (labelled `label`, else the url); any other value as escaped text."""
    safe = safe_url(url)
    if safe is None:
        return escape(url)
    return f'<a href="{escape(safe)}" rel="noopener noreferrer nofollow">{escape(label if label else safe)}</a>'
