"""Quotations in news articles (German, English, French): where they are, what kind, who said them.

Outlets covering one event often quote the same people; comparing who is quoted
(and with which words) is a cheap, language-independent signal of agreement and
slant.  `extract_quotes(text, language)` returns `Quote` spans in text order.

Split by job: `quote_marks` finds the quotation spans, `speakers` the speaker mention
next to each (lexicons from compare/data/<language>/, names and roles from `names`);
this module resolves mentions to persons (registry of names and role appositions),
classifies and returns the quotes.

Quotation marks
    „…“ „…” “…” "…" »…« «…» (French « … » with inner spaces), ‚…‘ ‘…’ '…' ‹…›.
    Single marks count only when they are clearly quotation marks: the opener
    follows a space/bracket/dash and precedes a letter, the closer follows a
    non-space and is not followed by a letter or digit (so "don't", "Tokayev's",
    "l'économie" never open or close a quote).  Only top-level quotations are
    returned; a quotation inside a quotation is part of the outer one.  A double
    quotation runs to its closer within the paragraph; an English-style opener
    at the start of a paragraph without a closer continues into the next
    paragraph when that one starts with a quotation mark (the repeated mark is
    left out of `text`).

Kinds (one rule, applied in this order)
    name     an embedded quotation of 1-4 capitalised words that look like a
             proper name: in English/French any capitalised word inside a
             sentence; in German (where every noun is capitalised) a word that is
             rare in German (wordfreq zipf < 2) or more common in English/French
             than in German („Transneft“, „Chevron“ - not „Herzstück“).  A quotation
             at the start of a sentence is a name only when it has no attribution
             and its words are rare.  Names never get a speaker.
    direct   the quotation opens its sentence (after a ":" or a speech verb
             such as "Lu sagte:"/"He said" counts as the start) - a full statement,
             attributed or not.
    partial  a quotation embedded in a sentence with a speaker found, or of
             more than three words („zuverlässiger Partner“ by Lu).
    scare    an embedded quotation of at most three words with no speaker: the
             writer's distancing quotes (‘Rückstau’ in a heading).

Attribution (first rule that finds a speaker wins)
    1. right after the quotation: „…“, so Tokajew / , sagte sie / , so der
       US-Außenminister / "…," Tokayev told / said Lu / according to X /
       « … », a-t-il dit / selon X / déclare X;
    2. right before it: "X sagte: „…“", "X said: "…"", "He said "…"";
    3. later in the sentence: "…, wie der US-Staatssekretär …, Donald Lu, … betonte",
       or any speech-verb clause after the quotation;
    4. earlier in the sentence: "Murtazaschwili sagte, … als „Rückstau“ …";
    5. a direct quotation that follows right after an attributed direct quotation
       (same paragraph, or the next paragraph opening with the quote) continues it;
    6. a speech-verb clause in the previous sentence of the same paragraph when that
       sentence holds no quotation itself - reported speech carried on
       ("Auf dem Treffen betonte Tleuberdi, dass … der „grundlegenden Prioritäten.“").

Resolution
    A name becomes the longest form the article gives for that person
    ("Lu" -> "Donald Lu"; persons are merged by `same_speaker`).  A pronoun
    (er/sie, he/she, il/elle) becomes the person mentioned most recently before it
    outside quotations, skipping persons of the other gender when the article
    marks it ("Expertin", ", die …").  A role ("der US-Außenminister", "the
    president") becomes the person most recently linked to that role by an
    apposition ("Außenminister Antony Blinken", "Kasachstans Präsident Tokajew",
    "Donald Lu, der führende US-Diplomat", "der US-Staatssekretär …, Donald Lu,");
    a country qualifier (US-, amerikanische, Kazakhstan's) is preferred when it
    matches.  Synonymous roles share a class (Präsident = Staatschef = president,
    Außenminister = Außenamtschef = Secretary of State); a generic role ("the minister",
    "der Beamte", "der Diplomat") also matches the more specific ones.  Anything unresolved is
    None - never a guess.  Persons are known only from speech attributions and
    role appositions, so a pronoun whose antecedent was merely the subject of some
    other verb ("Lu reiste ab. „…“, sagte er.") stays None.  `speaker_start`/
    `speaker_end` point at the mention that named the speaker; a quotation that
    inherits its speaker (rule 5) points at the previous quotation's mention.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from compare.facts.names import ROLE_FAMILIES, person_key, same_person
from compare.facts.quote_marks import _SPACES, _Span, _paragraph_end, _scan_quotes
from compare.facts.speakers import (
    _CAP_STOP,
    _DET_GENDER,
    _Lex,
    _Mention,
    _NAME_WORD,
    _Parser,
    _Role,
    _Tok,
    _TokenIndex,
    _inside,
    _resolve_language,
    lex_for,
    _role_at,
    _zipf,
)
from compare.segment import segment

logger = logging.getLogger(__name__)

__all__ = ["Quote", "QuoteAnalysis", "QuoteKind", "analyse_quotes", "extract_quotes", "speaker_key", "same_speaker"]

QuoteKind = Literal["direct", "partial", "scare", "name"]


@dataclass(frozen=True)
class Quote:
    """One quotation: `text[start:end]` includes the marks, `text` does not."""

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    kind: QuoteKind


# --------------------------------------------------------------------------- persons


@dataclass
class _Person:
    names: list[str]
    gender: str | None = None
    # (names it was worked out from, full): the registry asks for `full` of every person at
    # every name it adds or looks up, while names change rarely.
    _full: tuple[tuple[str, ...], str] | None = field(default=None, repr=False, compare=False)

    @property
    def full(self) -> str:
        """The longest form the article uses (most words, then most characters); kept
        until the names change (the cache is keyed on all of them, in order)."""
        names = tuple(self.names)
        if self._full is None or self._full[0] != names:
            self._full = (names, max(names, key=lambda n: (len(n.split()), len(n))))
        return self._full[1]

    @property
    def key(self) -> str:
        return speaker_key(self.full)


@dataclass
class _RoleEntry:
    pos: int
    cls: str
    qualifiers: frozenset[str]
    person: _Person


@dataclass
class _Registry:
    """The persons of one article, where they are mentioned and which roles they hold."""

    persons: list[_Person] = field(default_factory=list)
    roles: list[_RoleEntry] = field(default_factory=list)
    mentions: list[tuple[int, int, _Person]] = field(default_factory=list)

    def add(self, name: str, gender: str | None = None) -> _Person:
        name = " ".join(name.split())
        for p in self.persons:
            if same_speaker(p.full, name):
                if name not in p.names:
                    p.names.append(name)
                p.gender = p.gender or gender
                return p
        person = _Person([name], gender)
        self.persons.append(person)
        return person

    def find(self, name: str) -> _Person | None:
        return next((p for p in self.persons if same_speaker(p.full, name)), None)

    def index_mentions(self, text: str, quotes: Sequence[_Span]) -> None:
        """Every occurrence of a known surname outside quotations (genitive "Blinkens" included)."""
        found: list[tuple[int, int, _Person]] = []
        for p in self.persons:
            surnames = {n.split()[-1] for n in p.names}
            for surname in surnames:
                for start in _surname_matches(text, surname):
                    if not _inside(quotes, start):
                        found.append((start, start + len(surname), p))
        self.mentions = sorted(found, key=lambda x: x[0])

    def last_person_before(self, pos: int, gender: str | None) -> _Person | None:
        """The person mentioned most recently before `pos`, skipping known opposite genders."""
        for start, _end, p in reversed(self.mentions):
            if start >= pos:
                continue
            if gender and p.gender and p.gender != gender:
                continue
            return p
        return None

    def role_holder(self, role: _Role, pos: int) -> _Person | None:
        """The person most recently linked to `role` before `pos`, preferring matching qualifiers."""
        family = ROLE_FAMILIES.get(role.cls, frozenset({role.cls}))
        cands = [r for r in self.roles if r.cls in family and r.pos < pos]
        if role.qualifiers:
            qualified = [r for r in cands if r.qualifiers & role.qualifiers]
            cands = qualified or cands
        return max(cands, key=lambda r: r.pos).person if cands else None


def _surname_matches(text: str, surname: str) -> Iterator[int]:
    """Starts of the whole-word matches of `surname` (genitive "s"/"'s" allowed), as
    `re.finditer` finds them, but faster: the pattern only matches where the surname occurs
    literally, so `str.find` jumps there and the pattern is tried at that spot; like
    finditer, the search resumes after a match (non-overlapping) and one character on
    after a miss."""
    pattern = re.compile(rf"(?<!\w){re.escape(surname)}(?:s|'s|’s)?(?!\w)")
    if not surname:  # an empty surname matches without a literal: leave it to finditer
        yield from (m.start() for m in pattern.finditer(text))
        return
    pos = text.find(surname)
    while pos >= 0:
        m = pattern.match(text, pos)
        if m is None:
            pos = text.find(surname, pos + 1)
            continue
        yield pos
        pos = text.find(surname, m.end())


def _collect_appositions(
    text: str,
    toks: Sequence[_Tok],
    lex: _Lex,
    reg: _Registry,
    parser: _Parser | None = None,
    starts: Sequence[int] | None = None,
) -> None:
    """Role -> person links: "Außenminister Antony Blinken", "Donald Lu, der … Diplomat", "ROLE …, Name,".
    `parser` is one over these tokens to reuse (its memos are pure: see `_Parser`), `starts`
    the tokens' starts when known."""
    parser = parser if parser is not None else _Parser(text, toks, lex)
    may_start = parser.role_starts()
    after_role = 0  # a role's own tokens are not read again
    for i in range(len(toks)):
        if i < after_role or not may_start[i]:
            continue  # no role can start here
        role = _role_at(toks, i, text)
        if role is None:
            continue
        start = i
        while start > 0 and i - start < 3 and parser.contiguous(start - 1, start) and parser.role_np(start - 1):
            start -= 1
        m = parser.role_np(start)
        if m is not None and m.kind == "name" and m.role is not None:
            person = reg.add(m.text, m.gender)
            reg.roles.append(_RoleEntry(toks[i].start, m.role.cls, m.role.qualifiers, person))
        elif m is not None and m.role is not None:
            _role_then_name(text, toks[i + role.n - 1].end, m.role, toks[i].start, reg, lex)
        after_role = i + role.n
    _name_then_role(text, toks, parser, reg, starts)


