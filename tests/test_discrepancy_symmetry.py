"""The shortcuts find_discrepancies takes on pairs of versions, checked on real sentences.

`_PairChecks.silent` asks `_quiet` once per unordered pair of versions and `_quiet` takes two
equal versions as quiet without running the cores; `_word_overlap` caches on the ordered pair
of texts. Each is exact only if the underlying relation is symmetric (or trivially empty), so
here every core of `_CORES` is run both ways on many pairs of real sentences: near-duplicate
rewrites (bench clusters: changed figures and weekdays), the seeds, the test stories, the
held-out stories and two Text+Berg documents per language, within and across languages,
with and without publication dates, one and two sentences per side.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from compare.facts import discrepancies as D
from compare.segment import segment
from corpus import real_texts

REFS = (None, "2024-03-05")


def _sentences(text: str, language: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text, language) if s.kind == "sentence"]


def _pool() -> dict[str, list[str]]:
    """Distinct sentence texts per language, in a fixed order."""
    texts = real_texts(textberg_limit=2)
    pool: dict[str, dict[str, None]] = {}
    for text, lang in texts:
        for s in _sentences(text, lang):
            pool.setdefault(lang, {})[s] = None
    return {lang: list(sents) for lang, sents in pool.items()}


@pytest.fixture(scope="module")
def pool() -> dict[str, list[str]]:
    return _pool()


def _close_pairs(sents: list[str], limit: int) -> list[tuple[str, str]]:
    """Pairs of sentences that share words (near-duplicates first), up to `limit`: those are
    the pairs that get past the word-overlap gates and exercise every core."""
    scored = [
        (fuzz.token_set_ratio(a, b, processor=default_process), a, b) for a, b in combinations(sents, 2)
    ]
    scored.sort(key=lambda t: -t[0])
    return [(a, b) for _, a, b in scored[:limit]]


def _versions(pool: dict[str, list[str]]) -> list[tuple[D._Texts, str, D._Texts, str]]:
    """(texts a, language a, texts b, language b): sentence pairs within a language, the
    same with a neighbour sentence on each side, and sentence pairs across languages."""
    out: list[tuple[D._Texts, str, D._Texts, str]] = []
    for lang, sents in pool.items():
        pairs = _close_pairs(sents[:400], 1500)
        out += [((a,), lang, (b,), lang) for a, b in pairs]
        nxt = {s: sents[(k + 1) % len(sents)] for k, s in enumerate(sents)}
        out += [((a, nxt[a]), lang, (b, nxt[b]), lang) for a, b in pairs[:300]]
    langs = sorted(pool)
    for la, lb in combinations(langs, 2):
        out += [((a,), la, (b,), lb) for a in pool[la][:40] for b in pool[lb][:40]]
    return out


def test_word_overlap_is_symmetric(pool: dict[str, list[str]]) -> None:
    for sents in pool.values():
        for a, b in combinations(sents[:120], 2):
            ab = fuzz.token_set_ratio(a, b, processor=default_process)
            assert ab == fuzz.token_set_ratio(b, a, processor=default_process), (a, b)
            assert D._word_overlap(a, b) == D._word_overlap(b, a) == float(ab)


def test_cores_find_something_both_ways_or_neither(pool: dict[str, list[str]]) -> None:
    """Per core, findings for (a, b) exist exactly when they exist for (b, a); so `_quiet` is
    symmetric and `_PairChecks` may ask it once per unordered pair."""
    versions = _versions(pool)
    kinds: set[str] = set()
    for ta, la, tb, lb in versions:
        for ref_a, ref_b in ((None, None), (REFS[1], REFS[1]), (REFS[1], None)):
            for strong in (False, True):
                for kind, found in D._CORES:
                    ab = found(ta, la, ref_a, tb, lb, ref_b, strong)
                    assert ab == found(tb, lb, ref_b, ta, la, ref_a, strong), (kind, ta, tb, ref_a, ref_b, strong)
                    if ab:
                        kinds.add(kind)
    assert kinds == {kind for kind, _ in D._CORES}, "the pairs must exercise every core"


def test_equal_versions_find_nothing(pool: dict[str, list[str]]) -> None:
    """No core finds anything between a version and itself: `_quiet`'s shortcut is exact."""
    for lang, sents in pool.items():
        sides = [(s,) for s in sents] + [tuple(sents[k : k + 2]) for k in range(0, len(sents) - 1, 3)]
        for texts in sides:
            for ref in REFS:
                for strong in (False, True):
                    assert not any(
                        found(texts, lang, ref, texts, lang, ref, strong) for _, found in D._CORES
                    ), (texts, ref, strong)


def test_live_pairs_of_a_reversed_pair_are_its_transpose(pool: dict[str, list[str]]) -> None:
    """`_PairChecks.live_pairs` derives (b, a) from (a, b); computed on its own it is the same."""
    from compare.model import Sentence

    def sentences(article: str, texts: tuple[str, ...]) -> list[Sentence]:
        return [Sentence(f"{article}{k}", article, k, 0, len(t), t) for k, t in enumerate(texts)]

    sents = pool["de"]
    pairs = _close_pairs(sents[:200], 400)
    nxt = {s: sents[(k + 1) % len(sents)] for k, s in enumerate(sents)}
    live = 0
    for x, y in pairs:
        a, b = sentences("a", (x, nxt[x], nxt[nxt[x]])), sentences("b", (y, nxt[y]))
        both = D._PairChecks({"a": "2024-03-05", "b": None})
        side_a, side_b = both.side("a", a, "de"), both.side("b", b, "de")
        forward = both.live_pairs(side_a, side_b)
        derived = both.live_pairs(side_b, side_a)
        alone = D._PairChecks({"a": "2024-03-05", "b": None})
        direct = alone.live_pairs(alone.side("b", b, "de"), alone.side("a", a, "de"))
        assert derived == direct, (x, y)
        live += bool(forward)
    assert live, "some pairs must have live cells"
