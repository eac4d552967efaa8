"""Quotations in news articles (German, English, French): where they are, what kind, who said them.

Outlets covering one event often quote the same people; comparing who is quoted
(and with which words) is a cheap, language-independent signal of agreement and
slant.  `extract_quotes(text, language)` returns `Quote` spans in text order.

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
import functools
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from wordfreq import zipf_frequency

from compare.facts.lexicon import lexicon, lexicon_languages
from compare.facts.names import MULTI_ROLES, ROLE_FAMILIES, ROLE_PATTERNS, fold_accents, person_key, same_person
from compare.segment import segment

logger = logging.getLogger(__name__)

__all__ = ["Quote", "QuoteKind", "extract_quotes", "speaker_key", "same_speaker"]

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

# --------------------------------------------------------------------------- quotation marks

# opener -> closers
_OPENERS: dict[str, str] = {
    "„": "“”\"",
    "“": "”“",
    "«": "»",
    "»": "«",
    '"': '"',
    "‚": "‘’",
    "‘": "’",
    "‹": "›",
    "›": "‹",
    "'": "'",
}
_SINGLE = frozenset("‚‘‹›'")
_DOUBLE_OPENERS = frozenset("„“«»\"")
_OPEN_CONTEXT = frozenset("([{<–—―-/:„“‚‘»«›‹\"'")
_SPACES = " \t\u00a0\u202f\u2009"
_SINGLE_MAX_CHARS = 200
_MAX_PARAGRAPHS = 20


@dataclass(frozen=True)
class _Span:
    """A quotation found by the scanner, before classification."""

    start: int
    end: int
    text: str


def _valid_opener(text: str, i: int) -> bool:
    """Whether the mark at `i` opens a quotation (context rules against apostrophes and inches)."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if not nxt or not (prev.isspace() or prev in _OPEN_CONTEXT):
        return False
    if ch == "«":
        return True
    if ch in _SINGLE:
        return nxt.isalpha()
    return not nxt.isspace()


def _valid_closer(text: str, j: int, opener: str) -> bool:
    """Whether the mark at `j` closes a quotation opened by `opener`."""
    prev = text[j - 1]
    nxt = text[j + 1] if j + 1 < len(text) else ""
    if opener in _SINGLE:
        return not prev.isspace() and not nxt.isalnum()
    if opener == "«":
        return True
    if text[j] == opener or (opener == "“" and text[j] == "“"):  # '"…"', sloppy “…“
        return not prev.isspace() and not nxt.isalnum()
    return True


def _paragraph_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _at_paragraph_start(text: str, i: int) -> bool:
    line_start = text.rfind("\n", 0, i) + 1
    return not text[line_start:i].strip()


def _next_paragraph_opener(text: str, para_end: int) -> int | None:
    """Position of a quotation mark opening the next non-blank paragraph, if it opens with one."""
    k = para_end
    while k < len(text) and text[k].isspace():
        k += 1
    if k < len(text) and text[k] in _DOUBLE_OPENERS and text.count("\n", para_end, k) >= 1:
        return k
    return None


def _match(text: str, i: int) -> _Span | None:
    """The quotation opened at `i`, or None when it is never closed."""
    opener = text[i]
    closers = _OPENERS[opener]
    limit = _paragraph_end(text, i)
    if opener in _SINGLE:
        limit = min(limit, i + _SINGLE_MAX_CHARS)
    continuations: list[int] = []
    j = i + 1
    while True:
        while j < limit:
            if text[j] in closers and _valid_closer(text, j, opener):
                return _Span(i, j + 1, _clean_quote_text(text, i + 1, j, continuations))
            j += 1
        if opener in _SINGLE or not _at_paragraph_start(text, i) or len(continuations) >= _MAX_PARAGRAPHS:
            return None
        k = _next_paragraph_opener(text, limit)
        if k is None:
            return None
        continuations.append(k)
        j, limit = k + 1, _paragraph_end(text, k + 1)


def _clean_quote_text(text: str, start: int, end: int, continuations: Sequence[int]) -> str:
    """The quoted words: inner text without paragraph-continuation marks, trimmed of spaces and a final comma."""
    parts, pos = [], start
    for k in continuations:
        parts.append(text[pos:k])
        pos = k + 1
    parts.append(text[pos:end])
    inner = "".join(parts).strip(_SPACES + "\n")
    return inner[:-1].rstrip(_SPACES) if inner.endswith(",") else inner


def _scan_quotes(text: str) -> list[_Span]:
    """Top-level quotations in `text`, in order."""
    out: list[_Span] = []
    i = 0
    while i < len(text):
        if text[i] in _OPENERS and _valid_opener(text, i):
            span = _match(text, i)
            if span is not None and span.text:
                out.append(span)
                i = span.end
                continue
        i += 1
    return out


# --------------------------------------------------------------------------- tokens


