"""Parallax comparison engine: ingest, segment, embed, align, facts, export.

No UI code here: the app's views live in `webapp/`, the command line in `parallax/`,
summaries and the briefing in `summarize/`.
"""
