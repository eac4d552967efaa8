"""Speaker attribution: who is quoted, from the words around a quotation.

The lexicons of speech (verbs, "laut"/"according to"/"selon", pronouns, determiners, role
words; compare/data/<language>/ and `names`), the tokens of an article outside its
quotations, and `_Parser`, which finds the speaker mention next to a quotation: a name, a
pronoun or a role ("sagte Lu", "so der US-Außenminister", "X said", "a déclaré X"). The
mentions are resolved to persons by the registry in `quotes`, which puts it together.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from wordfreq import zipf_frequency

from compare.facts.lexicon import lexicon, lexicon_dirs, lexicon_languages
from compare.facts.names import ANY_ROLE_RE, MULTI_ROLES, ROLE_PATTERNS, fold_accents
from compare.facts.quote_marks import _Span

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- lexicons

_LANGS = ("de", "en", "fr")

# Speech lexicons (compare/data/<language>/*.txt, see compare.facts.lexicon).
SPEECH_VERBS = "speech_verbs"  # sagte / said / dit
SPEAKER_PREPOSITIONS = "speaker_prepositions"  # laut Lu / according to Lu / selon Lu
SPEAKER_POSTPOSITIONS = "speaker_postpositions"  # Lu zufolge
CLAUSE_INTRO = "speech_clause_intro"  # "…, wie der Staatssekretär, Donald Lu, betonte"
# French compound past: "a déclaré", "avait dit", "a-t-il ajouté".
_FR_PARTICIPLES = frozenset(lexicon("speech_participles", "fr"))
_FR_AUX = frozenset(lexicon("speech_auxiliaries", "fr"))
_FR_VERBS = frozenset(lexicon(SPEECH_VERBS, "fr"))
_FR_INVERSION_RE = re.compile(r"(\w+?)-(?:t-)?(il|elle)", re.IGNORECASE)

_PRONOUNS: dict[str, dict[str, str]] = {
    "de": {"er": "m", "sie": "f"},
    "en": {"he": "m", "she": "f"},
    "fr": {"il": "m", "elle": "f"},
}
_DETS: dict[str, frozenset[str]] = {
    "de": frozenset("der die das dem den des".split()),
    "en": frozenset({"the"}),
    "fr": frozenset({"le", "la", "les", "l'"}),
}
_DET_GENDER = {"der": "m", "die": "f", "le": "m", "la": "f"}  # in an apposition ("Lu, der …")
# Words that may stand right before a speaker name at the start of a clause.
_CONJ = frozenset("und aber doch denn oder sondern wie and but or yet as mais et ou comme donc".split())
# Capitalised words that are never (part of) a person's name.
_CAP_STOP = frozenset(w for code in lexicon_languages("speaker_stop_words") for w in lexicon("speaker_stop_words", code))
_PARTICLES = frozenset({"von", "van", "de", "al", "bin", "ibn", "da", "di", "del", "zu"})

_FEMININE_ROLES = frozenset(
    "spokeswoman présidente ambassadrice chancelière experte chercheuse professeure".split()
)
_MASCULINE_ROLES = frozenset({"spokesman", "ambassadeur", "chancelier", "chercheur"})
_FR_FUNCTION_WORDS = frozenset(
    "a avait est était de du des à au aux en pour sur avec par dans et ou qui que le la les un une ne n' se s' y"
    .split()
)
_US_QUALIFIERS = frozenset({"us", "u.s", "usa", "états-unis", "etats-unis", "washington"})


# --------------------------------------------------------------------------- tokens


_new_tuple = tuple.__new__  # builds a _Tok without the named tuple's Python-level __new__
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_ELISION_RE = re.compile(r"(l|d|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)


class _Tok(NamedTuple):
    """A word token of the article text. A named tuple: the parsers build thousands per
    article, and a tuple is built several times faster than a frozen dataclass (whose
    __init__ goes through object.__setattr__) while staying immutable."""

    text: str
    start: int
    end: int
    low: str  # the lower-cased text, "’" as "'" (read by every cue scan, so worked out once)

    @classmethod
    def make(cls, text: str, start: int, end: int) -> "_Tok":
        """The token of `text` at [start, end), with its `low`."""
        return _new_tuple(cls, (text, start, end, text.lower().replace("’", "'")))

    @property
    def cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def possessive(self) -> bool:
        return self.low.endswith("'s")


def _tokens(text: str, start: int, end: int, quotes: Sequence[_Span], lex: _Lex) -> list[_Tok]:
    """Word tokens of text[start:end] outside quotations; French elisions are split ("l'" + "État")."""
    out: list[_Tok] = []
    # Matches come in text order, so the quotation that could hold the next one only moves
    # forward: `k` walks the sorted quotations once (what `_inside` finds by bisection).
    k, n_quotes, fr = -1, len(quotes), lex.fr
    for m in _TOKEN_RE.finditer(text, start, end):
        pos = m.start()
        while k + 1 < n_quotes and quotes[k + 1].start <= pos:
            k += 1
        if k >= 0 and pos < quotes[k].end:
            continue
        _append_word(out, m.group(), pos, fr)
    return out


def _append_word(out: list[_Tok], word: str, s: int, fr: bool) -> None:
    """The token(s) of one regex match at `s`; a French elision is split off ("l'" + "État")."""
    el = _ELISION_RE.match(word) if fr else None
    if el and el.end() < len(word):
        out.append(_Tok.make(word[: el.end()], s, s + el.end()))
        s, word = s + el.end(), word[el.end() :]
    out.append(_Tok.make(word, s, s + len(word)))


# A line's scan: match starts, match ends (offsets in the line), the tokens of all matches
# (French elisions split), per match the index of its first token (one more at the end),
# and per token whether a role can start there (`_starts_role`).
_LineScan = tuple[tuple[int, ...], tuple[int, ...], tuple[_Tok, ...], tuple[int, ...], tuple[bool, ...]]
_LINE_CACHE_MAX_CHARS = 2000  # longer lines are scanned without the cache (bounds its memory)


def _scan_line(line: str, fr: bool) -> _LineScan:
    """Every token-regex match of one line and its tokens, offsets relative to the line."""
    starts: list[int] = []
    ends: list[int] = []
    toks: list[_Tok] = []
    first: list[int] = []
    make = _Tok.make
    for m in _TOKEN_RE.finditer(line):
        pos, end = m.span()
        starts.append(pos)
        ends.append(end)
        first.append(len(toks))
        if fr:
            _append_word(toks, m.group(), pos, fr)
        else:  # no elisions to split: the common case
            toks.append(make(m.group(), pos, end))
    first.append(len(toks))
    return tuple(starts), tuple(ends), tuple(toks), tuple(first), tuple([_starts_role(t.low) for t in toks])


@functools.lru_cache(maxsize=1024)
def _scan_line_cached(line: str, fr: bool) -> _LineScan:
    """`_scan_line`, memoised: the articles of one comparison (variants of one story)
    repeat most paragraphs. Safe: a pure function of the line and `fr` (the key), and the
    result is immutable (tuples of named tuples). Bounded: 1024 lines (more than a
    50-article comparison of distinct texts holds) of at most `_LINE_CACHE_MAX_CHARS`
    characters each, a few MB."""
    return _scan_line(line, fr)


def _line_scan(line: str, fr: bool) -> _LineScan:
    """The scan of one line (without "\n"), cached unless the line is very long."""
    if len(line) > _LINE_CACHE_MAX_CHARS:
        return _scan_line(line, fr)
    return _scan_line_cached(line, fr)


def _quote_gaps(quotes: Sequence[_Span]) -> list[tuple[int, int]]:
    """The positions where a match start is dropped as quoted, as ranges [start, end):
    those inside the last quotation starting at or before them (what `_tokens`' walk over
    the quotations, sorted by start, tests). For disjoint quotations, the quotations."""
    out: list[tuple[int, int]] = []
    for n, q in enumerate(quotes):
        end = min(q.end, quotes[n + 1].start) if n + 1 < len(quotes) else q.end
        if q.start < end:
            out.append((q.start, end))
    return out


class _TokenIndex:
    """The tokens of a whole text outside its quotations, tokenised once per analysis, so
    the parsers of sentences and of the regions around quotations take their tokens by
    bisection instead of tokenising each region again.

    `range(start, end)` equals `_tokens(text, start, end, quotes, lex)`: the token regex has
    no look-around and matches leftmost-greedy, so a scan of text[start:end] finds exactly
    the whole-text matches inside the range whenever no whole-text match straddles `start`
    or `end` (it restarts identically in a gap); when one straddles, the range is tokenised
    directly. Quotation filtering and elision splitting depend on the match alone.

    The whole-text pass runs line by line on cached line scans (`_line_scan`): no match
    contains or looks past a "\n" (the pattern has no look-around and no class of it holds
    "\n"), so the whole text's matches are each line's matches shifted by the line's offset."""

    def __init__(self, text: str, quotes: Sequence[_Span], lex: _Lex) -> None:
        self.text, self.quotes, self.lex = text, quotes, lex
        self.toks: list[_Tok] = []
        self.role_flags: list[bool] = []  # per token: `_starts_role` (what `_Parser.role_starts` reads)
        # Line by line (see `_line_scan`): the variants of one story share most paragraphs.
        # The lines holding a match (inside quotations too: what a range boundary may cut
        # through), with their offsets, for `_straddled`.
        self._line_offsets: list[int] = []
        self._line_scans: list[_LineScan] = []
        gaps = _quote_gaps(quotes)
        g, offset = 0, 0
        for line in text.split("\n"):
            line_end = offset + len(line)
            while g < len(gaps) and gaps[g][1] <= offset:
                g += 1  # quotation ranges end in order: those ending before this line are done
            scan = _line_scan(line, lex.fr)
            if scan[0]:
                self._line_offsets.append(offset)
                self._line_scans.append(scan)
                self._add_line(scan, offset, gaps, g, line_end)
            offset = line_end + 1
        self._starts = [t.start for t in self.toks]

    def _add_line(self, scan: _LineScan, offset: int, gaps: Sequence[tuple[int, int]], g: int, line_end: int) -> None:
        """The matches and tokens of one line at `offset`, without those starting inside a
        quotation (`gaps[g:]` are the quotation ranges not ending before the line)."""
        starts, _ends, toks, first, flags = scan
        kept, lo = [], 0  # runs of matches [lo, a) outside quotations
        while g < len(gaps) and gaps[g][0] < line_end:
            a = bisect.bisect_left(starts, gaps[g][0] - offset)
            b = bisect.bisect_left(starts, gaps[g][1] - offset)
            if a > lo:
                kept.append((lo, a))
            lo = max(lo, b)
            g += 1
        if lo < len(starts):
            kept.append((lo, len(starts)))
        new, cls, out = _new_tuple, _Tok, self.toks
        for a, b in kept:
            out.extend([new(cls, (t, s + offset, e + offset, low)) for t, s, e, low in toks[first[a] : first[b]]])
            self.role_flags.extend(flags[first[a] : first[b]])

    @property
    def starts(self) -> list[int]:
        """The start of every token in `toks` (read-only use)."""
        return self._starts

    def _straddled(self, pos: int) -> bool:
        """Whether a whole-text match starts before `pos` and ends after it. No match
        crosses a "\n", so only the last line starting at or before `pos` can hold one."""
        n = bisect.bisect_right(self._line_offsets, pos) - 1
        if n < 0:
            return False
        starts, ends = self._line_scans[n][:2]
        rel = pos - self._line_offsets[n]
        k = bisect.bisect_left(starts, rel) - 1
        return k >= 0 and ends[k] > rel

    def range(self, start: int, end: int) -> list[_Tok]:
        """`_tokens(text, start, end, quotes, lex)` (see the class docstring)."""
        bounds = self._bounds(start, end)
        if bounds is None:
            return _tokens(self.text, start, end, self.quotes, self.lex)
        return self.toks[bounds[0] : bounds[1]]

    def _bounds(self, start: int, end: int) -> tuple[int, int] | None:
        """The slice of `toks` that is `range(start, end)`, or None when it must be tokenised directly."""
        if self._straddled(start) or self._straddled(end):
            return None
        lo = bisect.bisect_left(self._starts, start)
        return lo, bisect.bisect_left(self._starts, end, lo)

    def parser(self, start: int, end: int) -> _Parser:
        """`_Parser(text, range(start, end), lex)`, handed the role flags already worked out."""
        bounds = self._bounds(start, end)
        if bounds is None:
            return _Parser(self.text, _tokens(self.text, start, end, self.quotes, self.lex), self.lex)
        lo, hi = bounds
        return _Parser(self.text, self.toks[lo:hi], self.lex, self.role_flags[lo:hi])


