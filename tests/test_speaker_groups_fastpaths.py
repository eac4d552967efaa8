"""`split_by_speaker` skips a pair whose leaving side is leaving already; the result is the
plain loop's (every pair tested), on real articles grouped by sentence position.

Each group holds the k-th sentence of every article of the bench cluster (two seeds and
their variants), so groups are large and full of quotations and reported speech by
different people: the case the skip is for.
"""

from __future__ import annotations

import copy

import pytest

from bench.clusters import cluster
from compare.engine import segment_article
from compare.facts import speaker_groups
from compare.facts.quote_links import collect_quotes, link_quotes
from compare.facts.reported import collect_reported
from compare.labels import article_label
from compare.model import ArticleResult, Comparison, Group


def _plain_split(comparison, quotes, links, reported) -> int:  # type: ignore[no-untyped-def]
    """split_by_speaker before the skip: `_other_speakers` on every pair of stating members."""
    sg = speaker_groups
    quotes_in = sg.quotes_by_sentence(quotes)
    reported_in: dict = {}
    for r in reported:
        reported_in.setdefault(r.sentence, []).append(r)
    linked = {frozenset(link.quotes) for link in links}
    index = comparison.sentence_index()
    removed = 0
    for group in comparison.groups:
        speaking = {sid: sg._statement_speakers(index[sid], quotes_in.get(sid, []), reported_in.get(sid, []))
                    for sid in group.sentences}
        per_article: dict[str, int] = {}
        for sid in group.sentences:
            per_article[index[sid].article] = per_article.get(index[sid].article, 0) + 1
        leaving: set[str] = set()
        stating = [sid for sid in group.sentences if speaking[sid]]
        for n, x in enumerate(stating):
            for y in stating[n + 1 :]:
                if not sg._other_speakers(index[x], index[y], speaking, quotes_in, linked):
                    continue
                nx, ny = per_article[index[x].article], per_article[index[y].article]
                leaving.update([x] if nx < ny else [y] if ny < nx else [x, y])
        if leaving:
            group.sentences = [sid for sid in group.sentences if sid not in leaving]
            removed += len(leaving)
    if removed:
        sg.rebuild_groups(comparison)
    return removed


def _by_position(size: int, width: int) -> Comparison:
    """Groups of the k-th sentences of all articles; with `width` 2, also the k+1-th of every
    third article (so some articles have two members and the fewer-sentences rule decides)."""
    arts = cluster(size)
    results = [ArticleResult(a, article_label(i), segment_article(a, article_label(i))) for i, a in enumerate(arts)]
    depth = max(len(r.sentences) for r in results)
    groups = []
    for k in range(depth):
        members = [r.sentences[k].id for r in results if k < len(r.sentences)]
        if width == 2:
            members += [r.sentences[k + 1].id for n, r in enumerate(results) if n % 3 == 0 and k + 1 < len(r.sentences)]
        groups.append(Group(f"G{k + 1}", members, [r.article.id for r in results], 1.0))
    return Comparison(results, groups, {r.article.id: [] for r in results})


@pytest.mark.parametrize(("size", "width"), [(12, 1), (12, 2), (30, 2)])
def test_split_by_speaker_matches_plain_loop(size: int, width: int) -> None:
    comparison = _by_position(size, width)
    quotes = collect_quotes(comparison)
    links = link_quotes(quotes)
    reported = collect_reported(comparison)
    plain = copy.deepcopy(comparison)
    removed = speaker_groups.split_by_speaker(comparison, quotes, links, reported)
    assert removed == _plain_split(plain, quotes, links, reported)
    assert removed > 0  # the skip had pairs to skip
    assert [(g.id, g.sentences, g.articles) for g in comparison.groups] == [
        (g.id, g.sentences, g.articles) for g in plain.groups]
    assert comparison.unique == plain.unique
