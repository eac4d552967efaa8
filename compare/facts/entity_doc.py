"""An article prepared for entity extraction: its tokens and the spans claimed so far.

`_tokenize` splits the text into word tokens with case and adjacency facts; `_Doc` holds
them with the spans the passes of `entity_passes` claim (a token belongs to at most one
span). `Entity` is the result type `entities.extract_entities` builds from the spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compare.facts.gazetteer import _WORD_RE
from compare.facts.names import role_class


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_POSSESSIVE = re.compile(r"['’]s\b")
_BLANKS = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Entity:
    """One entity mention; ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    kind: str  # person, place, organisation, role, other
    key: str  # normalised match key (persons: last name; known places/orgs: canonical name)
    role_of: str | None = None  # for roles: the person it refers to, as named in the article


@dataclass(slots=True)
class _Tok:
    """One word token (slots: the passes read its fields a few hundred times a sentence)."""

    text: str
    start: int
    end: int
    low: str
    cap: bool
    upper: bool
    initial: bool
    possessive: bool  # followed by 's / ’s
    gap_before: str  # the characters between the previous token and this one


_OPENING = set("„“”\"'‘’«»‚‹›([–—-")
_SKIPPED_BEFORE = frozenset(" \t\u00a0") | _OPENING  # blanks and openers before a sentence's first word
_APOSTROPHES = ("'", "’")  # what `_POSSESSIVE` must start with


def all_caps(word: str) -> bool:
    """`_Tok.upper`: an acronym-like word of two or more characters, dots and hyphens aside
    ("UN", "U.S.", "EU-"), written in capitals only."""
    return len(word) >= 2 and word.replace(".", "").replace("-", "").isupper()


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = 0
    skipped = _SKIPPED_BEFORE
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        s, e = m.span()
        k = s - 1
        while k >= 0 and text[k] in skipped:
            k -= 1
        initial = k < 0 or text[k] in ".!?:\n"
        # the regex only where it can match: it starts with an apostrophe
        possessive = text[e : e + 1] in _APOSTROPHES and _POSSESSIVE.match(text[e : e + 3]) is not None
        toks.append(_Tok(
            word, s, e, word.lower(), word[0].isupper(), all_caps(word), initial, possessive, text[prev_end:s],
        ))
        prev_end = e
    return [t for i, t in enumerate(toks) if not (t.low == "s" and t.gap_before in ("'", "’") and i > 0)]


# --------------------------------------------------------------------------- spans


@dataclass
class _Span:
    i: int  # first token
    j: int  # one past the last token
    kind: str
    key: str
    start: int
    end: int
    canonical: str | None = None
    role_class: str | None = None
    qualifier: str | None = None  # canonical place name qualifying a role ("United States")
    role_of: str | None = None
    person_key: str | None = None  # key of the linked person, for roles
    via: str = ""  # which rule produced it (debugging)


@dataclass
class _Doc:
    text: str
    lang: str
    toks: list[_Tok]
    owner: list[int] = field(default_factory=list)
    spans: list[_Span] = field(default_factory=list)

    # whether each token follows the previous one with only blanks between (see `adjacent`)
    blank_before: list[bool] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.owner = [-1] * len(self.toks)
        # once per token here: the passes ask `adjacent` about a hundred times a sentence,
        # and the tokens (with their gaps) never change after tokenizing
        self.blank_before = [_BLANKS.fullmatch(t.gap_before) is not None for t in self.toks]

    def free(self, i: int, j: int) -> bool:
        return 0 <= i < j <= len(self.toks) and all(self.owner[k] < 0 for k in range(i, j))

    def claim(self, span: _Span) -> _Span:
        idx = len(self.spans)
        self.spans.append(span)
        for k in range(span.i, span.j):
            self.owner[k] = idx
        return span

    def drop(self, idx: int) -> None:
        """Withdraw a span (a later rule knows better); its tokens become free."""
        span = self.spans[idx]
        span.kind = "dropped"
        for k in range(span.i, span.j):
            self.owner[k] = -1

    def adjacent(self, i: int) -> bool:
        """Whether token i follows token i-1 with only spaces between (same phrase)."""
        return i > 0 and self.blank_before[i]

    def add(self, i: int, j: int, kind: str, key: str, via: str, **kw: object) -> _Span:
        start = kw.pop("start", self.toks[i].start)
        end = kw.pop("end", self.toks[j - 1].end)
        return self.claim(_Span(i=i, j=j, kind=kind, key=key, start=start, end=end, via=via, **kw))  # type: ignore[arg-type]