def _inside(quotes: Sequence[_Span], pos: int) -> bool:
    """Whether `pos` lies inside one of the (sorted, disjoint) quotations."""
    k = bisect.bisect_right(quotes, pos, key=lambda q: q.start) - 1
    return k >= 0 and pos < quotes[k].end


# --------------------------------------------------------------------------- language helpers


@dataclass(frozen=True)
class _Lex:
    """The lexicon for one article: one language, or the union when unknown."""

    lang: str  # "de" | "en" | "fr" | "any"

    def _pick(self, table: dict[str, frozenset[str]]) -> frozenset[str]:
        if self.lang in table:
            return table[self.lang]
        return frozenset().union(*table.values())

    def _words(self, name: str) -> frozenset[str]:
        """A lexicon list of the article's language, or of every language that has it."""
        if self.lang != "any":
            return frozenset(lexicon(name, self.lang))
        return frozenset(w for code in lexicon_languages(name) for w in lexicon(name, code))

    @functools.cached_property
    def verbs(self) -> frozenset[str]:
        return self._words(SPEECH_VERBS)

    @functools.cached_property
    def pronouns(self) -> dict[str, str]:
        if self.lang in _PRONOUNS:
            return _PRONOUNS[self.lang]
        return {k: v for table in _PRONOUNS.values() for k, v in table.items()}

    @functools.cached_property
    def dets(self) -> frozenset[str]:
        return self._pick(_DETS)

    @functools.cached_property
    def according(self) -> frozenset[str]:
        return self._words(SPEAKER_PREPOSITIONS)

    @functools.cached_property
    def postposed(self) -> frozenset[str]:
        """Every language's: "Lu zufolge" is read in any article."""
        return frozenset(w for code in lexicon_languages(SPEAKER_POSTPOSITIONS) for w in lexicon(SPEAKER_POSTPOSITIONS, code))

    @functools.cached_property
    def clause_intro(self) -> frozenset[str]:
        return self._words(CLAUSE_INTRO)

    @functools.cached_property
    def clause_triggers(self) -> frozenset[str]:
        """Every token `_Parser.clauses` can start a mention at (a French inversion
        "dit-il" aside, which has a hyphen): the scan skips all other tokens."""
        extra = (_FR_AUX | {"d'"}) if self.fr else frozenset()
        return self.verbs | self.according | self.postposed | extra

    @property
    def wordfreq_lang(self) -> str:
        return self.lang if self.lang in _LANGS else "en"

    @property
    def fr(self) -> bool:
        return self.lang in ("fr", "any")

    @property
    def de(self) -> bool:
        return self.lang in ("de", "any")

    @property
    def en(self) -> bool:
        return self.lang in ("en", "any")