def _role_then_name(text: str, after: int, role: _Role, pos: int, reg: _Registry, lex: _Lex) -> None:
    """A name set off by commas after a role: "der US-Staatssekretär für …, Donald Lu, …",
    "Der letzte Außenminister, der 2020 zu Besuch war, Mike Pompeo, …"."""
    window = re.split(r"[.;:!?„“”\"«»]", text[after : after + 120], maxsplit=1)[0]
    for chunk in window.split(",")[1:-1]:
        words = chunk.split()
        if 2 <= len(words) <= 4 and all(re.fullmatch(_NAME_WORD, w) for w in words):
            if not any(w.lower() in _CAP_STOP for w in words):
                person = reg.add(chunk.strip())
                reg.roles.append(_RoleEntry(pos, role.cls, role.qualifiers, person))
            return


def _comma_gaps(text: str, toks: Sequence[_Tok], starts: Sequence[int] | None = None) -> list[int]:
    """Every `k` (in order) whose gap to token k + 1 is a comma and spaces only. Found from the
    commas of the text (a gap holding just a comma holds exactly one, and no token holds
    one) instead of slicing the gap after every token. `starts`: the tokens' starts, when
    known (the tokens are sorted, disjoint and hold no comma, so the last token ending
    before a comma is the last one starting before it)."""
    starts = [t.start for t in toks] if starts is None else starts
    out: list[int] = []
    for c in re.finditer(",", text):
        k = bisect.bisect_left(starts, c.start()) - 1  # the last token ending before the comma
        if k < 0 or k + 1 >= len(toks) or (out and out[-1] == k):
            continue
        if text[toks[k].end : toks[k + 1].start].strip() == ",":
            out.append(k)
    return out


