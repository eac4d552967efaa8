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

NEGATION_CUES: dict[str, tuple[str, ...]] = {
    "de": ("nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "keineswegs",
           "keinesfalls", "nirgends", "weder", "noch nie", "nichts", "niemand", "ohne"),
    "en": ("not", "no", "never", "none", "nobody", "nothing", "neither", "without", "cannot"),
    # French "ne"/"n'" only frame the real cue (pas, jamais, ...), so they are not counted.
    "fr": ("pas", "jamais", "aucun", "aucune", "rien", "sans"),
}
# "nicht nur" / "not only" and "kein Wunder" add rather than deny.
_NOT_NEGATING = re.compile(r"\b(nicht nur|not only|non seulement|kein wunder|no doubt|no longer than)\b", re.IGNORECASE)


@dataclass(frozen=True)
class NegationCue:
    start: int
    end: int
    text: str


@lru_cache(maxsize=None)
def _pattern(language: str | None) -> re.Pattern[str]:
    words = NEGATION_CUES.get(language or "", ()) or tuple(w for ws in NEGATION_CUES.values() for w in ws)
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w'’])(" + "|".join(alternatives) + r")(?![\w])|(n['’]t)\b", re.IGNORECASE)



def negation_cues(sentence: str, language: str | None) -> list[NegationCue]:
    """Negating words in the sentence, with offsets relative to it."""
    masked = _NOT_NEGATING.sub(lambda m: " " * len(m.group()), sentence)
    cues = []
    for match in _pattern(language).finditer(masked):
        start, end = match.span()
        cues.append(NegationCue(start, end, sentence[start:end]))
    return cues


def negation_differs(a: str, lang_a: str | None, b: str, lang_b: str | None) -> bool:
    """True when exactly one of the two sentences is negated (by count parity)."""
    return (len(negation_cues(a, lang_a)) % 2) != (len(negation_cues(b, lang_b)) % 2)