@functools.lru_cache(maxsize=32)
def _lex_for(lang: str, dirs: tuple[Path, ...]) -> _Lex:
    """One shared `_Lex` per language and lexicon folders, so its word sets are built once,
    not per article. Safe: a `_Lex` is a pure function of its language and of the lexicon
    files in `dirs` (the key; a folder added later is a new key). Bounded: 4 languages
    times the few folder settings a process sees."""
    return _Lex(lang)


def lex_for(lang: str) -> _Lex:
    """The shared `_Lex` of `lang` under the current lexicon folders."""
    return _lex_for(lang, tuple(lexicon_dirs()))


def _resolve_language(text: str, language: str | None) -> str:
    """"de"/"en"/"fr", or "any" (all lexicons) when the language is unknown or unsupported."""
    if language:
        code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
        return code if code in _LANGS else "any"
    try:
        from compare.language import detect_language

        code = detect_language(text)
    except Exception:  # noqa: BLE001 - detection is optional; fall back to all lexicons
        logger.debug("language detection failed", exc_info=True)
        code = None
    return code if code in _LANGS else "any"


@functools.lru_cache(maxsize=4096)
def _zipf(word: str, lang: str) -> float:
    return zipf_frequency(word, lang)


# --------------------------------------------------------------------------- roles and noun phrases