def _name_then_role(
    text: str, toks: Sequence[_Tok], parser: _Parser, reg: _Registry, starts: Sequence[int] | None = None
) -> None:
    """"Donald Lu, der führende US-Diplomat", "Jennifer Brick Murtazaschwili, Expertin für …"."""
    for k in _comma_gaps(text, toks, starts):
        m = parser.role_np(k + 1)
        if m is None or m.kind != "role" or m.role is None:
            continue
        first = k
        while first > 0 and k - first < 3 and parser.contiguous(first - 1, first):
            first -= 1
        for s in range(first, k + 1):
            end = parser.name_run(s)
            opens = parser._clause_start(s) or parser.verb_at(s - 1) > 0
            if end == k + 1 and opens and (end - s >= 2 or reg.find(toks[s].text)):
                det = toks[k + 1].low
                gender = "f" if m.role.feminine else _DET_GENDER.get(det)
                person = reg.add(parser.span(s, end)[0], gender)
                reg.roles.append(_RoleEntry(toks[s].start, m.role.cls, m.role.qualifiers, person))
                break


# --------------------------------------------------------------------------- classification


@dataclass
class _Draft:
    """A quotation while its context and speaker are worked out."""

    span: _Span
    sent_start: int
    sent_end: int
    initial: bool
    kind: QuoteKind = "direct"
    mention: _Mention | None = None
    inherited: bool = False
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


