"""Group loose articles into stories (`parallax batch --cluster`).

Two articles are one story when they share facts *and* names, and are not dated far
apart. Embedding similarity alone is not enough: two climbing reports (or two budget
debates) align many sentences with each other because the genre is the same, while a
German and an English report of one visit share few sentences but the same people and
places. So a pair links when
  * it shares at least `min_names` person/place/organisation keys (transliteration-aware,
    compare.facts.entities; fewer when an article names fewer), and
  * the alignment of its sentences (compare.engine.align_texts, with its absolute floor
    against unrelated news) finds at least `min_facts` shared facts: the README's
    "articles about different events share at most two stray groups", and
  * their dates, when both parse, are at most `max_days` apart.
Stories are the connected components of those links. Candidate pairs come from an
inverted index of names and, per article, the `candidates` nearest by mean sentence
vector, so a large archive costs a few alignments per article, not one per pair.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from compare.align import AlignSettings
from compare.embed import Embedder
from compare.model import Article

logger = logging.getLogger(__name__)

NAME_KINDS = frozenset({"person", "place", "organisation"})


@dataclass(frozen=True)
class ClusterSettings:
    min_facts: int = 3
    min_names: int = 2
    max_days: int = 3
    candidates: int = 10


class _MemoEmbedder:
    """Each distinct sentence embedded once per clustering run (also with --no-cache)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._vectors: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing)):
                self._vectors[text] = vector
        if not texts:
            return self.inner.embed([])
        return np.stack([self._vectors[t] for t in texts])


def article_names(article: Article) -> set[str]:
    """Match keys of the persons, places and organisations an article names."""
    from compare.facts.entities import extract_entities

    return {e.key for e in extract_entities(article.text, article.language) if e.kind in NAME_KINDS and e.key}


def parse_date(value: str | None) -> date | None:
    """The calendar day of an ISO-like date string ("2023-02-28", "2023-02-28T10:00Z"); None otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def cluster_articles(
    articles: Sequence[Article],
    embedder: Embedder,
    settings: ClusterSettings | None = None,
    align_settings: AlignSettings | None = None,
) -> list[list[int]]:
    """Stories as lists of article indexes (each sorted; stories ordered by their first article)."""
    from compare.engine import align_texts, segment_article

    settings = settings or ClusterSettings()
    align_settings = align_settings or AlignSettings()
    n = len(articles)
    if n == 0:
        return []
    memo = _MemoEmbedder(embedder)
    sentences = [[s.text for s in segment_article(a, "A") if s.kind == "sentence"] for a in articles]
    names = [article_names(a) for a in articles]
    days = [parse_date(a.date) for a in articles]
    centroids = _centroids(memo, sentences)

    def compatible(i: int, j: int) -> bool:
        if days[i] and days[j] and abs((days[i] - days[j]).days) > settings.max_days:
            return False
        needed = min(settings.min_names, len(names[i]), len(names[j]))
        return len(names[i] & names[j]) >= needed

    def linked(i: int, j: int) -> bool:
        texts = sentences[i] + sentences[j]
        if not sentences[i] or not sentences[j]:
            return False
        article_of = np.array([0] * len(sentences[i]) + [1] * len(sentences[j]), dtype=np.int64)
        languages = [articles[i].language] * len(sentences[i]) + [articles[j].language] * len(sentences[j])
        groups = align_texts(texts, article_of, languages, memo, align_settings, note=lambda _m: None)
        logger.debug("cluster: %s ~ %s share %d facts", articles[i].id, articles[j].id, len(groups))
        return len(groups) >= settings.min_facts

    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in _candidate_pairs(names, centroids, settings.candidates):
        if find(i) != find(j) and compatible(i, j) and linked(i, j):
            parent[max(find(i), find(j))] = min(find(i), find(j))
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[find(i)].append(i)
    return sorted(members.values(), key=lambda m: m[0])


def _centroids(memo: _MemoEmbedder, sentences: list[list[str]]) -> np.ndarray:
    """Mean sentence vector per article, normalised (zero for an article without sentences)."""
    rows = []
    for texts in sentences:
        if texts:
            mean = memo.embed(texts).mean(axis=0)
            rows.append(mean / (np.linalg.norm(mean) or 1.0))
        else:
            rows.append(None)
    dim = next((r.shape[0] for r in rows if r is not None), 1)
    return np.stack([r if r is not None else np.zeros(dim, np.float32) for r in rows])


def _candidate_pairs(names: list[set[str]], centroids: np.ndarray, per_article: int) -> list[tuple[int, int]]:
    """Pairs worth aligning: sharing a name (or one side naming nothing), the nearest few per article."""
    n = len(names)
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(names):
        for key in keys:
            by_name[key].append(i)
    unnamed = [i for i in range(n) if not names[i]]
    similarity = centroids @ centroids.T
    pairs: set[tuple[int, int]] = set()
    for i in range(n):
        partners = {j for key in names[i] for j in by_name[key]} | set(unnamed)
        if not names[i]:
            partners = set(range(n))
        partners.discard(i)
        nearest = sorted(partners, key=lambda j: (-float(similarity[i, j]), j))[:per_article]
        pairs.update((min(i, j), max(i, j)) for j in nearest)
    return sorted(pairs, key=lambda p: (-float(similarity[p]), p))
