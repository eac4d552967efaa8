"""Offline language detection, so the segmenter and models can pick per-language settings."""

from __future__ import annotations

import functools
import logging

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

logger = logging.getLogger(__name__)

LANGUAGES: tuple[Language, ...] = (
    Language.GERMAN,
    Language.ENGLISH,
    Language.FRENCH,
    Language.ITALIAN,
    Language.SPANISH,
    Language.DUTCH,
    Language.PORTUGUESE,
    Language.POLISH,
    Language.RUSSIAN,
)
MIN_LETTERS = 20  # fewer letters than this is too little evidence
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 2000  # the start of an article is plenty, and keeps detection fast


@functools.lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Built on first use, not at import: building loads the language models (slow)."""
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code ("de", "en", ...) of `text`, or None when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        logger.debug("language unsure: %s", values[:2])
        return None
    return values[0].language.iso_code_639_1.name.lower()