_TERMINAL_RE = re.compile(r"(?<=[a-zäöüßà-ÿ\d\"'”“’»«)])[.!?…]+[\"'”“’»«)]*\s+")


def _sentence_bounds(segs: Sequence[tuple[int, int]], pos: int, text: str) -> tuple[int, int]:
    """The segment containing `pos`, or its line when the segmenter left it out."""
    starts = [s for s, _ in segs]
    k = bisect.bisect_right(starts, pos) - 1
    if k >= 0 and segs[k][0] <= pos < segs[k][1]:
        return segs[k]
    return text.rfind("\n", 0, pos) + 1, _paragraph_end(text, pos)


def _clause_prefix_start(text: str, sent_start: int, q_start: int, prev_end: int) -> int:
    """Start of the clause a quotation sits in: after the last sentence end or quotation before it."""
    start = max(sent_start, prev_end)
    for m in _TERMINAL_RE.finditer(text, start, q_start):
        start = m.end()
    return start


def _is_initial(prefix: str, lex: _Lex) -> bool:
    """The quotation opens its sentence: nothing, a dash, a colon or a speech verb before it."""
    p = prefix.strip(_SPACES + "\n–—―-•*")
    if not p or p.endswith(":"):
        return True
    words = re.findall(r"\w+", p.rstrip(","))
    return bool(words) and words[-1].lower() in lex.verbs


def _looks_like_name(words_text: str, lex: _Lex, embedded: bool) -> bool:
    """1-4 capitalised words that read as a proper name (see module docstring)."""
    if words_text[-1:] in ".!?…,;:":
        return False
    words = re.findall(r"[^\W_]+(?:[-'’.][^\W_]+)*", words_text)
    if not 1 <= len(words) <= 4 or not words[0][0].isupper():
        return False
    if not all(w[0].isupper() or w[0].isdigit() or (i > 0 and len(w) <= 3) for i, w in enumerate(words)):
        return False
    lang = lex.wordfreq_lang
    if embedded and lex.lang in ("en", "fr"):
        return True
    for w in words:
        low = w.lower()
        if not w[0].isupper():
            continue
        own = _zipf(low, lang)
        if own < 2.0:
            return True
        if lang == "de" and own + 0.3 < max(_zipf(low, "en"), _zipf(low, "fr")):
            return True
    return False


