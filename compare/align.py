"""Order-free, many-to-many sentence alignment across two to fifty articles.

Raw cosine is a poor judge on its own: with e5, unrelated German news sentences score
about 0.83 and paraphrases 0.86-0.91. Every cross-article pair that is the best match of
at least one of its two sentences (within the other's article) becomes a *candidate*, and
a small logistic model (`compare.pairmodel`, coefficients in compare/data/align_model.json,
fitted by `python -m compare.alignfit --write` on the Text+Berg gold) gives it a link
probability from features the embeddings already give:

* the margin of Artetxe & Schwenk (2019): cosine minus the mean similarity of both
  sentences to their k nearest neighbours *in the other article*, in units of the spread
  of cross-article cosines (so the scale carries over between embedders);
* background standing: how far the cosine rises above how close the two sentences come
  to unrelated news sentences (`compare.background`), the absolute evidence that keeps two
  articles about different events from "sharing" their mutually most similar sentences;
* key-term overlap (names, numbers, quoted words; see `keyterms`), whether the match is
  mutual, how far it beats each sentence's runner-up in the other article, the length
  ratio, and the best score of a neighbouring pair that shares one end (a fact split over
  two adjacent sentences of one article);
* with a second embedder ("support", e.g. USE): its cosine as a z-score and its standing.

No feature uses a sentence's position in its article or the order of the other article
(news articles share no order); only adjacency inside one article. A candidate links when
its probability reaches the model's threshold (moved by `strictness`) and its evidence
against unrelated news (standing, averaged over the embedders) reaches the scorer's fitted
floor. A second model then extends links to adjacent sentences of one article that carry
the rest of a split fact (`extension_features`).

Linked sentences are merged into groups greedily, most probable link first, refusing
merges that would put more than `max_per_article` sentences of one article into one group
(this stops chains from gluing unrelated facts together). Everything is matrix work over
the stacked embeddings; Python only loops over articles, never over sentence pairs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np

from compare.pairmodel import PairModel, PairScorer, default_scorer

logger = logging.getLogger(__name__)

GAP_CLIP = 5.0  # runner-up gaps and neighbour scores are clipped to +-this (a lone sentence gives inf)


@dataclass(frozen=True)
class AlignSettings:
    """How candidates are scored and linked.

    `neighbours`, `term_weight` and `support_weight` shape the margin score (which picks
    the candidates and becomes each group's `score`); `scorer` holds the pair models (the
    shipped ones for the embedders in use when None); `strictness` moves their probability
    thresholds by (strictness - 1) log-odds steps (`compare.pairmodel.STRICTNESS_STEP`).
    `background_floor` is the least standing against unrelated news a link needs (None:
    the floor fitted with the scorer, see `compare.pairmodel.PairScorer`).
    """

    neighbours: int = 4
    term_weight: float = 0.2
    support_weight: float = 0.25
    background_neighbours: int = 3
    background_floor: float | None = None  # None: the scorer's own (fitted) floor
    absolute_floor: float = 2.0  # on the comparison's own cosine z-scores, when no background is given
    max_per_article: int = 3
    strictness: float = 1.0
    scorer: PairScorer | None = None
    # a pair is a candidate when it is among the `candidates` best of either sentence
    # (of both, without `one_sided`)
    candidates: int = 1
    one_sided: bool = True


@dataclass
class Link:
    """Two sentences (row indices into the stacked matrix) judged to report the same fact."""

    a: int
    b: int
    score: float
    probability: float = 1.0


@dataclass(frozen=True)
class LinkArrays:
    """Links as parallel arrays (row a, row b, score, probability), in grouping order.

    Why: 50 articles give tens of thousands of links; building a `Link` object for each,
    then reading the fields back out for the extension step and for grouping, cost more
    than scoring them. The values are exactly those a `Link` would hold (int64 rows,
    float64 score and probability), so `to_links` gives the same objects `accept` made.
    """

    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    probability: np.ndarray

    def __len__(self) -> int:
        return len(self.a)

    @classmethod
    def of(cls, links: "Sequence[Link] | LinkArrays") -> "LinkArrays":
        """The arrays of a list of links (or the arrays themselves)."""
        if isinstance(links, LinkArrays):
            return links
        return cls(
            np.array([link.a for link in links], dtype=np.int64),
            np.array([link.b for link in links], dtype=np.int64),
            np.array([link.score for link in links], dtype=np.float64),
            np.array([link.probability for link in links], dtype=np.float64),
        )

    def then(self, other: "LinkArrays") -> "LinkArrays":
        """These links followed by `other`'s."""
        return LinkArrays(*(np.concatenate([x, y]) for x, y in zip(self.fields(), other.fields())))

    def fields(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return self.a, self.b, self.score, self.probability

    def to_links(self) -> list[Link]:
        return [Link(*row) for row in zip(self.a.tolist(), self.b.tolist(), self.score.tolist(), self.probability.tolist())]


@dataclass
class AlignedGroup:
    members: list[int]
    score: float
    probability: float = 1.0


def _topk_mean(block: np.ndarray, k: int) -> np.ndarray:
    """Mean of the k largest values in each row."""
    k = max(1, min(k, block.shape[1]))
    if k == block.shape[1]:
        return np.ascontiguousarray(block).mean(axis=1)
    part = np.partition(block, block.shape[1] - k, axis=1)[:, block.shape[1] - k :]
    return part.mean(axis=1)


def _article_columns(article_of: np.ndarray) -> list[np.ndarray | slice]:
    """Each article's rows, as a slice when rows are stacked article by article (the
    engine's order): a slice reads a view where the index array copied a block."""
    n_articles = int(article_of.max()) + 1 if len(article_of) else 0
    if len(article_of) and np.all(article_of[1:] >= article_of[:-1]):
        bounds = np.searchsorted(article_of, np.arange(n_articles + 1))
        return [slice(int(bounds[b]), int(bounds[b + 1])) for b in range(n_articles)]
    return [np.flatnonzero(article_of == b) for b in range(n_articles)]


def _cross_mask(article_of: np.ndarray) -> np.ndarray:
    """cross[x, y]: x and y are from different articles."""
    return article_of[:, None] != article_of[None, :]


def _upper_cross_values(cosine: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """The cross-article values above the diagonal (in no particular order): per article,
    the block right of it when rows are stacked article by article, else a triangle mask."""
    columns = _article_columns(article_of)
    if columns and isinstance(columns[0], slice):
        return np.concatenate([cosine[rows, rows.stop :].ravel() for rows in columns])
    return cosine[np.triu(_cross_mask(article_of), 1)]


def _upper_cross_median(cosine: np.ndarray, article_of: np.ndarray) -> np.floating | None:
    """np.median(cosine[cross]) from the upper triangle alone, when the matrix is exactly
    symmetric (None otherwise, or with NaNs): the full set holds every upper value twice,
    so its two middle values are the half's middle values, averaged as np.median does.
    Half the values to partition; the result is the same float."""
    if cosine.ndim != 2 or cosine.shape[0] != cosine.shape[1] or not np.array_equal(cosine, cosine.T):
        return None
    upper = _upper_cross_values(cosine, article_of)
    if not len(upper) or np.isnan(upper).any():
        return None
    m = len(upper)
    lo, hi = (m - 1) // 2, m // 2
    part = np.partition(upper, hi)
    low = part[:hi].max() if lo != hi else part[hi]
    return np.mean(np.array([low, part[hi]], dtype=part.dtype))


@dataclass(frozen=True)
class _Similarity:
    """One embedder's cosine matrix and its cross-article statistics, computed once."""

    vectors: np.ndarray
    cosine: np.ndarray
    cross: np.ndarray
    spread: float
    cross_values: np.ndarray  # cosine[cross], gathered once for the spread and the median
    article_of: np.ndarray

    @classmethod
    def of(cls, vectors: np.ndarray, article_of: np.ndarray, cross: np.ndarray | None = None) -> "_Similarity":
        """`cross`: the `_cross_mask` of article_of, when the caller has it already."""
        cosine = vectors @ vectors.T
        cross = _cross_mask(article_of) if cross is None else cross
        values = cosine[cross]
        spread = float(values.std()) if len(values) else 1.0
        return cls(vectors, cosine, cross, max(spread, 1e-6), values, article_of)

    @cached_property
    def centre(self) -> np.floating:
        """Median cross-article cosine (computed once per matrix; see `_upper_cross_median`)."""
        median = _upper_cross_median(self.cosine, self.article_of)
        return np.median(self.cross_values) if median is None else median


def _standardised(cosine: np.ndarray, reference: np.ndarray, spread: float) -> np.ndarray:
    """((cosine - reference) / spread) as float32, reusing `reference`'s buffer when the
    dtypes let the in-place ufuncs compute exactly what the expression would."""
    if reference.dtype == np.result_type(cosine, reference) and reference.shape == cosine.shape:
        np.subtract(cosine, reference, out=reference)
        np.divide(reference, spread, out=reference)
        return reference.astype(np.float32, copy=False)
    return ((cosine - reference) / spread).astype(np.float32)


def _margin(sim: _Similarity, article_of: np.ndarray, k: int) -> np.ndarray:
    columns = _article_columns(article_of)
    knn = np.zeros((len(sim.cosine), len(columns)), dtype=np.float32)
    for b, cols in enumerate(columns):
        knn[:, b] = _topk_mean(sim.cosine[:, cols], k)
    spread_knn = knn[:, article_of]
    neighbourhood = np.add(spread_knn, spread_knn.T)
    np.divide(neighbourhood, 2.0, out=neighbourhood)
    margin = _standardised(sim.cosine, neighbourhood, sim.spread)
    if columns and isinstance(columns[0], slice):
        for block in columns:
            margin[block, block] = -np.inf
    else:
        margin[~sim.cross] = -np.inf
    return margin


def _absolute(sim: _Similarity) -> np.ndarray:
    if not len(sim.cross_values):
        return np.zeros_like(sim.cosine)
    centre = float(sim.centre)
    z = np.subtract(sim.cosine, centre)
    z /= sim.spread
    return z.astype(np.float32, copy=False)


def _background(sim: _Similarity, background: np.ndarray, k: int) -> np.ndarray:
    near = _topk_mean(sim.vectors @ background.T, k)
    reference = np.add(near[:, None], near[None, :])
    np.divide(reference, 2.0, out=reference)
    return _standardised(sim.cosine, reference, sim.spread)


def margin_scores(vectors: np.ndarray, article_of: np.ndarray, k: int) -> np.ndarray:
    """Margin in standard deviations: (cos - neighbourhood mean) / std of cross-article cos.

    The neighbourhood of a pair is the mean of both sentences' k nearest cosines in the
    other's article (Artetxe & Schwenk's margin, difference form). Dividing by the spread
    of cross-article cosines makes one threshold work for embedders whose cosines live on
    very different scales (e5: 0.8-0.95, USE: 0.0-0.9). Same-article pairs are -inf.
    """
    return _margin(_Similarity.of(vectors, article_of), article_of, k)


def absolute_scores(vectors: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """Cosine as a z-score against all cross-article pairs of this comparison.

    The margin alone is relative: even two articles about different events have
    sentence pairs that are each other's best match. Requiring the pair to stand out
    against every cross-article pair as well keeps such articles from sharing "facts".
    """
    return _absolute(_Similarity.of(vectors, article_of))


def background_standing(
    vectors: np.ndarray, background: np.ndarray, article_of: np.ndarray, k: int
) -> np.ndarray:
    """How far a pair's cosine rises above its sentences' closeness to unrelated news.

    (cos(x, y) - mean(bg_x, bg_y)) / spread, where bg_x is the mean cosine of x to its
    k nearest background sentences and spread the std of cross-article cosines.
    """
    return _background(_Similarity.of(vectors, article_of), background, k)


def _best_picks(score: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """picks[x, b]: the row of x's highest-scoring sentence in article b (argmax: the
    first of equal scores), shape (n, articles)."""
    columns = _article_columns(article_of) if len(score) else []
    picks = np.zeros((len(score), len(columns)), dtype=np.int64)
    for b, cols in enumerate(columns):
        pick = np.argmax(score[:, cols], axis=1)
        picks[:, b] = pick + cols.start if isinstance(cols, slice) else cols[pick]
    return picks


def best_match_mask(score: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """best[x, y]: y is x's highest-scoring sentence within y's article."""
    n = len(score)
    best = np.zeros((n, n), dtype=bool)
    rows = np.arange(n)
    for b, pick in enumerate(_best_picks(score, article_of).T):
        valid = article_of != b
        best[rows[valid], pick[valid]] = True
    return best


def top_k_mask(score: np.ndarray, article_of: np.ndarray, k: int) -> np.ndarray:
    """top[x, y]: y is among x's k highest-scoring sentences within y's article."""
    if k <= 1:
        return best_match_mask(score, article_of)
    n = len(score)
    top = np.zeros((n, n), dtype=bool)
    rows = np.arange(n)[:, None]
    for b in range(int(article_of.max()) + 1 if n else 0):
        cols = np.flatnonzero(article_of == b)
        kk = min(k, len(cols))
        picks = cols[np.argpartition(-score[:, cols], kk - 1, axis=1)[:, :kk]]
        valid = article_of != b
        top[np.broadcast_to(rows, picks.shape)[valid], picks[valid]] = True
    return top


FEATURES = ("margin", "standing", "absolute", "terms", "mutual", "gap_low", "gap_high", "length", "adjacent")
EXTEND_FEATURES = ("margin", "standing", "absolute", "terms", "merge", "length_gain", "anchor", "taken")
SUPPORT_FEATURES = ("support", "support_standing")
EXTEND_ROUNDS = 2  # a fact split over three sentences needs two extensions of its anchor


@dataclass(frozen=True)
class AlignInputs:
    """What one alignment works on: the stacked sentence vectors (and which article each row
    is from), plus the optional evidence beside them. One object, so the steps that pass it
    on (context, candidates, links) do not each repeat the list."""

    vectors: np.ndarray
    article_of: np.ndarray
    term_overlap: np.ndarray | None = None  # cross-language key-term overlap per pair
    eligible: np.ndarray | None = None  # rows that may link (sentences, not headings)
    support: np.ndarray | None = None  # the second-opinion embedder's vectors
    background: np.ndarray | None = None  # unrelated news sentences, primary embedder
    support_background: np.ndarray | None = None  # the same, second-opinion embedder
    lengths: np.ndarray | None = None  # characters per sentence (length-ratio feature)


@dataclass
class PairContext:
    """The matrices every feature is read from, computed once per comparison."""

    article_of: np.ndarray
    vectors: np.ndarray
    cosine: np.ndarray
    spread: float
    margin: np.ndarray
    standing: np.ndarray
    absolute: np.ndarray  # cosine as a z-score among this comparison's cross-article pairs
    terms: np.ndarray
    score: np.ndarray  # margin + key-term bonus (+ support bonus); -inf for ineligible rows
    lengths: np.ndarray
    support: dict[str, np.ndarray]
    floor: float | None = 0.0  # the least `evidence` a link needs (None: the scorer's)
    evidence: np.ndarray | None = None  # standing, averaged with the support's when there is one

    @cached_property
    def canonical(self) -> np.ndarray:
        """canonical[i]: the first row whose vector is byte-for-byte row i's.

        Clusters repeat most sentences (50 articles, ~100 distinct texts), so work that
        is a pure function of the vectors can be done once per distinct row. Byte
        equality (not value equality) keeps that exact: equal bytes give equal floats in
        every operation. Cached on the context, so it lives as long as the comparison.
        """
        n, width = self.vectors.shape if self.vectors.ndim == 2 else (len(self.vectors), 0)
        if n == 0 or width == 0:
            return np.arange(n)
        rows = np.ascontiguousarray(self.vectors).view(np.dtype((np.void, self.vectors.dtype.itemsize * width))).ravel()
        _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
        return first[inverse.ravel()]

    @property
    def same_next(self) -> np.ndarray:
        """same_next[i]: sentence i+1 exists and belongs to the same article as i."""
        same = np.zeros(len(self.article_of), dtype=bool)
        same[:-1] = self.article_of[:-1] == self.article_of[1:]
        return same


@dataclass
class PairFeatures:
    """Candidate pairs (a < b, row indices) and their features, one array entry per pair."""

    a: np.ndarray
    b: np.ndarray
    values: dict[str, np.ndarray]
    context: PairContext | None = None

    def __len__(self) -> int:
        return len(self.a)

    @property
    def score(self) -> np.ndarray:
        return _at(self.context.score, self.a, self.b).astype(np.float64) if self.context is not None else np.zeros(0)

    @property
    def standing(self) -> np.ndarray:
        return self.values.get("standing", np.zeros(len(self)))

    def matrix(self, names: Sequence[str]) -> np.ndarray:
        columns = self.columns(names)
        return np.column_stack(columns) if len(self) else np.zeros((0, len(names)))

    def columns(self, names: Sequence[str]) -> list[np.ndarray]:
        """The named features' arrays, in that order (what `matrix` stacks)."""
        missing = [n for n in names if n not in self.values]
        if missing:
            raise ValueError(f"pair model needs features not computed here: {', '.join(missing)} (a support embedder?)")
        return [self.values[n] for n in names]


def _top_two_from_picks(
    score: np.ndarray, article_of: np.ndarray, picks: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """`_top_two` from the best picks: the best is the score at the pick, the second the
    best once the pick is struck out (one maximum.reduceat over every article at once
    instead of a partition per article). The same values: both are order statistics.
    None where that does not hold exactly or cannot be used: NaN scores (a partition puts
    them last), rows not stacked article by article, or an article without rows."""
    columns = _article_columns(article_of)
    if not columns or not isinstance(columns[0], slice) or any(c.stop <= c.start for c in columns):
        return None
    if score.ndim != 2 or np.isnan(score).any():
        return None
    rows = np.arange(len(score))[:, None]
    top1 = score[rows, picks].astype(np.float64)
    struck = score.copy()
    struck[rows, picks] = -np.inf
    top2 = np.maximum.reduceat(struck, [c.start for c in columns], axis=1).astype(np.float64)
    return top1, top2


def _top_two(score: np.ndarray, article_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best and second-best score of each row within each article, shape (n, articles)."""
    columns = _article_columns(article_of)
    top1 = np.full((len(score), len(columns)), -np.inf)
    top2 = np.full((len(score), len(columns)), -np.inf)
    for b, cols in enumerate(columns):
        block = score[:, cols]
        if block.shape[1] >= 2:
            part = np.partition(block, block.shape[1] - 2, axis=1)
            top1[:, b], top2[:, b] = part[:, -1], part[:, -2]
        elif block.shape[1] == 1:
            top1[:, b] = block[:, 0]
    return top1, top2


def _at(matrix: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """matrix[xs, ys], read through the flat view: the same values as the 2-d fancy
    index, without its per-element index arithmetic (tens of thousands of pairs, read
    from half a dozen matrices per stage)."""
    if matrix.ndim != 2 or not matrix.flags.c_contiguous:
        return matrix[xs, ys]
    return matrix.ravel().take(xs * matrix.shape[1] + ys)


def _clip(values: np.ndarray) -> np.ndarray:
    return np.clip(np.nan_to_num(values, nan=-GAP_CLIP, posinf=GAP_CLIP, neginf=-GAP_CLIP), -GAP_CLIP, GAP_CLIP)


def _gap(score: np.ndarray, top1: np.ndarray, top2: np.ndarray, xs: np.ndarray, ys: np.ndarray, art: np.ndarray) -> np.ndarray:
    """How far y beats x's runner-up in y's article (negative: y is not x's best)."""
    value = _at(score, xs, ys)
    best, second = top1[xs, art[ys]], top2[xs, art[ys]]
    with np.errstate(invalid="ignore"):
        gap = np.where(value >= best, value - second, value - best)
    return _clip(gap)


def _neighbour_best(ctx: PairContext, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Best score of a pair sharing one end with (x, y) whose other end is next to x or y
    in the same article (the pairs a split fact would add)."""
    n = len(ctx.article_of)
    best = np.full(len(xs), -np.inf)
    for step in (-1, 1):
        for fixed, moved in ((ys, xs), (xs, ys)):
            other = moved + step
            ok = (other >= 0) & (other < n)
            ok[ok] = ctx.article_of[other[ok]] == ctx.article_of[moved[ok]]
            vals = np.full(len(xs), -np.inf)
            vals[ok] = _at(ctx.score, other[ok], fixed[ok])
            best = np.maximum(best, vals)
    return _clip(best)


def pair_context(inputs: AlignInputs, settings: AlignSettings) -> PairContext:
    """Margins, standings and key-term overlaps of every pair (matrix work, once)."""
    vectors, article_of, term_overlap, eligible = inputs.vectors, inputs.article_of, inputs.term_overlap, inputs.eligible
    support, background, support_background, lengths = (
        inputs.support, inputs.background, inputs.support_background, inputs.lengths
    )
    primary = _Similarity.of(vectors, article_of)
    margin = _margin(primary, article_of, settings.neighbours)
    absolute = _absolute(primary)
    floor: float | None
    if background is not None and len(background):
        standing = _background(primary, background, settings.background_neighbours)
        floor = settings.background_floor  # None: the scorer's
    else:  # the same matrix as `absolute` (the context's matrices are only read, never written)
        standing = absolute
        floor = settings.absolute_floor
    if term_overlap is not None:
        terms = term_overlap
        score = margin + settings.term_weight * terms
    else:  # weight * 0.0 is +0.0 everywhere: adding the scalar gives the same floats without the temporaries
        terms = np.zeros_like(margin)
        score = margin + 0.0
    extra: dict[str, np.ndarray] = {}
    if support is not None:
        second = _Similarity.of(support, article_of, primary.cross)
        support_z = _absolute(second)
        score += settings.support_weight * support_z  # score is this function's own array
        if support_background is not None and len(support_background):
            support_standing = _background(second, support_background, settings.background_neighbours)
        else:
            support_standing = support_z
        extra = {"support": support_z, "support_standing": support_standing}
    # both opinions must see the pair stand out from unrelated news (so either can veto)
    if extra:
        evidence = np.add(standing, extra["support_standing"])
        evidence /= 2.0
    else:
        evidence = standing
    if eligible is not None:
        score[~eligible, :] = -np.inf
        score[:, ~eligible] = -np.inf
    chars = np.ones(len(vectors)) if lengths is None else np.asarray(lengths, dtype=np.float64) + 1.0
    return PairContext(
        article_of, primary.vectors, primary.cosine, primary.spread, margin, standing, absolute, terms, score,
        chars, extra, floor, evidence,
    )


def _pair_values(ctx: PairContext, xs: np.ndarray, ys: np.ndarray) -> dict[str, np.ndarray]:
    """The features every stage shares, for the pairs (xs, ys)."""
    return {
        "margin": _clip(_at(ctx.margin, xs, ys).astype(np.float64)),
        "standing": _at(ctx.standing, xs, ys).astype(np.float64),
        "absolute": _at(ctx.absolute, xs, ys).astype(np.float64),
        "terms": _at(ctx.terms, xs, ys).astype(np.float64),
        **{name: _at(m, xs, ys).astype(np.float64) for name, m in ctx.support.items()},
    }


def candidate_features(ctx: PairContext, settings: AlignSettings) -> PairFeatures:
    """Candidates (among the `settings.candidates` best of at least one side within the
    other's article) and their features."""
    article_of, score = ctx.article_of, ctx.score
    if len(article_of) == 0 or len(set(article_of.tolist())) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return PairFeatures(empty, empty, {}, ctx)
    picks = _best_picks(score, article_of)
    if settings.candidates <= 1 and settings.one_sided:
        xs, ys = _one_sided_best(score, article_of, picks)
        mutual = (picks[xs, article_of[ys]] == ys) & (picks[ys, article_of[xs]] == xs)
    else:
        best = best_match_mask(score, article_of)
        top = best if settings.candidates <= 1 else top_k_mask(score, article_of, settings.candidates)
        cross = article_of[:, None] != article_of[None, :]
        chosen = (top | top.T) if settings.one_sided else (top & top.T)
        xs, ys = np.nonzero(np.triu(chosen & np.isfinite(score) & cross, k=1))
        mutual = _at(best, xs, ys) & _at(best, ys, xs)
    top1, top2 = _top_two_from_picks(score, article_of, picks) or _top_two(score, article_of)
    gap_x = _gap(score, top1, top2, xs, ys, article_of)
    gap_y = _gap(score, top1, top2, ys, xs, article_of)
    values = {
        **_pair_values(ctx, xs, ys),
        "mutual": mutual.astype(np.float64),
        "gap_low": np.minimum(gap_x, gap_y),
        "gap_high": np.maximum(gap_x, gap_y),
        "length": np.abs(np.log(ctx.lengths[xs] / ctx.lengths[ys])),
        "adjacent": _neighbour_best(ctx, xs, ys),
    }
    return PairFeatures(xs, ys, values, ctx)


def _one_sided_best(score: np.ndarray, article_of: np.ndarray, picks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (x < y, in row-major order, as np.nonzero of the upper triangle gives
    them) where one is the other's best match in its article and the score is finite:
    read off the picks (one per row and other article) instead of n x n masks."""
    n = len(score)
    rows = np.repeat(np.arange(n), picks.shape[1])
    other = np.tile(np.arange(picks.shape[1]), n)
    valid = article_of[rows] != other
    x, y = rows[valid], picks.ravel()[valid]
    table = np.zeros(n * n, dtype=bool)  # sorted, distinct keys without a sort (a quarter of a float32 matrix)
    table[np.minimum(x, y) * n + np.maximum(x, y)] = True
    keys = np.flatnonzero(table)
    xs, ys = keys // n, keys % n
    keep = np.isfinite(_at(score, xs, ys))
    return xs[keep], ys[keep]


MERGE_CHUNK = 1024  # rows per block in _merged_cosine: two (1024, dim) float blocks stay in cache


def _merged_cosine(ctx: PairContext, xs: np.ndarray, ys: np.ndarray, ns: np.ndarray) -> np.ndarray:
    """cos(x, normalised(y + n)) per row, without (rows, dim) temporaries.

    Why: tens of thousands of extension rows come down to a few hundred distinct
    (x, y + n) vector triples once repeated sentences are mapped to their first copy
    (`PairContext.canonical`: byte-identical vectors). Each distinct merged vector is
    built once, each distinct dot product computed once (in blocks of MERGE_CHUNK rows)
    and spread back over the rows. Every row goes through the same float operations as
    a one-shot computation would (row-wise sums do not depend on how many rows are
    stacked, and equal bytes give equal results), so the values are bit-identical.
    """
    firsts, rank = np.unique(ctx.canonical, return_inverse=True)  # rank: dense, in canonical row order
    rank = rank.ravel()
    d = len(firsts)
    pairs, which = _dense_unique(rank[ys] * d + rank[ns], d * d)
    merged = ctx.vectors[firsts[pairs // d]] + ctx.vectors[firsts[pairs % d]]
    merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-9)
    triples, row = _dense_unique(rank[xs] * len(pairs) + which, d * len(pairs))
    left, right = firsts[triples // len(pairs)], triples % len(pairs)
    out = np.empty(len(triples), dtype=np.result_type(ctx.vectors, merged))
    for start in range(0, len(triples), MERGE_CHUNK):
        block = slice(start, start + MERGE_CHUNK)
        out[block] = np.einsum("ij,ij->i", ctx.vectors[left[block]], merged[right[block]])
    return out[row.ravel()]


DENSE_UNIQUE_LIMIT = 1 << 22  # keys below this many: a lookup table (at most 4 MB of flags) instead of a sort


def _dense_unique(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True) for non-negative integer keys below `size`.

    Why: the merged-cosine step dedupes tens of thousands of keys drawn from a small
    range (distinct sentences squared); flags in a table of `size` give the sorted
    distinct keys and a running count gives each key's index among them, without the
    sort. The same two arrays (int64); above DENSE_UNIQUE_LIMIT, np.unique itself.
    """
    if size > DENSE_UNIQUE_LIMIT or not len(keys):
        distinct, inverse = np.unique(keys, return_inverse=True)
        return distinct, inverse.ravel()
    present = np.zeros(size, dtype=bool)
    present[keys] = True
    index = np.cumsum(present) - 1
    return np.flatnonzero(present), index[keys]


def _member(values: np.ndarray, keys: np.ndarray, size: int) -> np.ndarray:
    """np.isin(values, keys) for pair keys below `size` (rows squared): a lookup table
    of `size` booleans, a quarter of one float32 pair matrix, instead of isin's sorts."""
    table = np.zeros(size, dtype=bool)
    table[keys] = True
    return table[values]


def _first_of_runs(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts in a sorted array: np.unique's return_index
    (first occurrence) without sorting the sorted keys again."""
    start = np.ones(len(sorted_keys), dtype=bool)
    start[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return np.flatnonzero(start)


def _best_per_key(key: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Per distinct key (in key order), the position of its largest value, the first of
    equal ones: what `lexsort((-value, key))` then the first of each key's run gives.

    Why: the lexsort (two stable passes) was a third of the extension step. Keys made
    unique by their position (key * len + position) sort with the plain, unstable sort
    into exactly the stable order; each run's maximum is then found with one reduceat
    and its first occurrence read off. NaN values (which the lexsort puts last) and
    composite keys that could overflow take the lexsort.
    """
    n = len(key)
    if n == 0 or np.isnan(value).any() or int(key.min()) < 0 or (int(key.max()) + 1) * n >= 2**62:
        order = np.lexsort((-value, key))  # by key, largest value first (stable)
        return order[_first_of_runs(key[order])]
    order = np.argsort(key.astype(np.int64) * n + np.arange(n))
    starts = _first_of_runs(key[order])
    ranked = value[order]
    lengths = np.diff(np.append(starts, n))
    top = np.repeat(np.maximum.reduceat(ranked, starts), lengths)
    hits = np.flatnonzero(ranked == top)  # each run holds its maximum at least once
    run_of_hit = np.repeat(np.arange(len(starts)), lengths)[hits]
    return order[hits[_first_of_runs(run_of_hit)]]


def extension_features(ctx: PairContext, links: Sequence[Link] | LinkArrays) -> PairFeatures:
    """Pairs that would extend a link (x, y) to a neighbour n of y in y's article (or of x
    in x's), i.e. a fact split over the adjacent sentences y and n; one row per pair, from
    the most probable anchor.

    `merge`: cos(x, y+n) - cos(x, y) in spread units (does n add to what y shares with x,
    or only dilute it?); `length_gain`: how much closer to x's length y and n are together
    than y alone; `anchor`: the anchoring link's probability; `taken`: the best probability
    with which n is already linked into x's article. Only adjacency within one article is
    used, never the order of the other article.
    """
    n_rows = len(ctx.article_of)
    empty = np.zeros(0, dtype=np.int64)
    if not len(links) or n_rows == 0:
        return PairFeatures(empty, empty, {}, ctx)
    arrays = LinkArrays.of(links)
    la, lb, lp = arrays.a, arrays.b, arrays.probability
    art = ctx.article_of
    taken = np.zeros((n_rows, int(art.max()) + 1))
    np.maximum.at(taken, (la, art[lb]), lp)
    np.maximum.at(taken, (lb, art[la]), lp)
    linked = np.minimum(la, lb) * n_rows + np.maximum(la, lb)
    same = ctx.same_next
    parts = []
    for x, y in ((la, lb), (lb, la)):
        for step in (-1, 1):
            n = y + step
            ok = (n >= 0) & (n < n_rows)
            ok[ok] = same[np.minimum(y[ok], n[ok])]
            ok[ok] = np.isfinite(_at(ctx.score, x[ok], n[ok]))
            parts.append((x[ok], y[ok], n[ok], lp[ok]))
    xs = np.concatenate([q[0] for q in parts])
    ys = np.concatenate([q[1] for q in parts])
    ns = np.concatenate([q[2] for q in parts])
    anchor = np.concatenate([q[3] for q in parts])
    key = np.minimum(xs, ns) * n_rows + np.maximum(xs, ns)
    fresh = ~_member(key, linked, n_rows * n_rows)
    xs, ys, ns, anchor, key = xs[fresh], ys[fresh], ns[fresh], anchor[fresh], key[fresh]
    if not len(key):
        return PairFeatures(empty, empty, {}, ctx)
    first = _best_per_key(key, anchor)
    xs, ys, ns, anchor = xs[first], ys[first], ns[first], anchor[first]
    merge = (_merged_cosine(ctx, xs, ys, ns) - _at(ctx.cosine, xs, ys)) / ctx.spread
    alone = np.abs(np.log(ctx.lengths[ys] / ctx.lengths[xs]))
    together = np.abs(np.log((ctx.lengths[ys] + ctx.lengths[ns]) / ctx.lengths[xs]))
    values = {
        **_pair_values(ctx, xs, ns),
        "merge": _clip(merge.astype(np.float64)),
        "length_gain": alone - together,
        "anchor": anchor,
        "taken": taken[ns, ctx.article_of[xs]],
    }
    a, b = np.minimum(xs, ns), np.maximum(xs, ns)
    return PairFeatures(a, b, values, ctx)


def accept(
    features: PairFeatures, model: PairModel, settings: AlignSettings, floor: float = 0.0, ordered: bool = False
) -> list[Link]:
    """The pairs whose probability reaches the model's bar and whose evidence against
    unrelated news reaches the floor (the context's own when it has one); `ordered`: most
    probable first, then by score, then by index (`choose_links`' order)."""
    return accepted(features, model, settings, floor, ordered).to_links()


def accepted(
    features: PairFeatures, model: PairModel, settings: AlignSettings, floor: float = 0.0, ordered: bool = False
) -> LinkArrays:
    """`accept` as arrays: sorted on the arrays (stable, like sorting the Links), and no
    Link objects, which cost more than scoring the pairs on 50 articles."""
    if not len(features):
        empty = np.zeros(0, dtype=np.int64)
        return LinkArrays(empty, empty, np.zeros(0), np.zeros(0))
    probability = model.probability_of_columns(features.columns(model.features), len(features))
    ctx = features.context
    evidence = _at(ctx.evidence, features.a, features.b) if ctx is not None and ctx.evidence is not None else features.standing
    if ctx is not None and ctx.floor is not None:
        floor = ctx.floor
    keep = (probability >= model.threshold_at(settings.strictness)) & (evidence >= floor)
    a, b, score, probability = features.a[keep], features.b[keep], features.score[keep], probability[keep]
    if ordered:
        by = np.lexsort((b, a, -score, -probability))
        a, b, score, probability = a[by], b[by], score[by], probability[by]
    as_float = lambda v: np.asarray(v, dtype=np.float64)  # noqa: E731  (what Link's floats hold)
    return LinkArrays(a.astype(np.int64, copy=False), b.astype(np.int64, copy=False), as_float(score), as_float(probability))


def choose_links(features: PairFeatures, scorer: PairScorer, settings: AlignSettings) -> list[Link]:
    """Candidates whose link probability reaches the bar and that stand above unrelated news
    (most probable first), then their extensions to adjacent sentences (split facts; each
    round most probable first), in the order grouping should take them."""
    return chosen_links(features, scorer, settings).to_links()


def chosen_links(features: PairFeatures, scorer: PairScorer, settings: AlignSettings) -> LinkArrays:
    """`choose_links` as arrays (what grouping reads; see `LinkArrays`)."""
    links = accepted(features, scorer.link, settings, scorer.floor, ordered=True)
    if scorer.extend is not None and features.context is not None:
        for _ in range(EXTEND_ROUNDS):
            added = accepted(extension_features(features.context, links), scorer.extend, settings, scorer.floor, ordered=True)
            if not len(added):
                break
            links = links.then(added)  # after their anchors: grouping takes anchors first
    return links


def pair_features(inputs: AlignInputs, settings: AlignSettings) -> PairFeatures:
    """Candidates and their features straight from the vectors (see `pair_context`)."""
    if len(inputs.vectors) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return PairFeatures(empty, empty, {})
    return candidate_features(pair_context(inputs, settings), settings)


def group_features(
    features: PairFeatures,
    article_of: np.ndarray,
    settings: AlignSettings,
    with_support: bool,
    scorer: PairScorer | None = None,
) -> list[AlignedGroup]:
    """Links chosen among the candidates, grouped: the second half of every alignment (the
    engine's, the gate's and the refit's). The scorer is the given one, else the settings',
    else the shipped model for these embedders."""
    scorer = scorer or settings.scorer or default_scorer(with_support)
    links = chosen_links(features, scorer, settings)
    logger.debug("alignment: %d sentences, %d candidates, %d links", len(article_of), len(features), len(links))
    return group_links(links, np.asarray(article_of), settings.max_per_article)


def _over_cap(small: dict[int, int], large: dict[int, int], cap: int) -> bool:
    """Whether merging two groups' per-article counts would put more than `cap` sentences
    of one article into the group (only the smaller side's articles can overflow)."""
    get = large.get
    for art, c in small.items():
        if get(art, 0) + c > cap:
            return True
    return False


def group_links(links: Sequence[Link] | LinkArrays, article_of: np.ndarray, max_per_article: int) -> list[AlignedGroup]:
    """Greedy union of links (in the given order: most probable first) under a per-article size cap.

    A group's score and probability are the means over the links inside it. Per-article
    counts are checked on the smaller side and merged into the larger dict: 50 articles
    make groups of dozens of articles, and copying their counts for every refused link was
    most of the cost. The loop reads plain lists (not Link attributes) for the same reason.
    """
    arrays = LinkArrays.of(links)
    n = len(article_of)
    parent = list(range(n))
    counts: dict[int, dict[int, int]] = {i: {art: 1} for i, art in enumerate(np.asarray(article_of).tolist())}
    inside: list[list[int] | None] = [None] * n  # per root: positions of the links inside its group

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k, (a, b) in enumerate(zip(arrays.a.tolist(), arrays.b.tolist())):
        ra, rb = parent[a], parent[b]  # most rows are roots or one step from one: no call
        if parent[ra] != ra:
            ra = parent[a] = root(ra)
        if parent[rb] != rb:
            rb = parent[b] = root(rb)
        if ra == rb:  # most links fall inside a group: a list slot, no dict nor new list per link
            bucket = inside[ra]
            if bucket is None:
                inside[ra] = [k]
            else:
                bucket.append(k)
            continue
        into, other = counts[ra], counts[rb]
        small, large = (other, into) if len(other) <= len(into) else (into, other)
        if _over_cap(small, large, max_per_article):
            continue  # an article only one side has keeps its count, which is within the cap
        parent[rb] = ra
        for art, c in small.items():
            large[art] = large.get(art, 0) + c
        counts[ra] = large
        del counts[rb]
        merged = inside[ra]
        if merged is None:
            merged = inside[ra] = []
        theirs = inside[rb]
        if theirs is not None:
            merged.extend(theirs)
            inside[rb] = None
        merged.append(k)

    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    groups = [
        AlignedGroup(sorted(m), float(np.mean(arrays.score[inside[r]])), float(np.mean(arrays.probability[inside[r]])))
        for r, m in members.items()
        if len(m) > 1 and inside[r] is not None
    ]
    groups.sort(key=lambda g: g.members[0])
    return groups


def align(
    vectors: np.ndarray,
    article_of: np.ndarray,
    term_overlap: np.ndarray | None = None,
    settings: AlignSettings | None = None,
    eligible: np.ndarray | None = None,
    support: np.ndarray | None = None,
    background: np.ndarray | None = None,
    support_background: np.ndarray | None = None,
    lengths: np.ndarray | None = None,
) -> list[AlignedGroup]:
    """Groups of stacked-row indices that report the same fact, in order of first member.

    `lengths` (characters per sentence) feeds the length-ratio feature; without it every
    pair counts as equally long.
    """
    settings = settings or AlignSettings()
    inputs = AlignInputs(
        np.asarray(vectors, dtype=np.float32), np.asarray(article_of), term_overlap, eligible, support, background,
        support_background, lengths,
    )
    return group_features(pair_features(inputs, settings), inputs.article_of, settings, support is not None)
