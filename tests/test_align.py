"""Alignment on synthetic vectors: properties of the margin scoring and grouping rules."""

from __future__ import annotations

import numpy as np
import pytest

from compare.align import AlignSettings, align, best_match_mask, group_links, Link, margin_scores


def _unit(rng: np.random.Generator, n: int, dim: int = 64) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _noisy(v: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    w = v + noise * rng.normal(size=v.shape).astype(np.float32)
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def test_margin_scores_mask_same_article_pairs() -> None:
    rng = np.random.default_rng(0)
    vectors = _unit(rng, 6)
    article_of = np.array([0, 0, 0, 1, 1, 1])
    m = margin_scores(vectors, article_of, k=2)
    assert np.isneginf(m[:3, :3]).all() and np.isneginf(m[3:, 3:]).all()
    assert np.isfinite(m[:3, 3:]).all()
    assert np.allclose(m[:3, 3:], m[3:, :3].T)


def test_best_match_mask_picks_one_per_other_article() -> None:
    rng = np.random.default_rng(1)
    vectors = _unit(rng, 9)
    article_of = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    best = best_match_mask(margin_scores(vectors, article_of, 2), article_of)
    for x in range(9):
        for b in range(3):
            cols = np.flatnonzero(article_of == b)
            assert best[x, cols].sum() == (0 if article_of[x] == b else 1)


def test_shuffled_paraphrases_are_recovered_without_order() -> None:
    """Two 'articles' sharing 8 facts in different order plus unrelated sentences each."""
    rng = np.random.default_rng(2)
    shared = _unit(rng, 8, dim=128)
    left = np.vstack([shared, _unit(rng, 6, dim=128)])
    order = rng.permutation(8)
    right = np.vstack([_noisy(shared[order], rng, 0.08), _unit(rng, 6, dim=128)])
    vectors = np.vstack([left, right])
    article_of = np.array([0] * len(left) + [1] * len(right))
    groups = align(vectors, article_of)
    found = {(g.members[0], g.members[1] - len(left)) for g in groups if len(g.members) == 2}
    expected = {(int(order[j]), j) for j in range(8)}
    assert found == expected


def test_fact_split_over_adjacent_sentences_joins_one_group() -> None:
    rng = np.random.default_rng(4)
    base = _unit(rng, 10, dim=128)
    part_a, part_b = _unit(rng, 2, dim=128)
    combined = (part_a + part_b) / np.linalg.norm(part_a + part_b)
    left = np.vstack([base[:5], part_a, part_b, base[5:7]])  # fact split over rows 5 and 6
    right = np.vstack([_noisy(base[:7], rng, 0.05), combined])
    vectors = np.vstack([left, right])
    article_of = np.array([0] * len(left) + [1] * len(right))
    groups = align(vectors, article_of)
    split = [g for g in groups if len(left) + 7 in g.members]
    assert split and {5, 6} <= set(split[0].members)


def test_strictness_never_adds_links() -> None:
    rng = np.random.default_rng(5)
    shared = _unit(rng, 10, dim=64)
    vectors = np.vstack([shared, _noisy(shared, rng, 0.5)])
    article_of = np.array([0] * 10 + [1] * 10)
    loose = align(vectors, article_of, settings=AlignSettings(strictness=0.5))
    strict = align(vectors, article_of, settings=AlignSettings(strictness=2.0))
    members = lambda gs: sum(len(g.members) for g in gs)  # noqa: E731
    assert members(strict) <= members(loose)


def test_group_links_respects_per_article_cap() -> None:
    article_of = np.array([0, 0, 0, 0, 1])
    links = [Link(i, 4, 1.1 - i * 0.01) for i in range(4)]
    groups = group_links(links, article_of, max_per_article=2)
    assert max(len(g.members) for g in groups) == 3
    assert groups[0].members == [0, 1, 4]


def test_support_signal_can_veto_a_weak_embedding_match() -> None:
    """A pair the primary embedder finds plausible but the support embedder rejects."""
    rng = np.random.default_rng(6)
    shared = _unit(rng, 6, dim=64)
    vectors = np.vstack([shared, _noisy(shared, rng, 0.05)])
    article_of = np.array([0] * 6 + [1] * 6)
    support_agree = np.vstack([shared, shared])
    support_disagree = _unit(rng, 12, dim=64)
    with_agree = align(vectors, article_of, support=support_agree)
    with_disagree = align(vectors, article_of, support=support_disagree)
    assert len(with_agree) == 6
    assert len(with_disagree) < len(with_agree)


@pytest.mark.parametrize("n_articles", [2, 5, 20])
def test_many_articles_groups_span_articles(n_articles: int) -> None:
    rng = np.random.default_rng(7)
    facts = _unit(rng, 5, dim=128)
    blocks = [np.vstack([_noisy(facts, rng, 0.05), _unit(rng, 3, dim=128)]) for _ in range(n_articles)]
    vectors = np.vstack(blocks)
    article_of = np.repeat(np.arange(n_articles), 8)
    groups = align(vectors, article_of)
    assert len(groups) == 5
    for g in groups:
        assert len(set(article_of[g.members])) == n_articles


def test_shipped_scorer_gives_each_group_a_probability() -> None:
    rng = np.random.default_rng(8)
    shared = _unit(rng, 6, dim=64)
    vectors = np.vstack([shared, _noisy(shared, rng, 0.05)])
    article_of = np.array([0] * 6 + [1] * 6)
    groups = align(vectors, article_of)
    assert groups and all(0.5 <= g.probability <= 1.0 for g in groups)


def test_strictness_raises_the_probability_bar_monotonically() -> None:
    from compare.pairmodel import default_scorer

    model = default_scorer(True).link
    bars = [model.threshold_at(s) for s in (0.0, 0.5, 1.0, 1.5, 3.0)]
    assert bars == sorted(bars) and len(set(bars)) == len(bars)
    assert abs(model.threshold_at(1.0) - model.threshold) < 1e-9


def test_scorer_round_trips_through_its_data_file_format() -> None:
    from compare.pairmodel import PairScorer, default_scorer

    scorer = default_scorer(False)
    again = PairScorer.from_dict(scorer.to_dict())
    x = np.random.default_rng(9).normal(size=(5, len(scorer.link.features)))
    assert np.allclose(scorer.link.probability(x), again.link.probability(x), atol=1e-5)
    assert again.floor == pytest.approx(scorer.floor, abs=1e-4)


def test_no_feature_reads_sentence_positions_across_articles() -> None:
    """Reversing one article's sentence order (keeping each sentence) leaves its links as they
    were: nothing but adjacency inside one article is used (here, no adjacent pairs share a fact)."""
    rng = np.random.default_rng(10)
    shared = _unit(rng, 8, dim=128)
    left = np.vstack([shared, _unit(rng, 4, dim=128)])
    right = np.vstack([_noisy(shared, rng, 0.1), _unit(rng, 4, dim=128)])
    article_of = np.array([0] * 12 + [1] * 12)
    forward = align(np.vstack([left, right]), article_of)
    backward = align(np.vstack([left, right[::-1]]), article_of)
    as_pairs = lambda gs, flip: {(g.members[0], (23 - g.members[1] + 12) if flip else g.members[1]) for g in gs}  # noqa: E731
    assert as_pairs(forward, False) == as_pairs(backward, True)


def test_extension_features_only_for_neighbours_of_links() -> None:
    from compare.align import AlignInputs, AlignSettings, Link, extension_features, pair_context

    rng = np.random.default_rng(11)
    vectors = _unit(rng, 8, dim=32)
    article_of = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    ctx = pair_context(AlignInputs(vectors, article_of), AlignSettings())
    ext = extension_features(ctx, [Link(1, 5, 1.0, 0.9)])
    pairs = set(zip(ext.a.tolist(), ext.b.tolist()))
    assert pairs == {(0, 5), (2, 5), (1, 4), (1, 6)}
    assert np.allclose(ext.values["anchor"], 0.9)