def _word_count(s: str) -> int:
    return len(re.findall(r"\w+", s))


# --------------------------------------------------------------------------- public API


@dataclass
class QuoteAnalysis:
    """The quotations of one article together with what was learnt on the way (lexicon,
    quotation spans, registry of persons), so reported speech resolves its speakers
    against the same persons as the quotes instead of building a second registry."""

    quotes: list[Quote]
    lex: _Lex
    spans: list[_Span]
    registry: _Registry
    tokens: _TokenIndex  # the article's tokens outside quotations, for reported speech too


def extract_quotes(text: str, language: str | None) -> list[Quote]:
    """All top-level quotations in `text`, in order, with kind and (resolved) speaker."""
    if not text or not _scan_quotes(text):
        return []
    return analyse_quotes(text, language).quotes


def analyse_quotes(text: str, language: str | None) -> QuoteAnalysis:
    """`extract_quotes` plus its context; the registry is built even without quotations."""
    lex = lex_for(_resolve_language(text, language) if text else "any")
    spans = _scan_quotes(text) if text else []
    segs = [(s.start, s.end) for s in segment(text, None if lex.lang == "any" else lex.lang)] if text else []
    drafts = _drafts(text, spans, segs, lex)
    reg = _Registry()
    index = _TokenIndex(text, spans, lex)
    _find_speakers(text, drafts, spans, segs, index)
    _build_registry(text, drafts, spans, index, reg)
    quotes = [_finish(d, reg) for d in drafts]
    _continue_quotes(drafts, quotes)
    logger.debug("extracted %d quotations (%s), %d persons", len(quotes), lex.lang, len(reg.persons))
    return QuoteAnalysis(quotes, lex, list(spans), reg, index)


def _drafts(text: str, spans: Sequence[_Span], segs: Sequence[tuple[int, int]], lex: _Lex) -> list[_Draft]:
    out: list[_Draft] = []
    prev_end = 0
    for sp in spans:
        s_start, _ = _sentence_bounds(segs, sp.start, text)
        _, s_end = _sentence_bounds(segs, sp.end - 1, text)
        clause = _clause_prefix_start(text, s_start, sp.start, prev_end)
        out.append(_Draft(sp, clause, s_end, _is_initial(text[clause : sp.start], lex)))
        prev_end = sp.end
    return out


def _find_speakers(
    text: str, drafts: list[_Draft], spans: Sequence[_Span], segs: Sequence[tuple[int, int]], index: _TokenIndex
) -> None:
    """Kind and speaker mention of every draft (rules 1-4 and 6; rule 5 runs after resolution)."""
    lex = index.lex
    for n, d in enumerate(drafts):
        next_start = drafts[n + 1].span.start if n + 1 < len(drafts) else len(text)
        after = index.parser(d.span.end, min(d.sent_end, next_start))
        before = index.parser(d.sent_start, d.span.start)
        embedded = not d.initial
        if embedded and _looks_like_name(d.span.text, lex, embedded=True):
            d.kind = "name"
            continue
        lead = text[d.span.end : after.toks[0].start] if after.toks else ""
        anchored = after.anchored_after() if not lead.strip(_SPACES + ",;–—-") else None
        d.mention = (
            anchored
            or _anchored_before(text, d, before)
            or after.verb_final_clause()
            or next(after.clauses(), None)
            or _last(before.clauses())
        )
        if d.mention is None and _continues(text, drafts, n):
            d.inherited = True
        elif d.mention is None:
            d.mention = _previous_sentence(text, d, spans, segs, index)
        if d.initial:
            if d.mention is None and _looks_like_name(d.span.text, lex, embedded=False):
                d.kind = "name"
            continue
        d.kind = "partial" if d.mention is not None or _word_count(d.span.text) > 3 else "scare"


