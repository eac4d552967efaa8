"""Negation cues: does a sentence deny what its counterpart asserts?

A group whose members differ in negation ("hat ... bestätigt" vs "hat ... nicht
bestätigt") is a real dispute, and embeddings barely notice the one-word difference.
We count explicit negation cues per sentence; a discrepancy needs one side to carry
a cue the other lacks. Cues inside direct quotes count like any other words: a quote
that says the opposite is a dispute too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from compare.facts.lexicon import lexicon, lexicon_languages

# Lexicons (compare/data/<language>/): negation_cues.txt, and negation_exceptions.txt for
# phrases that add rather than deny ("nicht nur" / "not only", "kein Wunder").
CUES = "negation_cues"
EXCEPTIONS = "negation_exceptions"


@dataclass(frozen=True)
class NegationCue:
    start: int
    end: int
    text: str


def _cue_words(language: str | None) -> tuple[str, ...]:
    """The language's cues; every language's when it has none (or is unknown)."""
    words = lexicon(CUES, language) if language else ()
    return words or tuple(w for code in lexicon_languages(CUES) for w in lexicon(CUES, code))


@lru_cache(maxsize=None)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w'’])(" + "|".join(alternatives) + r")(?![\w])|(n['’]t)\b", re.IGNORECASE)


@lru_cache(maxsize=None)
def _exceptions(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def _exception_phrases() -> tuple[str, ...]:
    """Every language's exceptions: a quote in another language can carry them too."""
    return tuple(p for code in lexicon_languages(EXCEPTIONS) for p in lexicon(EXCEPTIONS, code))


def negation_cues(sentence: str, language: str | None) -> list[NegationCue]:
    """Negating words in the sentence, with offsets relative to it."""
    exceptions = _exceptions(_exception_phrases())
    masked = exceptions.sub(lambda m: " " * len(m.group()), sentence) if exceptions else sentence
    cues = []
    for match in _pattern(_cue_words(language)).finditer(masked):
        start, end = match.span()
        cues.append(NegationCue(start, end, sentence[start:end]))
    return cues


def negation_differs(a: str, lang_a: str | None, b: str, lang_b: str | None) -> bool:
    """True when exactly one of the two sentences is negated (by count parity)."""
    return (len(negation_cues(a, lang_a)) % 2) != (len(negation_cues(b, lang_b)) % 2)
