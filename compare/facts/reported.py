"""Reported speech: sentences that say what a named person said, without quotation marks.

Quotes (`quotes`) only see words inside quotation marks, but news reports most statements
indirectly: "Laut Staatssekretär Lu wollten die USA …", "Er sagte, die Gespräche seien …",
"Das sei ein Signal …". Knowing whose statement a sentence carries lets alignment keep two
people's statements apart (`speaker_groups.split_by_speaker`). Precision comes first: a
wrong speaker is worse than none, so every rule needs an explicit cue and a speaker that
resolves to a person of the article's registry (`quotes.analyse_quotes`).

Rules, per sentence (first that finds a speaker wins; sentences that are mostly direct
quotations are left to `quotes`):

according     a speaker preposition or phrase: "laut X", "nach Angaben von X", "X zufolge",
              "…, so X" (German), "according to X", "in the words of X", "selon X";
verb          a speech or reporting verb next to its subject ("X sagte", "betonte X",
              "Er verdeutlichte", "X said", "X a déclaré") followed by the reported clause:
              a complementizer ("dass", "that", "que"), a German subjunctive (Konjunktiv I
              or II) after the verb, or the verb and its subject closing the sentence after
              a comma ("…, sagte Lu.", "…, Lu said.");
continuation  a German sentence in Konjunktiv I ("sei", "habe", "werde", …) with no cue and
              no other person of its own continues the reported speaker of the sentence
              right before it (headings and direct quotations break the chain).

Speakers: a name is the registry person it names ("Lu" -> "Donald Lu"); a pronoun is the
person mentioned most recently before it (gender respected); a role is the person last
linked to it by an apposition. A person known by one word only, with no role or gender,
is not trusted ("laut Reuters"). Word lists are lexicons (compare/data/<language>/:
reporting_verbs, reported_complementizers, reported_phrases, subjunctive_i,
subjunctive_ii, subjunctive_exceptions), next to the speech lexicons of `speakers`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from compare.facts.lexicon import lexicon, lexicon_dirs, lexicon_languages
from compare.facts.quotes import QuoteAnalysis, _Person, _Registry, analyse_quotes
from compare.facts.speakers import _FR_AUX, _Lex, _Mention, _Parser, _Tok, _TokenIndex
from compare.model import Comparison, ReportedSpeech
from compare.segment import segment

logger = logging.getLogger(__name__)

__all__ = ["Attribution", "ReportRule", "collect_reported", "extract_reported", "QUOTE_SHARE_MIN"]

ReportRule = Literal["according", "verb", "continuation"]

# A sentence whose direct quotations cover this share of it is a quotation, not reported speech.
QUOTE_SHARE_MIN = 0.5
# "…, sagte Lu gegenüber Reportern.": tokens allowed after a closing speech clause.
CLOSING_CLAUSE_MAX_TAIL = 6
# "Name, apposition, sagte …": the longest apposition (in tokens, name included) read.
APPOSITION_MAX_TOKENS = 14


@dataclass(frozen=True)
class Attribution:
    """One sentence's reported statement and its speaker; spans index the article text:
    `text[speaker_start:speaker_end]` is the mention ("Lu", "Er", "dem Beamten"; for a
    continuation the earlier sentence's), `text[cue_start:cue_end]` the cue ("laut",
    "sagte", "sei")."""

    sentence_start: int
    sentence_end: int
    speaker: str
    speaker_start: int
    speaker_end: int
    cue_start: int
    cue_end: int
    rule: ReportRule


@dataclass(frozen=True)
class _Cue:
    """A cue found in one sentence, before its mention is resolved."""

    mention: _Mention
    start: int
    end: int
    rule: ReportRule


class _Words:
    """The reported-speech lexicons of one article's language (all languages when unknown)."""

    def __init__(self, lex: _Lex) -> None:
        self.lex = lex
        self.verbs = self._set("reporting_verbs") | lex.verbs
        self.complementizers = self._set("reported_complementizers")
        self.subjunctive_i = self._set("subjunctive_i")
        self.subjunctive_ii = self._set("subjunctive_ii")
        self.exceptions = frozenset(tuple(e.split()) for e in self._set("subjunctive_exceptions"))
        self.phrases = tuple(sorted({tuple(p.split()) for p in self._set("reported_phrases")}, key=len, reverse=True))
        self.phrase_heads = frozenset(p[0] for p in self.phrases if p)
        # The tokens each cue scan can match at; the scans skip every other token.
        self.according_triggers = lex.according | self.phrase_heads | lex.postposed | ({"so"} if lex.de else set())
        self.verb_triggers = self.verbs | (_FR_AUX if lex.fr else frozenset())

    def _set(self, name: str) -> frozenset[str]:
        langs = lexicon_languages(name) if self.lex.lang == "any" else (self.lex.lang,)
        return frozenset(w.lower() for code in langs for w in lexicon(name, code))

    def subjunctive_at(self, toks: Sequence[_Tok], i: int, forms: frozenset[str]) -> bool:
        """Token `i` is one of `forms` and not part of a fixed phrase ("es sei denn")."""
        if toks[i].low not in forms:
            return False
        after = (toks[i].low, toks[i + 1].low) if i + 1 < len(toks) else None
        before = (toks[i - 1].low, toks[i].low) if i > 0 else None
        return after not in self.exceptions and before not in self.exceptions


