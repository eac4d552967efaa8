"""Short article labels (A, B, ..., Z, AA, AB, ...) used in sentence citations like [A3]."""

from __future__ import annotations

import string


def article_label(index: int) -> str:
    """Spreadsheet-style label for the 0-based article index."""
    if index < 0:
        raise ValueError("index must be >= 0")
    label = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        label = string.ascii_uppercase[rem] + label
    return label
