"""Parallax comparison engine: ingest, segment, embed, align, export. No UI code here."""
