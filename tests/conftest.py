"""Shared test setup: one embedding cache for the whole suite, kept between runs.

It lives in the ignored .pytest_cache folder, so tests never write to the user's home
and a second `make test` does not re-embed the evaluation data.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PARALLAX_CACHE_DIR", str(ROOT / ".pytest_cache" / "parallax-embeddings"))