@dataclass(frozen=True)
class _Role:
    cls: str
    n: int  # tokens it spans
    feminine: bool
    qualifiers: frozenset[str]


@functools.lru_cache(maxsize=16384)
def _qualifier_key(word: str) -> str | None:
    """A comparable key for a country qualifier ("US-", "amerikanische", "Kasachstans"), else None.
    Memoised: a pure function of the word (the key), read for the same words in every
    variant of a story; bounded."""
    w = fold_accents(word.lower().replace("’", "'")).removesuffix("'s").strip(".-")
    if not w:
        return None
    if w in _US_QUALIFIERS or w.startswith(("amerikan", "american", "americain")):
        return "us"
    return w[:6] if len(w) >= 4 else None


_MULTI_BY_FIRST: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    first: tuple(item for item in MULTI_ROLES if item[0][0] == first) for first in {w[0] for w, _ in MULTI_ROLES}
}


def _role_at(toks: Sequence[_Tok], i: int, text: str) -> _Role | None:
    """The role word (or multi-word role) starting at token `i`."""
    low = toks[i].low
    for words, cls in _MULTI_BY_FIRST.get(low, ()):
        n = len(words)
        if i + n > len(toks) or (n > 1 and toks[i + 1].low != words[1]):  # cheap reject first
            continue
        if tuple(t.low for t in toks[i : i + n]) == words and _chain(toks, i, i + n, text):
            return _Role(cls, n, False, frozenset())
    return _single_role(low)


