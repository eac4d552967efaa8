"""Speaker-aware repair of aligned groups: near-twin quotes go with their own speaker.

One article can give almost the same words to two people (a president and his guest
both say the relationship "is strong and will only get stronger"). Under every
embedder the quote of one speaker then sits closer to the other speaker's translation
(shared/MODELS.md), so alignment can group the wrong quote sentences together. Only
the speaker can decide, and the quote links already do so (`quote_links`): where a
group holds a quote sentence of one article together with the linked quote of the
same speaker in another article, but the first article's member carries a different
speaker's quote instead, that member leaves the group and the linked sentence takes
its place (when no other group holds it). Groups left with one article dissolve.

This runs after alignment and before the discrepancy checks, so group status and
discrepancies see the repaired groups.
"""

from __future__ import annotations

import logging
from typing import Sequence

from compare.facts.quote_links import ArticleQuote, QuoteLink
from compare.facts.quotes import same_speaker
from compare.model import Comparison, Group

logger = logging.getLogger(__name__)


def _speaker_of_others(sentence: str, speaker: str, quotes_in: dict[str, list[ArticleQuote]]) -> bool:
    """The sentence quotes someone known who is not `speaker`, and never `speaker`."""
    known = [q.quote.speaker for q in quotes_in.get(sentence, []) if q.quote.speaker]
    return bool(known) and not any(same_speaker(s, speaker) for s in known)


def regroup_by_speaker(comparison: Comparison, quotes: Sequence[ArticleQuote], links: Sequence[QuoteLink]) -> int:
    """Move linked same-speaker quote sentences together (see module docstring); returns
    the number of sentences moved. Groups are renumbered G1, G2, ... when one dissolves,
    and `comparison.unique` is brought up to date."""
    by_id = {q.id: q for q in quotes}
    quotes_in: dict[str, list[ArticleQuote]] = {}
    for q in quotes:
        if q.sentence:
            quotes_in.setdefault(q.sentence, []).append(q)
    index = comparison.sentence_index()
    order = {r.article.id: n for n, r in enumerate(comparison.articles)}
    group_of: dict[str, Group] = {sid: g for g in comparison.groups for sid in g.sentences}
    moved = 0
    for link in links:
        a, b = (by_id[qid] for qid in link.quotes)
        if link.speaker_conflict or not (a.sentence and b.sentence and a.quote.speaker and b.quote.speaker):
            continue
        for x, y in ((a, b), (b, a)):
            group = group_of.get(y.sentence or "")
            if group is None or x.sentence in group.sentences:
                continue
            wrong = [
                sid
                for sid in group.sentences
                if index[sid].article == x.article and _speaker_of_others(sid, y.quote.speaker or "", quotes_in)
            ]
            if not wrong:
                continue
            group.sentences = [sid for sid in group.sentences if sid not in wrong]
            for sid in wrong:
                group_of.pop(sid, None)
            target = index[x.sentence or ""]
            if target.id not in group_of and target.kind == "sentence":
                group.sentences.append(target.id)
                group.sentences.sort(key=lambda sid: (order[index[sid].article], index[sid].index))
                group_of[target.id] = group
            moved += len(wrong)
            logger.info("group %s: quote sentences %s by another speaker replaced by %s", group.id, wrong, target.id)
    if moved:
        _rebuild(comparison)
    return moved


def _rebuild(comparison: Comparison) -> None:
    """Drop single-article groups, renumber, and recompute articles and unique sentences."""
    index = comparison.sentence_index()
    kept: list[Group] = []
    for group in comparison.groups:
        group.articles = list(dict.fromkeys(index[sid].article for sid in group.sentences))
        if len(group.articles) >= 2:
            group.id = f"G{len(kept) + 1}"
            kept.append(group)
    comparison.groups = kept
    grouped = {sid for g in kept for sid in g.sentences}
    comparison.unique = {
        r.article.id: [s.id for s in r.sentences if s.kind == "sentence" and s.id not in grouped]
        for r in comparison.articles
    }