def _continues(text: str, drafts: Sequence[_Draft], n: int) -> bool:
    """Rule 5 test: a direct quotation opening the sentence right after a direct quotation's sentence."""
    if n == 0 or not drafts[n].initial:
        return False
    prev = drafts[n - 1]
    return prev.kind == "direct" and not text[prev.sent_end : drafts[n].span.start].strip()


def _anchored_before(text: str, d: _Draft, before: _Parser) -> _Mention | None:
    """"Lu sagte: „…“", "He said "…"": an attribution that ends right before the quotation."""
    prefix = text[d.sent_start : d.span.start].rstrip(_SPACES + "\n")
    if prefix.endswith(":"):
        return _last(before.clauses())
    toks = before.toks
    if toks and prefix.rstrip(",").endswith(toks[-1].text) and before.verb_at(len(toks) - 1) == 1:
        return before.np_backward(len(toks) - 2) if before.contiguous(len(toks) - 2, len(toks) - 1) else None
    return None


def _previous_sentence(
    text: str, d: _Draft, spans: Sequence[_Span], segs: Sequence[tuple[int, int]], index: _TokenIndex
) -> _Mention | None:
    """Rule 6: a speech-verb clause in the sentence before, within the same paragraph."""
    starts = [s for s, _ in segs]
    k = bisect.bisect_right(starts, d.span.start) - 1
    if k < 1:
        return None
    p_start, p_end = segs[k - 1]
    if "\n" in text[p_end : d.span.start] or any(p_start <= q.start < p_end for q in spans):
        return None  # other paragraph, or its speech verb already belongs to a quotation of its own
    return _last(index.parser(p_start, p_end).clauses())


def _last(mentions: Iterator[_Mention]) -> _Mention | None:
    out = None
    for m in mentions:
        out = m
    return out


def _build_registry(
    text: str, drafts: Sequence[_Draft], spans: Sequence[_Span], index: _TokenIndex, reg: _Registry
) -> None:
    """Persons from appositions, speech clauses anywhere and quotation attributions."""
    toks, lex = index.toks, index.lex
    parser = _Parser(text, toks, lex, index.role_flags)  # one for both scans: the clauses reuse the appositions' noun phrases
    _collect_appositions(text, toks, lex, reg, parser, index.starts)
    for m in parser.clauses():
        if m.kind == "name":
            reg.add(m.text, m.gender)
    for d in drafts:
        if d.mention is not None and d.mention.kind == "name":
            reg.add(d.mention.text, d.mention.gender)
    reg.index_mentions(text, spans)


def _finish(d: _Draft, reg: _Registry) -> Quote:
    """Resolve the draft's mention to a person and build the Quote."""
    m, person = d.mention, None
    if m is not None:
        if m.kind == "name":
            person = reg.find(m.text)
        elif m.kind == "pronoun":
            person = reg.last_person_before(m.start, m.gender)
        elif m.role is not None:
            person = reg.role_holder(m.role, m.start)
    sp = d.span
    if person is None:
        return Quote(sp.start, sp.end, sp.text, None, None, None, d.kind)
    return Quote(sp.start, sp.end, sp.text, person.full, m.start, m.end, d.kind)  # type: ignore[union-attr]


def _continue_quotes(drafts: Sequence[_Draft], quotes: list[Quote]) -> None:
    """Rule 5: an unattributed direct quotation right after an attributed one continues it."""
    for n in range(1, len(quotes)):
        q, prev = quotes[n], quotes[n - 1]
        if not drafts[n].inherited or q.kind != "direct" or prev.speaker is None:
            continue
        quotes[n] = Quote(q.start, q.end, q.text, prev.speaker, prev.speaker_start, prev.speaker_end, q.kind)


# --------------------------------------------------------------------------- speaker keys


# Speaker keys are the shared name keys (compare.facts.names); kept under these names
# because quote links, discrepancies and the tests speak of speakers.
speaker_key = person_key
same_speaker = same_person
