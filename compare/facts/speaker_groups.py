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

The converse holds too (`split_by_speaker`): two sentences whose statements are given to
two different people - mostly direct quotations, or reported speech (`reported`: "Laut
Lu sei …", "Er sagte, …") - and whose words neither the quote links nor a shared wording
join, are two statements, not one fact reported twice, however alike they open ("Wir
haben eine starke Beziehung ..." by a president, "Wir haben wirtschaftlich etwas zu
bieten ..." by a diplomat; a diplomat's reported account of sanction exemptions and an
expert's quoted view). Linked or identical words given to two people stay together: that
is an attribution conflict, which the discrepancy checks must see.

Both run after alignment and before the discrepancy checks, so group status and
discrepancies see the repaired groups.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Callable, Sequence

from rapidfuzz import fuzz

from compare.facts.quote_links import ALTERED_MIN_RATIO, ArticleQuote, QuoteLink, words
from compare.facts.quotes import same_speaker
from compare.model import Comparison, Group, ReportedSpeech, Sentence

logger = logging.getLogger(__name__)


def reading_order(comparison: Comparison, index: dict[str, Sentence]) -> Callable[[str], tuple[int, int]]:
    """Sort key of sentence ids in the order groups list them: article (input order), then position."""
    order = {r.article.id: n for n, r in enumerate(comparison.articles)}
    return lambda sid: (order[index[sid].article], index[sid].index)


def quotes_by_sentence(quotes: Sequence[ArticleQuote]) -> dict[str, list[ArticleQuote]]:
    """Each sentence id's quotes (the index every speaker step of a comparison reads)."""
    quotes_in: dict[str, list[ArticleQuote]] = {}
    for q in quotes:
        if q.sentence:
            quotes_in.setdefault(q.sentence, []).append(q)
    return quotes_in


def _speaker_of_others(sentence: str, speaker: str, quotes_in: dict[str, list[ArticleQuote]]) -> bool:
    """The sentence quotes someone known who is not `speaker`, and never `speaker`."""
    known = [q.quote.speaker for q in quotes_in.get(sentence, []) if q.quote.speaker]
    return bool(known) and not any(same_speaker(s, speaker) for s in known)


def regroup_by_speaker(comparison: Comparison, quotes: Sequence[ArticleQuote], links: Sequence[QuoteLink]) -> int:
    """Move linked same-speaker quote sentences together (see module docstring); returns
    the number of sentences moved. Groups are renumbered G1, G2, ... when one dissolves,
    and `comparison.unique` is brought up to date."""
    by_id = {q.id: q for q in quotes}
    quotes_in = quotes_by_sentence(quotes)
    index = comparison.sentence_index()
    position = reading_order(comparison, index)
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
                group.sentences.sort(key=position)
                group_of[target.id] = group
            moved += len(wrong)
            logger.info("group %s: quote sentences %s by another speaker replaced by %s", group.id, wrong, target.id)
    if moved:
        rebuild_groups(comparison)
    return moved


# A sentence counts as "a quotation by someone" when its attributed direct quotes cover at
# least this share of its characters: a sentence that reports a fact and adds a short
# quote still reports the fact, and may share it with another speaker's sentence.
QUOTE_SHARE_MIN = 0.5


def quoted_speakers(sentence: Sentence, quotes: Sequence[ArticleQuote]) -> list[ArticleQuote]:
    """The sentence's attributed direct quotes, when they make up most of it (else none)."""
    own = [q for q in quotes if q.quote.kind == "direct" and q.quote.speaker]
    covered = sum(min(q.quote.end, sentence.end) - max(q.quote.start, sentence.start) for q in own)
    return own if own and covered >= QUOTE_SHARE_MIN * (sentence.end - sentence.start) else []


def _statement_speakers(
    sentence: Sentence, quotes: Sequence[ArticleQuote], reported: Sequence[ReportedSpeech]
) -> list[str]:
    """Whose statement the sentence carries: the speakers of its direct quotes when they make
    up most of it, and the speaker its reported speech is attributed to."""
    return [q.quote.speaker or "" for q in quoted_speakers(sentence, quotes)] + [r.speaker for r in reported]


@lru_cache(maxsize=4096)
def _wording(text: str) -> str:
    """A sentence's words, normalised for comparison (memoised: a pure function of the
    text, and rewrites of one story repeat their sentences; bounded)."""
    return " ".join(words(text))


def _same_words(a: Sentence, b: Sentence) -> bool:
    """Two sentences worded (nearly) alike: one statement, whoever it is given to."""
    wa, wb = _wording(a.text), _wording(b.text)
    return bool(wa) and fuzz.ratio(wa, wb) >= ALTERED_MIN_RATIO


def split_by_speaker(
    comparison: Comparison,
    quotes: Sequence[ArticleQuote],
    links: Sequence[QuoteLink],
    reported: Sequence[ReportedSpeech] = (),
) -> int:
    """Take apart group members that are statements by different people (direct quotes
    making up most of a sentence, or reported speech) with unlinked words (see module
    docstring); returns the number of sentences removed.

    Of two such members the one whose article has fewer sentences in the group leaves
    (on a tie both do), so a fact split over two sentences of one article keeps them."""
    quotes_in = quotes_by_sentence(quotes)
    reported_in: dict[str, list[ReportedSpeech]] = {}
    for r in reported:
        reported_in.setdefault(r.sentence, []).append(r)
    linked = {frozenset(link.quotes) for link in links}
    index = comparison.sentence_index()
    meet: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}  # see _speakers_meet
    removed = 0
    for group in comparison.groups:
        speaking = {
            sid: _statement_speakers(index[sid], quotes_in.get(sid, []), reported_in.get(sid, []))
            for sid in group.sentences
        }
        per_article: dict[str, int] = {}
        for sid in group.sentences:
            per_article[index[sid].article] = per_article.get(index[sid].article, 0) + 1
        leaving: set[str] = set()
        stating = [sid for sid in group.sentences if speaking[sid]]  # only these can differ
        for n, x in enumerate(stating):
            nx = per_article[index[x].article]
            for y in stating[n + 1 :]:
                ny = per_article[index[y].article]
                # the fewer-sentences side leaves (x when nx <= ny, y when ny <= nx); when that is
                # leaving already, the pair cannot change `leaving`: its pure test is skipped
                if (nx > ny or x in leaving) and (ny > nx or y in leaving):
                    continue
                if _other_speakers(index[x], index[y], speaking, quotes_in, linked, meet):
                    leaving.update((x,) if nx < ny else (y,) if ny < nx else (x, y))
        if leaving:
            group.sentences = [sid for sid in group.sentences if sid not in leaving]
            removed += len(leaving)
            logger.info("group %s: %s are statements of other speakers with other words; taken out", group.id, sorted(leaving))
    if removed:
        rebuild_groups(comparison)
    return removed


def _other_speakers(
    x: Sentence,
    y: Sentence,
    speaking: dict[str, list[str]],
    quotes_in: dict[str, list[ArticleQuote]],
    linked: set[frozenset[str]],
    meet: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] | None = None,
) -> bool:
    """x and y (other articles) carry statements of different people that no quote link
    and no shared wording join: an attribution conflict stays grouped for the checks."""
    sx, sy = speaking[x.id], speaking[y.id]
    if x.article == y.article or not sx or not sy:
        return False
    if _speakers_meet(sx, sy, {} if meet is None else meet):
        return False
    qx, qy = quotes_in.get(x.id, []), quotes_in.get(y.id, [])
    if any(frozenset((a.id, b.id)) in linked for a in qx for b in qy):
        return False
    return not _same_words(x, y)


def _speakers_meet(
    sx: Sequence[str], sy: Sequence[str], memo: dict[tuple[tuple[str, ...], tuple[str, ...]], bool]
) -> bool:
    """Whether a speaker of one list is the same person as one of the other. `memo` is the
    caller's per-call dict: a pure function of the two lists, and the rewrites of a story
    give the same speakers over and over (bounded by the call's distinct list pairs)."""
    key = (tuple(sx), tuple(sy))
    if key not in memo:
        memo[key] = any(same_speaker(a, b) for a in sx for b in sy)
    return memo[key]


def rebuild_groups(comparison: Comparison) -> None:
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
