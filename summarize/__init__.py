"""Per-article summaries and cross-article briefings (see issue 4)."""