@functools.lru_cache(maxsize=32)
def _words_for(lex: _Lex, dirs: tuple[Path, ...]) -> _Words:
    """One `_Words` per language and lexicon folders instead of one per article. Safe: the
    word sets are a pure function of the language and the lexicon files in `dirs` (the
    key; a folder added later is a new key). Bounded: 4 languages times the few folder
    settings a process sees."""
    return _Words(lex)


def extract_reported(
    text: str,
    language: str | None,
    sentences: Sequence[tuple[int, int, str]] | None = None,
    analysis: QuoteAnalysis | None = None,
) -> list[Attribution]:
    """Reported-speech attributions of `text`, one per attributed sentence, in order.

    `sentences` are (start, end, kind) spans (the engine passes its own so ids match);
    by default the text is segmented. `analysis` reuses an `analyse_quotes` result."""
    if not text.strip():
        return []
    analysis = analysis or analyse_quotes(text, language)
    lex = analysis.lex
    if sentences is None:
        sentences = [(s.start, s.end, s.kind) for s in segment(text, None if lex.lang == "any" else lex.lang)]
    words = _words_for(lex, tuple(lexicon_dirs()))
    # The analysis's tokens are of its own text; another text is tokenised afresh.
    tokens = analysis.tokens if analysis.tokens.text == text else _TokenIndex(text, analysis.spans, lex)
    direct = [(q.start, q.end) for q in analysis.quotes if q.kind == "direct"]  # once, not per sentence
    parsed = [_parse(text, s, e, kind, direct, words, tokens) for s, e, kind in sentences]
    _register_names(text, parsed, analysis)
    found = _resolve(sentences, parsed, analysis, words)
    logger.debug("reported speech: %d of %d sentences attributed (%s)", len(found), len(sentences), lex.lang)
    return found


# --------------------------------------------------------------------------- cues


@dataclass
class _Parsed:
    """One sentence's tokens and cue (None for headings and quotation sentences)."""

    parser: _Parser | None
    cue: _Cue | None


def _parse(
    text: str, start: int, end: int, kind: str, direct: Sequence[tuple[int, int]], words: _Words, tokens: _TokenIndex
) -> _Parsed:
    """The sentence's cue; `direct` are the (start, end) of the text's direct quotations."""
    if kind != "sentence" or _mostly_quoted(start, end, direct):
        return _Parsed(None, None)
    parser = tokens.parser(start, end)
    if not parser.toks:
        return _Parsed(None, None)
    return _Parsed(parser, _according_cue(parser, words) or _verb_cue(parser, words))


def _mostly_quoted(start: int, end: int, direct: Sequence[tuple[int, int]]) -> bool:
    """Direct quotations (`direct`: their spans, in the analysis's order) make up most of the
    sentence: it is a quotation, left to `quotes`."""
    covered = sum(max(0, min(q_end, end) - max(q_start, start)) for q_start, q_end in direct)
    return covered >= QUOTE_SHARE_MIN * (end - start)


