"""Fact extraction (numbers, dates, ...) from aligned sentences, for cross-outlet comparison."""