_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_ELISION_RE = re.compile(r"(l|d|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def possessive(self) -> bool:
        return self.low.endswith("'s")


def _tokens(text: str, start: int, end: int, quotes: Sequence[_Span], lex: _Lex) -> list[_Tok]:
    """Word tokens of text[start:end] outside quotations; French elisions are split ("l'" + "État")."""
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        if _inside(quotes, m.start()):
            continue
        s, word = m.start(), m.group()
        el = _ELISION_RE.match(word) if lex.fr else None
        if el and el.end() < len(word):
            out.append(_Tok(word[: el.end()], s, s + el.end()))
            s, word = s + el.end(), word[el.end() :]
        out.append(_Tok(word, s, s + len(word)))
    return out


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


def _qualifier_key(word: str) -> str | None:
    """A comparable key for a country qualifier ("US-", "amerikanische", "Kasachstans"), else None."""
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
        if i + n <= len(toks) and tuple(t.low for t in toks[i : i + n]) == words and _chain(toks, i, i + n, text):
            return _Role(cls, n, False, frozenset())
    return _single_role(low)


@functools.lru_cache(maxsize=16384)
def _single_role(low: str) -> _Role | None:
    """A one-token role ("US-Außenminister": head "außenminister", qualifier "us")."""
    parts = low.split("-")
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

    def __init__(self, text: str, toks: Sequence[_Tok], lex: _Lex) -> None:
        self.text, self.toks, self.lex = text, toks, lex

    # -- small predicates
    def contiguous(self, a: int, b: int) -> bool:
        return 0 <= a and b < len(self.toks) and _contiguous(self.toks, a, b, self.text)

    def is_name_tok(self, i: int) -> bool:
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
        """Index after a run of name tokens starting at `i` (== i when none)."""
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
        toks, k = self.toks, i
        det = toks[k].low if toks[k].low in self.lex.dets else None
        if det:
            k += 1
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
        """The speaker phrase starting at token `i`."""
        if not 0 <= i < len(self.toks):
            return None
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
        for i, t in enumerate(toks):
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


def _nationality(low: str) -> bool:
    """A lower-case country adjective (amerikanische, américaine, kasachische)."""
    return bool(re.search(r"(?:isch(?:e[nrms]?)?|ain(?:e|s|es)?|ais(?:e|es)?|ienne?s?)$", low)) or low.startswith(
        ("amerikan", "américain", "americain")
    )


# --------------------------------------------------------------------------- persons


@dataclass
class _Person:
    names: list[str]
    gender: str | None = None

    @property
    def full(self) -> str:
        """The longest form the article uses (most words, then most characters)."""
        return max(self.names, key=lambda n: (len(n.split()), len(n)))

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
                for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?:s|'s|’s)?(?!\w)", text):
                    if not _inside(quotes, m.start()):
                        found.append((m.start(), m.start() + len(surname), p))
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


def _collect_appositions(text: str, toks: Sequence[_Tok], lex: _Lex, reg: _Registry) -> None:
    """Role -> person links: "Außenminister Antony Blinken", "Donald Lu, der … Diplomat", "ROLE …, Name,"."""
    parser = _Parser(text, toks, lex)
    i = 0
    while i < len(toks):
        role = _role_at(toks, i, text)
        if role is None:
            i += 1
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
        i += role.n
    _name_then_role(text, toks, parser, reg)


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


def _name_then_role(text: str, toks: Sequence[_Tok], parser: _Parser, reg: _Registry) -> None:
    """"Donald Lu, der führende US-Diplomat", "Jennifer Brick Murtazaschwili, Expertin für …"."""
    for k in range(len(toks) - 1):
        gap = text[toks[k].end : toks[k + 1].start]
        if gap.strip() != ",":
            continue
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


def extract_quotes(text: str, language: str | None) -> list[Quote]:
    """All top-level quotations in `text`, in order, with kind and (resolved) speaker."""
    if not text:
        return []
    lex = _Lex(_resolve_language(text, language))
    spans = _scan_quotes(text)
    if not spans:
        return []
    segs = [(s.start, s.end) for s in segment(text, None if lex.lang == "any" else lex.lang)]
    drafts = _drafts(text, spans, segs, lex)
    reg = _Registry()
    _find_speakers(text, drafts, spans, segs, lex)
    _build_registry(text, drafts, spans, lex, reg)
    quotes = [_finish(d, reg) for d in drafts]
    _continue_quotes(drafts, quotes)
    logger.debug("extracted %d quotations (%s), %d persons", len(quotes), lex.lang, len(reg.persons))
    return quotes


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
    text: str, drafts: list[_Draft], spans: Sequence[_Span], segs: Sequence[tuple[int, int]], lex: _Lex
) -> None:
    """Kind and speaker mention of every draft (rules 1-4 and 6; rule 5 runs after resolution)."""
    for n, d in enumerate(drafts):
        next_start = drafts[n + 1].span.start if n + 1 < len(drafts) else len(text)
        after = _Parser(text, _tokens(text, d.span.end, min(d.sent_end, next_start), spans, lex), lex)
        before = _Parser(text, _tokens(text, d.sent_start, d.span.start, spans, lex), lex)
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
            d.mention = _previous_sentence(text, d, spans, segs, lex)
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
    text: str, d: _Draft, spans: Sequence[_Span], segs: Sequence[tuple[int, int]], lex: _Lex
) -> _Mention | None:
    """Rule 6: a speech-verb clause in the sentence before, within the same paragraph."""
    starts = [s for s, _ in segs]
    k = bisect.bisect_right(starts, d.span.start) - 1
    if k < 1:
        return None
    p_start, p_end = segs[k - 1]
    if "\n" in text[p_end : d.span.start] or any(p_start <= q.start < p_end for q in spans):
        return None  # other paragraph, or its speech verb already belongs to a quotation of its own
    return _last(_Parser(text, _tokens(text, p_start, p_end, spans, lex), lex).clauses())


def _last(mentions: Iterator[_Mention]) -> _Mention | None:
    out = None
    for m in mentions:
        out = m
    return out


def _build_registry(text: str, drafts: Sequence[_Draft], spans: Sequence[_Span], lex: _Lex, reg: _Registry) -> None:
    """Persons from appositions, speech clauses anywhere and quotation attributions."""
    toks = _tokens(text, 0, len(text), spans, lex)
    _collect_appositions(text, toks, lex, reg)
    for m in _Parser(text, toks, lex).clauses():
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