@functools.lru_cache(maxsize=16384)
def _starts_role(low: str) -> bool:
    """Whether a role can start at a token `low` (`_role_at` is None at every other token).
    Memoised like `_single_role`: a pure function of the word; bounded."""
    return low in _MULTI_BY_FIRST or _single_role(low) is not None


@functools.lru_cache(maxsize=16384)
def _single_role(low: str) -> _Role | None:
    """A one-token role ("US-Außenminister": head "außenminister", qualifier "us")."""
    parts = low.split("-")
    if not ANY_ROLE_RE.fullmatch(low) and ("-" not in low or not ANY_ROLE_RE.fullmatch(parts[-1])):
        return None  # the loop below finds no pattern
    for cand, quals in ((low, ()), (parts[-1], parts[:-1])):
        for pattern, cls in ROLE_PATTERNS:
            if pattern.fullmatch(cand):
                feminine = low in _FEMININE_ROLES or cand.endswith(("in", "innen"))
                keys = frozenset(k for k in (_qualifier_key(q) for q in quals) if k)
                return _Role(cls, 1, feminine, keys)
    return None


def _contiguous(toks: Sequence[_Tok], a: int, b: int, text: str) -> bool:
    """Tokens a and b (b = a + 1) are separated by whitespace only ("U.S. Secretary" also counts)."""
    gap = text[toks[a].end : toks[b].start]
    return not gap.strip() or (gap.strip() == "." and "." in toks[a].text)


def _chain(toks: Sequence[_Tok], i: int, j: int, text: str) -> bool:
    return all(_contiguous(toks, k, k + 1, text) for k in range(i, j - 1))


@dataclass(frozen=True)
class _Mention:
    """A speaker mention: a name, a pronoun or a role phrase, as written."""

    kind: Literal["name", "pronoun", "role"]
    text: str
    start: int
    end: int
    end_idx: int  # token index after the mention
    role: _Role | None = None
    gender: str | None = None