def _according_cue(p: _Parser, words: _Words) -> _Cue | None:
    """"laut X", "according to X", "nach Angaben von X", "X zufolge", "…, so X"."""
    toks, lex, triggers = p.toks, p.lex, words.according_triggers
    for i, t in enumerate(toks):
        if t.low not in triggers:
            continue  # no cue below starts here
        if t.low in lex.according:
            m = p._after_according(i)
            if m is not None:
                last = toks[i + 1] if t.low in ("according", "d'") and i + 1 < len(toks) else t
                return _Cue(m, t.start, last.end if last.start < m.start else t.end, "according")
        phrase = _phrase_at(p, i, words)
        if phrase:
            m = p.np_forward(i + phrase) if p.contiguous(i + phrase - 1, i + phrase) else None
            if m is not None:
                return _Cue(m, t.start, toks[i + phrase - 1].end, "according")
        if t.low in lex.postposed and i > 0 and p.contiguous(i - 1, i):
            m = p.np_backward(i - 1)
            if m is not None:
                return _Cue(m, t.start, t.end, "according")
        if lex.de and t.low == "so" and i > 2 and _after_comma(p, i) and p.contiguous(i, i + 1):
            m = p.np_forward(i + 1)
            if m is not None:
                return _Cue(m, t.start, t.end, "according")
    return None


def _phrase_at(p: _Parser, i: int, words: _Words) -> int:
    """Length in tokens of a multi-word cue ("nach Angaben von") starting at `i`, else 0."""
    if p.toks[i].low not in words.phrase_heads:
        return 0
    for phrase in words.phrases:
        n = len(phrase)
        if i + n <= len(p.toks) and tuple(t.low for t in p.toks[i : i + n]) == phrase:
            if all(p.contiguous(k, k + 1) for k in range(i, i + n - 1)):
                return n
    return 0


def _after_comma(p: _Parser, i: int) -> bool:
    return i > 0 and "," in p.text[p.toks[i - 1].end : p.toks[i].start]


def _verb_at(p: _Parser, i: int, words: _Words) -> int:
    n = p.verb_at(i)
    return n or (1 if p.toks[i].low in words.verbs else 0)


def _verb_cue(p: _Parser, words: _Words) -> _Cue | None:
    """A speech or reporting verb with its subject, followed by the reported clause."""
    toks, triggers = p.toks, words.verb_triggers
    for i in range(len(toks)):
        if toks[i].low not in triggers:
            continue  # no verb here
        n = _verb_at(p, i, words)
        if not n:
            continue
        m = p.np_backward(i - 1) if i > 0 and p.contiguous(i - 1, i) else None
        if m is None and i + n < len(toks) and p.contiguous(i + n - 1, i + n):
            m = p.np_forward(i + n)
        if m is None:
            m = _fronted_subject(p, i)
        if m is None:
            continue
        after = max(i + n, m.end_idx)
        if _reported_clause(p, after, words) or _closing_clause(p, i, m):
            return _Cue(m, toks[i].start, toks[i + n - 1].end, "verb")
    return None


def _fronted_subject(p: _Parser, verb: int) -> _Mention | None:
    """"Donald Lu, der führende US-Diplomat für …, sagte, …": a name opening the sentence,
    set off by an apposition that ends in a comma right before the verb."""
    if verb < 3 or not _after_comma(p, verb) or verb > APPOSITION_MAX_TOKENS:
        return None
    end = p.name_run(0)
    if end < 2 or end >= verb or not _after_comma(p, end):
        return None
    if any(p.verb_at(k) for k in range(end, verb)):
        return None
    text, s, e = p.span(0, end)
    return _Mention("name", text, s, e, end)


def _reported_clause(p: _Parser, after: int, words: _Words) -> bool:
    """A complementizer or (German) a subjunctive after the verb and its subject."""
    for k in range(after, len(p.toks)):
        if p.toks[k].low in words.complementizers:
            return True
        if words.subjunctive_at(p.toks, k, words.subjunctive_i | words.subjunctive_ii):
            return True
    return False


def _closing_clause(p: _Parser, verb: int, m: _Mention) -> bool:
    """"…, sagte Lu (gegenüber Reportern).", "…, Lu said.": the speech clause follows a
    comma after a clause of its own and closes the sentence."""
    first = min(verb, next(k for k, t in enumerate(p.toks) if t.start == m.start))
    last = max(verb, m.end_idx - 1)
    return first >= 3 and _after_comma(p, first) and len(p.toks) - 1 - last <= CLOSING_CLAUSE_MAX_TAIL


# --------------------------------------------------------------------------- speakers


