"""The alignment's fast paths give exactly what the plain computations give.

Each helper replaced a slower formulation (a full median, per-article partitions,
n x n masks, Link objects); these tests pin them to those formulations bit for bit, on
inputs stacked article by article (the engine's order) and shuffled (the fallbacks).
"""

from __future__ import annotations

import numpy as np
import pytest

from compare import align as A
from compare.pairmodel import default_scorer


def _unit(rng: np.random.Generator, n: int, dim: int = 32) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _case(seed: int, shuffled: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of 3-5 articles that repeat some sentences (as clusters of variants do)."""
    rng = np.random.default_rng(seed)
    n_articles = int(rng.integers(3, 6))
    sizes = rng.integers(2, 9, size=n_articles)
    article_of = np.repeat(np.arange(n_articles), sizes)
    pool = _unit(rng, 12)
    vectors = pool[rng.integers(0, len(pool), size=len(article_of))]
    if shuffled:
        order = rng.permutation(len(article_of))
        return vectors[order], article_of[order]
    return vectors, article_of


@pytest.mark.parametrize("shuffled", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_cross_median_matches_numpy(seed: int, shuffled: bool) -> None:
    vectors, article_of = _case(seed, shuffled)
    sim = A._Similarity.of(vectors, article_of)
    expected = np.median(sim.cosine[article_of[:, None] != article_of[None, :]])
    assert sim.centre == expected and sim.centre.dtype == expected.dtype


def test_cross_median_declines_asymmetric_matrix() -> None:
    matrix = np.arange(16, dtype=np.float32).reshape(4, 4)
    assert A._upper_cross_median(matrix, np.array([0, 0, 1, 1])) is None


@pytest.mark.parametrize("seed", range(6))
def test_top_two_from_picks_matches_partition(seed: int) -> None:
    vectors, article_of = _case(seed)
    score = A.margin_scores(vectors, article_of, 2)
    picks = A._best_picks(score, article_of)
    fast = A._top_two_from_picks(score, article_of, picks)
    assert fast is not None
    for got, want in zip(fast, A._top_two(score, article_of)):
        assert got.dtype == want.dtype and np.array_equal(got, want)


@pytest.mark.parametrize("shuffled", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_one_sided_candidates_match_masks(seed: int, shuffled: bool) -> None:
    vectors, article_of = _case(seed, shuffled)
    ctx = A.pair_context(A.AlignInputs(vectors, article_of), A.AlignSettings())
    best = A.best_match_mask(ctx.score, article_of)
    cross = article_of[:, None] != article_of[None, :]
    want = np.nonzero(np.triu((best | best.T) & np.isfinite(ctx.score) & cross, k=1))
    got = A._one_sided_best(ctx.score, article_of, A._best_picks(ctx.score, article_of))
    assert all(np.array_equal(g, w) for g, w in zip(got, want))


@pytest.mark.parametrize("seed", range(4))
def test_link_arrays_match_link_objects(seed: int) -> None:
    vectors, article_of = _case(seed)
    settings = A.AlignSettings()
    features = A.pair_features(A.AlignInputs(vectors, article_of), settings)
    scorer = default_scorer(False)
    arrays = A.chosen_links(features, scorer, settings)
    links = arrays.to_links()
    assert links == A.choose_links(features, scorer, settings)
    assert A.accept(features, scorer.link, settings, scorer.floor) == A.accepted(features, scorer.link, settings, scorer.floor).to_links()
    by_objects = A.group_links(links, article_of, 2)
    by_arrays = A.group_links(arrays, article_of, 2)
    assert [(g.members, g.score, g.probability) for g in by_objects] == [(g.members, g.score, g.probability) for g in by_arrays]
    ext_objects = A.extension_features(features.context, links)
    ext_arrays = A.extension_features(features.context, arrays)
    assert np.array_equal(ext_objects.a, ext_arrays.a) and np.array_equal(ext_objects.b, ext_arrays.b)


def test_canonical_rows_map_repeats_to_first_copy() -> None:
    rng = np.random.default_rng(5)
    pool = _unit(rng, 3)
    vectors = pool[[0, 1, 0, 2, 1, 0]]
    ctx = A.pair_context(A.AlignInputs(vectors, np.array([0, 0, 0, 1, 1, 1])), A.AlignSettings())
    assert ctx.canonical.tolist() == [0, 1, 0, 3, 1, 0]


def test_member_and_runs_match_numpy() -> None:
    rng = np.random.default_rng(9)
    keys = rng.integers(0, 50, size=30)
    values = rng.integers(0, 50, size=40)
    assert np.array_equal(A._member(values, keys, 50), np.isin(values, keys))
    ordered = np.sort(rng.integers(0, 10, size=40))
    assert np.array_equal(A._first_of_runs(ordered), np.unique(ordered, return_index=True)[1])


@pytest.mark.parametrize("with_support", [False, True])
def test_probability_of_columns_matches_stacked_matrix(with_support: bool) -> None:
    rng = np.random.default_rng(11)
    scorer = default_scorer(with_support)
    for model in (scorer.link, scorer.extend):
        n = 5000
        columns = [rng.normal(scale=3.0, size=n) for _ in model.features]
        columns[0] = columns[0].astype(np.float32)  # column_stack upcasts: the same float64 values
        columns[-1] = rng.random(n) < 0.5
        want = model.probability(np.column_stack(columns))
        got = model.probability_of_columns(columns, n)
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
    assert model.probability_of_columns([np.zeros(0)] * len(model.features), 0).shape == (0,)


@pytest.mark.parametrize("seed", range(4))
def test_accepted_probabilities_match_the_stacked_matrix(seed: int) -> None:
    vectors, article_of = _case(seed)
    settings = A.AlignSettings()
    features = A.pair_features(A.AlignInputs(vectors, article_of), settings)
    model = default_scorer(False).link
    want = model.probability(features.matrix(model.features))
    got = model.probability_of_columns(features.columns(model.features), len(features))
    assert got.tobytes() == want.tobytes()


def _group_links_plain(arrays: A.LinkArrays, article_of: np.ndarray, cap: int) -> list[A.AlignedGroup]:
    """group_links as first written: dict buckets of link positions, copied counts."""
    n = len(article_of)
    parent = list(range(n))
    counts = {i: {int(art): 1} for i, art in enumerate(article_of)}
    inside: dict[int, list[int]] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for k, (a, b) in enumerate(zip(arrays.a.tolist(), arrays.b.tolist())):
        ra, rb = root(a), root(b)
        if ra == rb:
            inside.setdefault(ra, []).append(k)
            continue
        merged_counts = dict(counts[ra])
        for art, c in counts[rb].items():
            merged_counts[art] = merged_counts.get(art, 0) + c
        if max(merged_counts.values()) > cap:
            continue
        parent[rb] = ra
        counts[ra] = merged_counts
        inside[ra] = inside.get(ra, []) + inside.pop(rb, []) + [k]
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    groups = [
        A.AlignedGroup(sorted(m), float(np.mean(arrays.score[inside[r]])), float(np.mean(arrays.probability[inside[r]])))
        for r, m in members.items()
        if len(m) > 1 and r in inside
    ]
    return sorted(groups, key=lambda g: g.members[0])


@pytest.mark.parametrize("seed", range(30))
def test_group_links_matches_plain_union(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    article_of = np.sort(rng.integers(0, int(rng.integers(1, 7)), size=n))
    m = int(rng.integers(0, 200))
    a, b = rng.integers(0, n, size=m), rng.integers(0, n, size=m)
    keep = a != b
    arrays = A.LinkArrays(a[keep], b[keep], rng.normal(size=int(keep.sum())), rng.random(int(keep.sum())))
    cap = int(rng.integers(1, 4))
    got = A.group_links(arrays, article_of, cap)
    want = _group_links_plain(arrays, article_of, cap)
    assert [(g.members, g.score, g.probability) for g in got] == [(g.members, g.score, g.probability) for g in want]


@pytest.mark.parametrize("seed", range(20))
def test_best_per_key_matches_lexsort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    key = rng.integers(0, int(rng.integers(1, 60)), size=n)
    value = rng.random(n).round(int(rng.integers(0, 3)))  # many ties
    if seed % 4 == 0:
        value[rng.integers(0, n, size=3)] = np.nan  # the lexsort's own order
    if seed % 5 == 0:
        value[rng.integers(0, n, size=5)] = -0.0
    order = np.lexsort((-value, key))
    want = order[A._first_of_runs(key[order])]
    assert np.array_equal(A._best_per_key(key, value), want)


def test_dense_unique_matches_numpy() -> None:
    rng = np.random.default_rng(3)
    for size in (1, 7, 500):
        keys = rng.integers(0, size, size=int(rng.integers(0, 300)))
        distinct, inverse = A._dense_unique(keys, size)
        want_distinct, want_inverse = np.unique(keys, return_inverse=True)
        assert np.array_equal(distinct, want_distinct) and np.array_equal(inverse, want_inverse.ravel())


@pytest.mark.parametrize("seed", range(4))
def test_merged_cosine_matches_sorted_dedupe(seed: int) -> None:
    vectors, article_of = _case(seed)
    ctx = A.pair_context(A.AlignInputs(vectors, article_of), A.AlignSettings())
    rng = np.random.default_rng(seed)
    n = len(article_of)
    xs, ys, ns = (rng.integers(0, n, size=200) for _ in range(3))
    canon = ctx.canonical  # the dedupe by np.unique on canonical rows, as first written
    pairs, which = np.unique(canon[ys] * n + canon[ns], return_inverse=True)
    merged = ctx.vectors[pairs // n] + ctx.vectors[pairs % n]
    merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-9)
    triples, row = np.unique(canon[xs] * len(pairs) + which.ravel(), return_inverse=True)
    want = np.einsum("ij,ij->i", ctx.vectors[triples // len(pairs)], merged[triples % len(pairs)])[row.ravel()]
    assert A._merged_cosine(ctx, xs, ys, ns).tobytes() == want.tobytes()
