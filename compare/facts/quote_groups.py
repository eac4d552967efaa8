"""Groups from quote links: one person's words reported by two sources are one fact.

The pair scorer judges sentences by their embeddings alone, and a translated quote can
fall short of its bar (the quote link's own test, mutual best match among the story's
quotes standing out against unrelated news, is narrower and surer). Then the Quotes
section links two sentences that the comparison lists as "only in" each source, which
contradicts itself. A same-speaker link between two sentences that are mostly that
quotation (`speaker_groups.quoted_speakers`) therefore joins them: into a new group when
neither is grouped, or into the group of one when that group has no sentence of the
other's article. Links between two grouped sentences never merge groups (that is the
scorer's call), and a link between two different speakers joins nothing: whether that
is a misattribution is for the discrepancy checks to say, on sentences the scorer aligned.
"""

from __future__ import annotations

import logging
from typing import Callable, Sequence

from compare.facts.quote_links import ArticleQuote, QuoteLink
from compare.facts.quotes import same_speaker
from compare.facts.speaker_groups import quoted_speakers, quotes_by_sentence, reading_order, rebuild_groups
from compare.model import Comparison, Group

logger = logging.getLogger(__name__)

PairScore = Callable[[str, str], float]  # alignment score of two sentence ids


def group_linked_quotes(
    comparison: Comparison, quotes: Sequence[ArticleQuote], links: Sequence[QuoteLink], pair_score: PairScore
) -> int:
    """Join same-speaker linked quote sentences the alignment left apart (see module
    docstring); returns the number of sentences joined. A new group's `score` is the
    pair's alignment score and its `probability` is None: the scorer did not link it."""
    by_id = {q.id: q for q in quotes}
    index = comparison.sentence_index()
    quotes_in = quotes_by_sentence(quotes)
    group_of: dict[str, Group] = {sid: g for g in comparison.groups for sid in g.sentences}
    position = reading_order(comparison, index)
    joined = 0
    for link in links:
        a, b = (by_id[qid] for qid in link.quotes)
        if link.speaker_conflict or not (a.sentence and b.sentence and a.quote.speaker and b.quote.speaker):
            continue
        if not same_speaker(a.quote.speaker, b.quote.speaker):
            continue
        x, y = index[a.sentence], index[b.sentence]
        if x.kind != "sentence" or y.kind != "sentence" or x.article == y.article:
            continue
        if not quoted_speakers(x, quotes_in.get(x.id, [])) or not quoted_speakers(y, quotes_in.get(y.id, [])):
            continue
        gx, gy = group_of.get(x.id), group_of.get(y.id)
        if gx is None and gy is None:
            group = Group(id="", sentences=sorted([x.id, y.id], key=position), articles=[], score=pair_score(x.id, y.id))
            comparison.groups.append(group)
            group_of[x.id] = group_of[y.id] = group
            joined += 2
        elif (gx is None) != (gy is None):
            loose, group = (x, gy) if gx is None else (y, gx)
            assert group is not None
            if any(index[sid].article == loose.article for sid in group.sentences):
                continue
            group.sentences = sorted([*group.sentences, loose.id], key=position)
            group_of[loose.id] = group
            joined += 1
        else:
            continue
        logger.info("quote link %s-%s: sentences %s and %s grouped by speaker", a.id, b.id, x.id, y.id)
    if joined:
        comparison.groups.sort(key=lambda g: position(g.sentences[0]))
        rebuild_groups(comparison)
    return joined