def _register_names(text: str, parsed: Sequence[_Parsed], analysis: QuoteAnalysis) -> None:
    """Names found as reported speakers join the registry (so later pronouns find them)."""
    reg = analysis.registry
    added = False
    for item in parsed:
        m = item.cue.mention if item.cue else None
        if m is not None and m.kind == "name" and reg.find(m.text) is None:
            reg.add(m.text, m.gender)
            added = True
    if added:
        reg.index_mentions(text, analysis.spans)


def _person_of(m: _Mention, reg: _Registry) -> _Person | None:
    """The person a mention stands for, when the registry knows them well enough."""
    if m.kind == "name":
        person = reg.find(m.text)
    elif m.kind == "pronoun":
        person = reg.last_person_before(m.start, m.gender)
    else:
        person = reg.role_holder(m.role, m.start) if m.role is not None else None
    return person if person is not None and _trusted(person, reg) else None


def _trusted(person: _Person, reg: _Registry) -> bool:
    """A full name, a role or a gender marks a person; one bare word may be an outlet or a place."""
    return len(person.full.split()) >= 2 or person.gender is not None or any(r.person is person for r in reg.roles)


def _resolve(
    sentences: Sequence[tuple[int, int, str]],
    parsed: Sequence[_Parsed],
    analysis: QuoteAnalysis,
    words: _Words,
) -> list[Attribution]:
    """Resolve each cue; a cue-less Konjunktiv I sentence continues the one before."""
    reg = analysis.registry
    out: list[Attribution] = []
    previous: tuple[Attribution, _Person] | None = None
    for (start, end, _kind), item in zip(sentences, parsed):
        current: tuple[Attribution, _Person] | None = None
        if item.cue is not None:
            person = _person_of(item.cue.mention, reg)
            if person is not None:
                c, m = item.cue, item.cue.mention
                current = (Attribution(start, end, person.full, m.start, m.end, c.start, c.end, c.rule), person)
        elif item.parser is not None and previous is not None:
            current = _continuation(item.parser, start, end, previous, reg, words)
        if current is not None:
            out.append(current[0])
        previous = current
    return out


def _continuation(
    p: _Parser, start: int, end: int, previous: tuple[Attribution, _Person], reg: _Registry, words: _Words
) -> tuple[Attribution, _Person] | None:
    """A Konjunktiv I sentence with no other person in it carries on the previous speaker."""
    if not p.lex.de:
        return None
    before, person = previous
    cue = next((t for k, t in enumerate(p.toks) if words.subjunctive_at(p.toks, k, words.subjunctive_i)), None)
    if cue is None:
        return None
    if any(start <= s < end and other is not person for s, _e, other in reg.mentions):
        return None
    first = p.toks[0]
    if first.low in p.lex.pronouns:
        pronoun = reg.last_person_before(first.start, p.lex.pronouns[first.low])
        if pronoun is not person:
            return None
    attribution = Attribution(
        start, end, person.full, before.speaker_start, before.speaker_end, cue.start, cue.end, "continuation"
    )
    return attribution, person


# --------------------------------------------------------------------------- comparison


def collect_reported(comparison: Comparison, analyses: Sequence[QuoteAnalysis] | None = None) -> list[ReportedSpeech]:
    """Every article's reported-speech attributions on its own sentences, numbered R1, R2, ...

    `analyses` (one `analyse_quotes` result per article, in order) are the ones the quotes
    came from: their registries resolve the speakers here too (names found as reported
    speakers are added to them, after the quotes were read)."""
    found: list[ReportedSpeech] = []
    for n, result in enumerate(comparison.articles):
        article, text = result.article, result.article.text
        spans = [(s.start, s.end, s.kind) for s in result.sentences]
        sentence_at = {s.start: s.id for s in result.sentences}
        analysis = analyses[n] if analyses is not None else None
        for a in extract_reported(text, article.language, spans, analysis):
            found.append(
                ReportedSpeech(
                    id=f"R{len(found) + 1}",
                    article=article.id,
                    sentence=sentence_at[a.sentence_start],
                    speaker=a.speaker,
                    speaker_span=(a.speaker_start, a.speaker_end),
                    speaker_text=text[a.speaker_start : a.speaker_end],
                    cue_span=(a.cue_start, a.cue_end),
                    cue=text[a.cue_start : a.cue_end],
                    rule=a.rule,
                )
            )
    return found
