"""Sentence segmentation for news articles (German, English, French).

`segment(text, language)` returns `Segment(start, end, kind)` spans into `text`:

* the text is split into lines first; a sentence never crosses a line break;
* short lines without sentence-final punctuation, dash-wrapped lines
  ("– Komplexe Haltung –") and Markdown "# ..." lines are one `heading` each;
* a line holding a given title span (`headings=`: the title line of a .txt or
  .md file) is one `heading`, whatever it looks like;
* an agency dateline at the start of a paragraph ("WASHINGTON –",
  "BERLIN (dpa) -", "NEW YORK, March 3 (Reuters) -") is its own `dateline`;
* everything else is split into sentences by pysbd, then corrected: pysbd only
  proposes cut points, and a cut is kept only if it does not fall inside a
  quotation, after an abbreviation, before a lowercase attribution, etc.

Invariants: every span is stripped of surrounding whitespace, spans are sorted
and disjoint, and every non-whitespace character of `text` lies in one span. Line breaks may be
\n, \r\n or \r (text is segmented as the user gave it); no span contains one.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import pysbd
from pysbd.languages import LANGUAGE_CODES
from pysbd.utils import TextSpan

from compare.model import Segment

logger = logging.getLogger(__name__)

__all__ = ["segment", "pysbd_language"]

# --------------------------------------------------------------------------- constants

_LINE_RE = re.compile(r"[^\n\r\u2028\u2029\x85\x0b\x0c]+")

HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 14

_TERMINAL = set(".!?…‽")
# Characters that may follow the final punctuation of a sentence.
_TRAILING_CLOSERS = set("\"'”“’‘»«›‹)]}")
_DASHES = "–—―-"

# Quotation marks: opener -> characters that close it.
_QUOTE_PAIRS: dict[str, str] = {
    "„": "“”\"",  # German „…“ (also the common „…” and „…" variants)
    "‚": "‘’",  # German single ‚…‘
    "“": "”“",  # English “…” (and the sloppy “…“)
    "‘": "’",  # English single ‘…’
    "«": "»",  # French « … »
    "»": "«",  # German »…«
    "‹": "›",
    "›": "‹",
    '"': '"',
}
_QUOTE_CHARS = frozenset("„‚“”‘’«»‹›\"")
_QUOTE_RE = re.compile("[" + re.escape("".join(sorted(_QUOTE_CHARS))) + "]")
# Stand-in for quotation marks that pysbd should ignore (a symbol with no meaning to it).
_NEUTRAL_MARK = "\u2033"
# Context that may precede an opening quotation mark.
_OPEN_CONTEXT = set("([{<–—―-/:„“‚‘»«›‹\"'")

# Abbreviations after which pysbd (0.3.x) cuts although a sentence rarely ends
# there; a cut right after "<abbr>." is dropped.  Checked case-sensitively.
_NEVER_FINAL = frozenset(
    """
    Abb Abs Anm Bd Bhf Dipl Dr Fr Gen Hbf Hr Hrsg Ing Kap Pkt Präs Prof Proz Tel Tsd Univ Verf Ziff
    geb inkl bzw ca vgl sog ggf evtl Nr Mio Mrd Mill
    Jan Feb Mär Mrz Apr Jun Jul Aug Sep Sept Okt Nov Dez
    Gov Sen Rep Lt Col Capt Sgt Pres Ft Mt Mr Mrs Ms St approx est No
    Oct Dec
    MM Mgr Me Pr Gal Cie cf av ex janv févr avr juil déc
    bn mln mn md mds mio
    """.split()
)
# Abbreviations that may end a sentence; a cut after them is dropped only when
# the next fragment starts with a lowercase letter or a digit.
_LOWERCASE_CONT = frozenset("etc usw Jh Min Std Mon Di Mi Do Sa So Ave Inc Corp Co Ltd Jr p".split())

# Long lines are segmented in chunks of about this size (pysbd's run time grows quadratically).
CHUNK_CHARS = 2000
CHUNK_CONTEXT = 200
# A rough sentence end: punctuation, optional closing quotes, whitespace, then an uppercase start.
_ROUGH_END_RE = re.compile(r"[.!?…]+[\"'”“’»«)]*\s+(?=[\"'„“‚‘«»(]?[A-ZÄÖÜÀ-ÖØ-Þ0-9])")

_WORD_RE = re.compile(r"\w", re.UNICODE)

# Datelines ---------------------------------------------------------------------------
_UC = "A-ZÄÖÜÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ"
_CAPS_WORD = rf"[{_UC}](?:[{_UC}.'’]|-(?=[{_UC}]))*[{_UC}.]"
_AGENCY = (
    r"dpa|afp|ap|reuters|kna|epd|sda|apa|sid|dts|ddp|ots|afx|ansa|efe|xinhua|tass|bloomberg|upi|"
    r"belga|anp|ats|cnn|bbc|ria|interfax"
)
_DASH_PART = r"(?:[ \t]*(?:—|–|―|--)|[ \t]+-)[ \t]*(?=\S)"
_DATELINE_CAPS_RE = re.compile(
    rf"(?P<place>{_CAPS_WORD}(?:[ /]{_CAPS_WORD}){{0,4}})"
    r"(?:,[ \t]*(?:(?=[^\n()–—-]{0,30}\d)[^\n()–—-]{1,30}?"  # ", March 3"
    rf"|[{_UC}][\w.'’]+(?:[ \t][{_UC}][\w.'’]+){{0,2}}))?"  # ", Germany", ", New Mexico"
    r"(?:[ \t]*\([^()\n]{1,40}\))?"  # "(Reuters)"
    + _DASH_PART
)
_DATELINE_AGENCY_RE = re.compile(  # "Berlin (dpa) –": mixed case needs a known agency
    r"(?!(?:Die|Der|Das|Den|Dem|Ein|Eine|The|An?|Les?|La|Une?)\b)"
    rf"[{_UC}][\w.'’-]+(?:[ \t][{_UC}][\w.'’-]+){{0,2}}"
    r"(?:,[ \t]*(?=[^\n()–—-]{0,30}\d)[^\n()–—-]{1,30}?)?"
    rf"[ \t]*\([^()\n]{{0,20}}\b(?i:{_AGENCY})\b[^()\n]{{0,20}}\)" + _DASH_PART
)

# A closed quotation ending a sentence, then an uppercase start: '« Non ! » Puis', '“Yes.” “No.”'.
_QUOTE_END_RE = re.compile(
    rf"[.!?…][ \t\u00a0\u202f]*([”“»«\"’›‹])[ \t\u00a0\u202f]+(?=[„“‚‘«»\"‹›(]?[ \t\u00a0\u202f]?[{_UC}0-9])"
)

_MARKDOWN_HEADING_RE = re.compile(r"#{1,6}\s+\S")
_DASH_WRAPPED_RE = re.compile(r"[–—―-]+\s+\S.*\S\s+[–—―-]+")

_lock = threading.Lock()


# --------------------------------------------------------------------------- helpers


def pysbd_language(language: str | None) -> str:
    """The pysbd language code used for `language` ("de-DE" -> "de"; unknown or None -> "en")."""
    if not language:
        return "en"
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGE_CODES else "en"


class _SpanSegmenter(pysbd.Segmenter):
    r"""pysbd's segmenter, locating its sentences in the text with `str.find`.

    pysbd finds each sentence's offsets by compiling `re.escape(sentence) + r"\s*"` and
    scanning the text with it: a fresh regex per sentence, about 40 % of pysbd's time on
    news paragraphs. `locate_sentences` makes the same scan without a regex, so the spans
    are the same (tests/test_segment_fastpaths.py compares both on real text).
    """

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        return locate_sentences(self.original_text, sentences)


def locate_sentences(text: str, sentences: Sequence[str]) -> list[TextSpan]:
    r"""Each sentence's first occurrence in `text`, with the whitespace after it, that ends
    past the previous one's end: pysbd 0.3.4's `sentences_with_char_spans`. Its regex
    finds non-overlapping occurrences left to right (the next search starts where a match,
    trailing whitespace included, ended), and `\s` is `str.isspace`, as here."""
    spans: list[TextSpan] = []
    prior_end, n = 0, len(text)
    for sent in sentences:
        if not sent:  # an empty pattern matches everywhere: pysbd's own regex scan
            match = next((m for m in re.finditer(r"\s*", text) if m.end() > prior_end), None)
            if match:
                spans.append(TextSpan(match.group(), match.start(), match.end()))
                prior_end = match.end()
            continue
        pos = 0
        while (start := text.find(sent, pos)) >= 0:
            end = start + len(sent)
            while end < n and text[end].isspace():
                end += 1
            if end > prior_end:
                spans.append(TextSpan(text[start:end], start, end))
                prior_end = end
                break
            pos = end
    return spans


@functools.lru_cache(maxsize=None)
def _segmenter(lang: str) -> pysbd.Segmenter:
    """One cached pysbd segmenter per language code."""
    logger.debug("creating pysbd segmenter for %r", lang)
    return _SpanSegmenter(language=lang, clean=False, char_span=True)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_word(s: str) -> bool:
    return _WORD_RE.search(s) is not None


def _ends_terminal(s: str) -> bool:
    """True when `s` ends with . ! ? … (optionally followed by closing quotes/brackets)."""
    s = s.rstrip()
    i = len(s)
    while i > 0 and (s[i - 1] in _TRAILING_CLOSERS or s[i - 1].isspace()):  # French "Non ! »"
        i -= 1
    return i > 0 and s[i - 1] in _TERMINAL


def _last_token(s: str) -> str:
    """The word before a final '.', without leading brackets or quotes ("(z.B." -> "z.B")."""
    s = s.rstrip()
    if not s.endswith("."):
        return ""
    m = re.search(r"(\S+)$", s[:-1])
    return m.group(1).lstrip("([{„“‚‘»«\"'") if m else ""


def _is_abbrev(token: str, lowercase_next: bool) -> bool:
    """Whether a cut after "<token>." should be dropped (`lowercase_next`: next piece starts lowercase/digit)."""
    if not token:
        return False
    tail = token.rsplit("-", 1)[-1] or token  # "US-Präs" -> "Präs"
    if token in _NEVER_FINAL or tail in _NEVER_FINAL:
        return True
    if not lowercase_next:
        return False
    if token in _LOWERCASE_CONT or tail in _LOWERCASE_CONT:
        return True
    # "z.B", "a.m", "É.-U", single letters ("u", "d"): abbreviation-like tokens
    return "." in token or (len(tail) == 1 and tail.isalpha())


@dataclass(frozen=True)
class _Quotes:
    """Quotation marks found in one line: matched (opener, closer) positions."""

    spans: tuple[tuple[int, int], ...]
    closers: frozenset[int]
    marks: tuple[int, ...]  # positions of all quotation marks (apostrophes excluded)

    def pysbd_view(self, line: str) -> str:
        """`line` with its quotation marks normalised for pysbd (same length).

        Outermost matched quotations become “…”, which pysbd protects in every
        language; all other marks become a neutral symbol.  This keeps pysbd from
        pairing „ with a far-away “ when a quotation is closed with ” („…”).
        """
        if not self.marks:
            return line
        chars = list(line)
        for i in self.marks:
            chars[i] = _NEUTRAL_MARK
        outer_end = -1
        for o, c in sorted(self.spans):
            if o > outer_end:
                chars[o], chars[c] = "“", "”"
                outer_end = c
        return "".join(chars)

    def protected(self, n: int) -> list[bool]:
        """protected[c] is True when cutting before position c would split a quotation."""
        depth = [0] * (n + 2)
        for o, c in self.spans:
            depth[o + 1] += 1
            depth[c + 1] -= 1
        return [d > 0 for d in itertools.accumulate(depth)]


def _scan_quotes(line: str) -> _Quotes:
    """Pair quotation marks in `line` with a stack (language independent)."""
    stack: list[tuple[str, int]] = []
    spans: list[tuple[int, int]] = []
    closers: set[int] = set()
    marks: list[int] = []
    n = len(line)
    for m in _QUOTE_RE.finditer(line):
        q, i = m.group(), m.start()
        before = line[i - 1] if i > 0 else " "
        after = line[i + 1] if i + 1 < n else " "
        if q == "’" and before.isalnum() and after.isalnum():
            continue  # apostrophe: "don’t"
        marks.append(i)
        # close the innermost (or a deeper, repairing the stack) matching opener
        depth = next((d for d in range(len(stack) - 1, -1, -1) if q in _QUOTE_PAIRS[stack[d][0]]), None)
        if depth is not None and not (q == '"' and before.isspace() and not after.isspace()):
            opener_pos = stack[depth][1]
            del stack[depth:]
            spans.append((opener_pos, i))
            closers.add(i)
            continue
        if q not in _QUOTE_PAIRS:
            continue  # a stray closer (” ’)
        if q in "«»‹›„‚":
            ok = True
        else:  # “ ‘ " open only at a plausible position
            ok = (before.isspace() or before in _OPEN_CONTEXT) and not after.isspace()
        if ok:
            stack.append((q, i))
    return _Quotes(tuple(spans), frozenset(closers), tuple(marks))


# --------------------------------------------------------------------------- sentences


def _pysbd_raw_cuts(line: str, lang: str) -> list[int]:
    """Sentence starts (after the first) that pysbd finds in `line`."""
    try:
        with _lock:  # pysbd segmenters keep per-call state
            spans = _segmenter(lang).segment(line)
    except Exception:  # pragma: no cover - defensive: never fail on odd input
        logger.warning("pysbd failed on a %d-char line; using a regex fallback", len(line), exc_info=True)
        return [m.end() for m in _ROUGH_END_RE.finditer(line)]
    n = len(line)
    cuts = set()
    for s in spans:
        c = s.start
        if 0 < c < n and not (line[c - 1].isalnum() and line[c].isalnum()):
            cuts.add(c)
    return sorted(cuts)


def _chunk_end(line: str, start: int, lang: str) -> tuple[int, bool]:
    """Where to end the chunk starting at `start`, and whether pysbd cuts there."""
    lo, hi = start + CHUNK_CHARS // 2, start + CHUNK_CHARS
    ends = [m.end() for m in _ROUGH_END_RE.finditer(line, lo, hi)]
    for c in reversed(ends[-3:]):  # verify a likely sentence end on a small window
        w0 = max(0, c - CHUNK_CONTEXT)
        if c - w0 in _pysbd_raw_cuts(line[w0 : c + CHUNK_CONTEXT], lang):
            return c, True
    ws = line.rfind(" ", lo, hi)
    return (ws + 1 if ws > lo else hi), False


def _pysbd_cuts(line: str, lang: str) -> list[int]:
    """Cut positions proposed by pysbd; long lines are fed in chunks (pysbd is quadratic)."""
    if len(line) <= CHUNK_CHARS:
        return _pysbd_raw_cuts(line, lang)
    cuts: list[int] = []
    start = 0
    while start < len(line):
        if len(line) - start <= CHUNK_CHARS:
            end, confirmed = len(line), False
        else:
            end, confirmed = _chunk_end(line, start, lang)
        cuts.extend(start + c for c in _pysbd_raw_cuts(line[start:end], lang))
        if confirmed:
            cuts.append(end)
        start = end
    return cuts


def _keep_cut(prev: str, nxt: str) -> bool:
    """Decide whether the boundary between `prev` and `nxt` is a real sentence boundary."""
    p, q = prev.rstrip(), nxt.lstrip()
    if not p or not q or not _has_word(p) or not _has_word(q):
        return False  # fragments that are only punctuation / quotes
    if not _ends_terminal(p):
        return False  # e.g. pysbd's list-item split "am | 3. Oktober"
    first = q[0]
    if first in ",;:" or (first in "-‐" and len(q) > 1 and q[1].isalnum()):
        return False  # ", sagte er." / "Dipl.-Ing." / "É.-U."
    if first.islower() and p[-1] in _TRAILING_CLOSERS and p[-1] not in ")]}":
        return False  # '"We are ready!" he said.'
    if _is_abbrev(_last_token(p), first.islower() or first.isdigit()):
        return False
    return True


_TERMINAL_RE = re.compile("[" + re.escape("".join(sorted(_TERMINAL))) + "]")


def _one_sentence(line: str) -> bool:
    """Whether every sentence-final mark (. ! ? … ‽) of `line` lies in its closing run of
    such marks, closers and spaces. Then no cut survives `_keep_cut`: text before a kept
    cut must end in such a mark, so the cut lies in that closing run, and the text after
    it, wordless, is refused. One-sentence paragraphs are common in news; pysbd costs
    about a millisecond each."""
    end = len(line)
    while end and (line[end - 1] in _TERMINAL or line[end - 1] in _TRAILING_CLOSERS or line[end - 1].isspace()):
        end -= 1
    return _TERMINAL_RE.search(line, 0, end) is None


def _sentence_spans(line: str, lang: str) -> list[tuple[int, int]]:
    """Stripped sentence spans (line-local offsets) of one line of running text."""
    n = len(line)
    if _one_sentence(line):  # pysbd could propose cuts, but _keep_cut would refuse them all
        a, b = _strip_span(line, 0, n)
        return [(a, b)] if a < b else []
    quotes = _scan_quotes(line)
    proposed = set(_pysbd_cuts(quotes.pysbd_view(line), lang))
    # pysbd misses boundaries after some closed quotations (French « Non ! » Puis ...)
    proposed.update(m.end() for m in _QUOTE_END_RE.finditer(line) if m.start(1) in quotes.closers)
    protected = quotes.protected(n)
    candidates = sorted(c for c in proposed if 0 < c < n and not protected[c])
    cuts: list[int] = []
    for i, c in enumerate(candidates):
        prev_start = cuts[-1] if cuts else 0
        next_end = candidates[i + 1] if i + 1 < len(candidates) else n
        if _keep_cut(line[prev_start:c], line[c:next_end]):
            cuts.append(c)
    spans = []
    bounds = [0, *cuts, n]
    for a, b in zip(bounds, bounds[1:]):
        a, b = _strip_span(line, a, b)
        if a < b:
            spans.append((a, b))
    return spans


# --------------------------------------------------------------------------- lines


def _is_heading(line: str) -> bool:
    """Whether a stripped line is a heading (short, no final punctuation, or dash-wrapped / Markdown)."""
    if _MARKDOWN_HEADING_RE.match(line):
        return True
    if not _has_word(line):
        return True  # separators such as "* * *"
    if len(line) <= HEADING_MAX_CHARS and _DASH_WRAPPED_RE.fullmatch(line):
        return True
    if len(line) > HEADING_MAX_CHARS or len(line.split()) > HEADING_MAX_WORDS:
        return False
    if _ends_terminal(line) or line[-1] in ",;" or line[-1] in _DASHES:
        return False
    return not line[0].islower()


def _dateline_end(line: str) -> int:
    """Length of a dateline prefix at the start of a stripped line ("WASHINGTON – "), else 0."""
    m = _DATELINE_CAPS_RE.match(line)
    if not (m and sum(ch.isalpha() for ch in m.group("place")) >= 3):
        m = _DATELINE_AGENCY_RE.match(line)
    if not m:
        return 0
    # the body must not start with a lowercase word ("NATO – das ist ...")
    body = line[m.end() :].lstrip("„“‚‘«»\"'‹›([")
    if not body or body[0].islower():
        return 0
    return m.end()


# Rewrites of a story (agency copy, updates, other outlets' edits) repeat most paragraphs,
# and pysbd costs about 1 ms per paragraph: 50 variants of one story segment in 0.6 s
# uncached, far less when each distinct paragraph is split once. Bounded, so a long batch
# holds at most LINE_CACHE_SIZE paragraphs of up to LINE_CACHE_MAX_CHARS characters.
LINE_CACHE_SIZE = 2048
LINE_CACHE_MAX_CHARS = 4000


@functools.lru_cache(maxsize=LINE_CACHE_SIZE)
def _line_spans_cached(line: str, lang: str) -> tuple[tuple[int, int], ...]:
    return tuple(_sentence_spans(line, lang))


def _segment_line(text: str, start: int, end: int, lang: str, out: list[Segment]) -> None:
    """Append the segments of the stripped line text[start:end] to `out`."""
    line = text[start:end]
    if _is_heading(line):
        out.append(Segment(start, end, "heading"))
        return
    d = _dateline_end(line)
    if d:
        a, b = _strip_span(text, start, start + d)
        out.append(Segment(a, b, "dateline"))
        start += d
        line = text[start:end]
    spans = _line_spans_cached(line, lang) if len(line) <= LINE_CACHE_MAX_CHARS else _sentence_spans(line, lang)
    for a, b in spans:
        out.append(Segment(start + a, start + b, "sentence"))


def segment(text: str, language: str | None = None, headings: Sequence[tuple[int, int]] = ()) -> list[Segment]:
    """Sentence, heading and dateline spans of `text` (cached: the engine and the quote
    extractor both segment every article, and rewrites repeat texts).

    `headings`: [start, end) spans (an article's title) whose lines are headings
    whatever they look like, so a title is never aligned or cited as a claim.
    """
    forced = tuple((int(a), int(b)) for a, b in headings)
    return [Segment(s.start, s.end, s.kind) for s in _segment_cached(text, language, forced)]


@functools.lru_cache(maxsize=256)
def _segment_cached(text: str, language: str | None, headings: tuple[tuple[int, int], ...] = ()) -> tuple[Segment, ...]:
    return tuple(_segment_uncached(text, language, headings))


def _segment_uncached(
    text: str, language: str | None = None, headings: tuple[tuple[int, int], ...] = ()
) -> list[Segment]:
    """Split `text` into sentence, heading and dateline segments (offsets into `text`).

    `language` is an ISO code ("de", "en", "fr", ...); unknown codes and None use
    pysbd's English rules.
    """
    if not text:
        return []
    lang = pysbd_language(language)
    out: list[Segment] = []
    for m in _LINE_RE.finditer(text):
        start, end = _strip_span(text, m.start(), m.end())
        if start >= end:
            continue
        if any(a < end and start < b for a, b in headings):
            out.append(Segment(start, end, "heading"))
        else:
            _segment_line(text, start, end, lang, out)
    logger.debug("segmented %d chars (%s) into %d segments", len(text), lang, len(out))
    return out