class _Parser:
    """Noun-phrase and attribution parsing over one token list."""

    def __init__(self, text: str, toks: Sequence[_Tok], lex: _Lex, role_starts: list[bool] | None = None) -> None:
        """`role_starts`, when given, must be `[_starts_role(t.low) for t in toks]` (a `_TokenIndex` has them)."""
        self.text, self.toks, self.lex = text, toks, lex
        self._role_starts = role_starts  # per token: can a role start here (worked out lazily when not given)
        # role_np by token index: a pure function of (toks, text, lex, i), which a parser
        # never changes; bounded by the parser's token count and dropped with it.
        self._role_nps: dict[int, _Mention | None] = {}
        # The same for is_name_tok, name_run and np_forward (pure in the same way).
        self._name_toks: dict[int, bool] = {}
        self._name_runs: dict[int, int] = {}
        self._np_forwards: dict[int, _Mention | None] = {}

    def _may_start_role(self, i: int, j: int) -> bool:
        """Whether a role can start at any token in [i, j) (`_role_at` is None at all others)."""
        return any(self.role_starts()[i:j])

    def role_starts(self) -> list[bool]:
        """Per token: can a role start there (`_starts_role`), worked out on first use."""
        if self._role_starts is None:
            self._role_starts = [_starts_role(t.low) for t in self.toks]
        return self._role_starts

    # -- small predicates
    def contiguous(self, a: int, b: int) -> bool:
        return 0 <= a and b < len(self.toks) and _contiguous(self.toks, a, b, self.text)

    def is_name_tok(self, i: int) -> bool:
        """Whether token `i` can be (part of) a person's name (memoised per index)."""
        known = self._name_toks.get(i)
        if known is None:
            known = self._name_toks[i] = self._is_name_tok(i)
        return known

    def _is_name_tok(self, i: int) -> bool:
        t = self.toks[i]
        if not t.cap or t.possessive or t.low in _CAP_STOP or t.low in self.lex.pronouns:
            return False
        if _role_at(self.toks, i, self.text) is not None:
            return False
        return _zipf(t.low, self.lex.wordfreq_lang) < 5.6

    def verb_at(self, i: int) -> int:
        """Number of tokens of a speech verb at `i` (0 if none)."""
        if not 0 <= i < len(self.toks):
            return 0
        low = self.toks[i].low
        if low in self.lex.verbs:
            return 1
        if self.lex.fr and low in _FR_AUX and i + 1 < len(self.toks) and self.toks[i + 1].low in _FR_PARTICIPLES:
            return 2
        return 0

    def fr_inversion(self, i: int) -> _Mention | None:
        """'a-t-il dit', 'dit-elle', 'ajoute-t-il' -> the pronoun."""
        if not self.lex.fr or not 0 <= i < len(self.toks):
            return None
        t = self.toks[i]
        m = _FR_INVERSION_RE.fullmatch(t.low)
        if not m or not (m.group(1) in _FR_AUX or m.group(1) in _FR_VERBS):
            return None
        s = t.start + m.start(2)
        participle = m.group(1) in _FR_AUX and i + 1 < len(self.toks) and self.toks[i + 1].low in _FR_PARTICIPLES
        end_idx = i + 2 if participle else i + 1
        return _Mention("pronoun", self.text[s : t.end], s, t.end, end_idx, gender=_PRONOUNS["fr"][m.group(2)])

    # -- noun phrases
    def name_run(self, i: int) -> int:
        """Index after a run of name tokens starting at `i` (== i when none; memoised per index)."""
        known = self._name_runs.get(i)
        if known is None:
            known = self._name_runs[i] = self._name_run(i)
        return known

    def _name_run(self, i: int) -> int:
        j = i
        while j < len(self.toks) and j - i < 5:
            if j > i and not self.contiguous(j - 1, j):
                break
            if self.is_name_tok(j):
                j += 1
            elif j > i and self.toks[j].low in _PARTICLES and j + 1 < len(self.toks) and self.is_name_tok(j + 1):
                j += 1
            else:
                break
        while j > i and self.toks[j - 1].low in _PARTICLES:
            j -= 1
        return j

    def span(self, i: int, j: int) -> tuple[str, int, int]:
        s, e = self.toks[i].start, self.toks[j - 1].end
        return self.text[s:e], s, e

    def role_np(self, i: int) -> _Mention | None:
        """[det] [qualifiers/adjectives] ROLE [Name]: a name if one follows the role, else the role."""
        if i not in self._role_nps:
            self._role_nps[i] = self._role_np(i)
        return self._role_nps[i]

    def _role_np(self, i: int) -> _Mention | None:
        toks, k = self.toks, i
        det = toks[k].low if toks[k].low in self.lex.dets else None
        if det:
            k += 1
        if not self._may_start_role(k, k + 4):
            return None  # the loop below returns None without a role in its 4 tokens
        quals: set[str] = set()
        mods = 0
        while k < len(toks) and (k == i or self.contiguous(k - 1, k)):
            role = _role_at(toks, k, self.text)
            if role is not None:
                break
            t = toks[k]
            if mods >= 3 or t.low in self.lex.pronouns or t.low in self.lex.verbs:
                return None
            if t.cap and not (t.possessive or t.text.isupper() or "." in t.text or t.low.endswith("s")):
                return None  # a capitalised word that is not a qualifier: not a role phrase
            key = _qualifier_key(t.text) if (t.cap or _nationality(t.low)) else None
            if key:
                quals.add(key)
            mods += 1
            k += 1
        else:
            return None
        if k >= len(toks) or (k > i and not self.contiguous(k - 1, k)):
            return None
        role = _role_at(toks, k, self.text)
        assert role is not None
        end = k + role.n
        while self.lex.fr and end < len(toks) and end - k - role.n < 2 and self._fr_adjective(end):
            quals.add(_qualifier_key(toks[end].low) or "")  # "le président kazakh", "américain"
            end += 1
        role = _Role(role.cls, role.n, role.feminine, frozenset(quals | role.qualifiers) - {""})
        gender = _role_gender(role, det, toks[k].low)
        if end < len(toks) and self.contiguous(end - 1, end):
            name_end = self.name_run(end)
            if name_end == end + 1 and self._genitive(end):
                name_end = end  # "der Präsident Kasachstans": a genitive, not a name
            if name_end > end:
                text, s, e = self.span(end, name_end)
                return _Mention("name", text, s, e, name_end, role=role, gender=gender)
        text, s, e = self.span(i, end)
        return _Mention("role", text, s, e, end, role=role, gender=gender)

    def _genitive(self, i: int) -> bool:
        """German genitive of a word the article also uses bare ("Kasachstans" next to "Kasachstan")."""
        word = self.toks[i].text
        if not self.lex.de or not word.endswith("s") or len(word) < 5:
            return False
        return re.search(rf"(?<!\w){re.escape(word[:-1])}(?!\w)", self.text) is not None

    def _fr_adjective(self, i: int) -> bool:
        """A lower-case word after a French role head: "le président kazakh", "le chef de l'État américain"."""
        t = self.toks[i]
        return (
            self.contiguous(i - 1, i)
            and t.text.isalpha()
            and t.text.islower()
            and t.low not in _FR_FUNCTION_WORDS
            and t.low not in self.lex.verbs
            and t.low not in _FR_PARTICIPLES
            and t.low not in self.lex.pronouns
        )

    def np_forward(self, i: int) -> _Mention | None:
        """The speaker phrase starting at token `i` (memoised per index)."""
        if not 0 <= i < len(self.toks):
            return None
        if i not in self._np_forwards:
            self._np_forwards[i] = self._np_forward(i)
        return self._np_forwards[i]

    def _np_forward(self, i: int) -> _Mention | None:
        t = self.toks[i]
        if t.low in self.lex.pronouns:
            return _Mention("pronoun", t.text, t.start, t.end, i + 1, gender=self.lex.pronouns[t.low])
        role = self.role_np(i)
        if role is not None or t.low in self.lex.dets:
            return role
        j = self.name_run(i)
        if j == i:
            return None
        text, s, e = self.span(i, j)
        return _Mention("name", text, s, e, j)

    def np_backward(self, j: int) -> _Mention | None:
        """The speaker phrase ending at token `j` (inclusive), e.g. before a verb."""
        if not 0 <= j < len(self.toks):
            return None
        if self.toks[j].low in self.lex.pronouns:
            return self.np_forward(j)
        first = j
        while first > 0 and j - first < 7 and self.contiguous(first - 1, first):
            first -= 1
        for s in range(first, j + 1):
            m = self.np_forward(s)
            if m is None or m.end_idx != j + 1:
                continue
            if m.kind == "name" and m.role is None and not (self._clause_start(s) or self._descriptor_before(s, m)):
                continue
            return m
        return None

    def _descriptor_before(self, s: int, m: _Mention) -> bool:
        """English puts a lower-case job title before a full name: '"…," incident commander
        Jörg Wendland said'. Up to three lower-case words from the clause start, and a name
        of two or more words, so "the meeting Lu said" stays unattributed."""
        if not self.lex.en or m.end_idx - s < 2:
            return False
        k = s
        while k > 0 and s - k < 3 and self.contiguous(k - 1, k):
            t = self.toks[k - 1]
            if not t.text.isalpha() or not t.text.islower() or t.low in self.lex.verbs or t.low in self.lex.dets:
                return False
            k -= 1
        return k < s and self._clause_start(k)

    def _clause_start(self, s: int) -> bool:
        """A bare name needs a clause start before it ("Aber Lu sagte", not "dem Treffen betonte")."""
        return s == 0 or not self.contiguous(s - 1, s) or self.toks[s - 1].low in _CONJ

    # -- attributions
    def anchored_after(self) -> _Mention | None:
        """Attribution right at the start of the token list (text after a quotation)."""
        if not self.toks:
            return None
        t0 = self.toks[0]
        if t0.low == "so" and self.lex.de:
            return self.np_forward(1) if self.contiguous(0, 1) else None
        inv = self.fr_inversion(0)
        if inv is not None:
            return inv
        n = self.verb_at(0)
        if n:
            return self.np_forward(n) if self.contiguous(n - 1, n) else None
        if t0.low in self.lex.according or (self.lex.fr and t0.low == "d'" and len(self.toks) > 1):
            return self._after_according(0)
        m = self.np_forward(0)
        if m is not None and m.end_idx < len(self.toks) and self.contiguous(m.end_idx - 1, m.end_idx):
            if self.verb_at(m.end_idx) or self.toks[m.end_idx].low in self.lex.postposed or self.fr_inversion(m.end_idx):
                return m
        return None

    def _after_according(self, i: int) -> _Mention | None:
        k = i + 1
        if self.toks[i].low in ("according", "d'") and k < len(self.toks) and self.toks[k].low in ("to", "après"):
            k += 1
        return self.np_forward(k) if k < len(self.toks) and self.contiguous(k - 1, k) else None

    def clauses(self) -> Iterator[_Mention]:
        """Every speech-verb clause in the token list, in order."""
        toks = self.toks
        triggers, fr = self.lex.clause_triggers, self.lex.fr
        for i, t in enumerate(toks):
            if t.low not in triggers and not (fr and "-" in t.low):
                continue  # nothing below can match here
            inv = self.fr_inversion(i)
            if inv is not None:
                yield inv
                continue
            n = self.verb_at(i)
            if n:
                m = self.np_backward(i - 1) if i > 0 and self.contiguous(i - 1, i) else None
                if m is None and i + n < len(toks) and self.contiguous(i + n - 1, i + n):
                    m = self.np_forward(i + n)
                if m is not None:
                    yield m
            elif t.low in self.lex.according or (self.lex.fr and t.low == "d'" and i + 1 < len(toks)
                                                  and toks[i + 1].low == "après"):
                m = self._after_according(i)
                if m is not None:
                    yield m
            elif t.low in self.lex.postposed and i > 0 and self.contiguous(i - 1, i):
                m = self.np_backward(i - 1)
                if m is not None:
                    yield m

    def verb_final_clause(self) -> _Mention | None:
        """"…, wie der Staatssekretär für X, Donald Lu, gegenüber der Presse betonte"."""
        toks = self.toks
        for i, t in enumerate(toks):
            if t.low not in self.lex.clause_intro:
                continue
            verb = next((k for k in range(i + 1, min(len(toks), i + 16)) if self.verb_at(k)), None)
            if verb is None:
                continue
            inner = self.text[t.end : toks[verb].start]
            appo = _APPOSITION_NAME_RE.search(inner)
            if appo:
                s = t.end + appo.start(1)
                k = next((k for k in range(i + 1, verb) if toks[k].start == s), None)
                e = self.name_run(k) if k is not None else 0
                if k is not None and e > k:
                    text, st, en = self.span(k, e)
                    return _Mention("name", text, st, en, e)
            m = self.np_forward(i + 1) if self.contiguous(i, i + 1) else None
            if m is not None:
                return m
        return None


_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*"
_APPOSITION_NAME_RE = re.compile(rf",\s*({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s*,")


def _role_gender(role: _Role, det: str | None, word: str) -> str | None:
    """Gender a role phrase marks: "Expertin"/"la ministre" -> f, "der Sprecher"/"spokesman" -> m."""
    if role.feminine or det == "la":
        return "f"
    if det in ("der", "le") or word in _MASCULINE_ROLES:
        return "m"
    return None


_NATIONALITY_RE = re.compile(r"(?:isch(?:e[nrms]?)?|ain(?:e|s|es)?|ais(?:e|es)?|ienne?s?)$")


@functools.lru_cache(maxsize=16384)
def _nationality(low: str) -> bool:
    """A lower-case country adjective (amerikanische, américaine, kasachische). Memoised:
    a pure function of the word (the key); bounded."""
    return bool(_NATIONALITY_RE.search(low)) or low.startswith(("amerikan", "américain", "americain"))
