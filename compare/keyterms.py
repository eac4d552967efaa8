"""Key terms (numbers, rare names, quoted words) and their fuzzy overlap between sentences.

Embeddings blur exactly the tokens editors care about: "Tokajew" vs "Tokayev", "41,5" vs
"41.5". A small, IDF-weighted overlap of such terms, computed with rapidfuzz over the
whole vocabulary at once, nudges the alignment towards sentences that share them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from compare.facts.names import fold_word

_TOKEN = re.compile(r"\w[\w+.,'’-]*\w|\w", re.UNICODE)
_QUOTED = re.compile(r"[„“”\"»«‘’]([^„“”\"»«‘’]{2,60})[“”\"«»‘’]")
RARE_ZIPF = 3.0  # words rarer than this (per wordfreq) count as names/key terms
FUZZY_CUTOFF = 85.0  # rapidfuzz ratio at which two normalised terms count as the same


def fold(term: str) -> str:
    """Transliteration-folded words of a term (compare.facts.names.fold_word), so German,
    English and French spellings of one name meet: Tokajew/Tokayev, Taschkent/Tashkent."""
    return " ".join(w for w in (fold_word(part) for part in term.split()) if w)


@lru_cache(maxsize=65536)
def _is_rare(word: str, language: str) -> bool:
    lang = language if language in {"de", "en", "fr", "es", "it", "nl", "pt", "pl", "ru"} else "en"
    return zipf_frequency(word, lang) < RARE_ZIPF


def key_terms(sentence: str, language: str | None) -> set[str]:
    """Numbers (digits only), rare capitalised words and short quoted phrases, folded."""
    lang = language or "en"
    terms: set[str] = set()
    for match in _TOKEN.finditer(sentence):
        token = match.group().strip(".,'’-")
        if not token:
            continue
        if any(c.isdigit() for c in token):
            terms.add(re.sub(r"[^\w]", "", token))
        elif token[0].isupper() and len(token) > 2 and _is_rare(token, lang):
            terms.add(fold(token) or token.lower())
    for match in _QUOTED.finditer(sentence):
        phrase = fold(match.group(1).strip())
        if phrase:
            terms.add(phrase)
    return terms


def term_overlap(term_sets: Sequence[set[str]], languages: Sequence[str | None] | None = None) -> np.ndarray:
    """IDF-weighted share of x's key terms that fuzzily occur in y, as an (n, n) matrix.

    Symmetrised by taking the smaller of the two directions' mass over the smaller set,
    so one shared common name does not link two long sentences. With `languages`, pairs
    in the same language get 0: there the embedder already sees identical names, and on
    the seeds gold the extra bonus only linked different facts sharing a place name; the
    bonus is for spellings that differ across languages (Tokajew / Tokayev).
    """
    n = len(term_sets)
    vocab = sorted(set().union(*term_sets)) if term_sets else []
    if not vocab:
        return np.zeros((n, n), dtype=np.float32)
    index = {t: i for i, t in enumerate(vocab)}
    incidence = np.zeros((n, len(vocab)), dtype=np.float32)
    for row, terms in enumerate(term_sets):
        for t in terms:
            incidence[row, index[t]] = 1.0
    same = (process.cdist(vocab, vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF) > 0).astype(np.float32)
    reach = (incidence @ same > 0).astype(np.float32)  # terms each sentence matches fuzzily
    document_freq = reach.sum(axis=0)
    idf = np.log((1.0 + n) / (1.0 + document_freq)).astype(np.float32)
    weighted = incidence * idf
    matched = weighted @ reach.T  # mass of x's terms found in y
    mass = weighted.sum(axis=1)
    smaller = np.minimum(mass[:, None], mass[None, :])
    both = np.minimum(matched, matched.T)
    with np.errstate(divide="ignore", invalid="ignore"):
        overlap = np.where(smaller > 0, both / smaller, 0.0)
    if languages is not None:
        codes = np.array([lang or "?" for lang in languages])
        same = (codes[:, None] == codes[None, :]) & (codes[:, None] != "?")
        overlap[same] = 0.0
    return np.clip(overlap, 0.0, 1.0).astype(np.float32)
