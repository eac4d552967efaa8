"""Turn the bytes of an input file into text, or one clear error line saying why not.

Articles arrive from many tools: UTF-8 with or without BOM, UTF-16 from Windows
editors, cp1252/latin-1 from older CMS exports. Decoding must never silently
mangle umlauts or typographic quotes, because every later character offset
points into the decoded string. For the same reason nothing else changes: line
endings (\r\n, \r) and surrounding whitespace stay as the file has them; only a
byte-order mark, which is not text, is dropped.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

from compare.errors import InputError

logger = logging.getLogger(__name__)

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of control characters (other than ordinary whitespace) above which text is binary.
_MAX_CONTROL_SHARE = 0.01
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# Legacy code pages worth preferring for European news, best first (ties go to the first).
_PREFERRED = ("cp1252", "cp1250", "cp1251")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# Non-letters that normally touch letters; anything else glued to a letter is suspicious.
_WORD_PUNCTUATION = frozenset("„“”‘’‚«»‹›…–—¡¿°€£§")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode `data` (read from `name`) to its text: no BOM, line endings as given.

    Raises InputError for empty, binary or undecodable input.
    """
    if not data:
        raise InputError(f"{name}: file is empty")
    text, encoding = _decode(data, name)
    text = text.removeprefix("\ufeff")  # a BOM written twice (the first one _decode already dropped)
    if not text.strip():
        raise InputError(f"{name}: file is empty (only whitespace)")
    if _looks_binary(text):
        raise InputError(f"{name}: looks like a binary file, not text")
    logger.debug("decoded %s as %s", name, encoding)
    return text


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Pick the encoding: BOM first, then strict UTF-8, then a cp1252-biased guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: cannot decode as {encoding} despite its byte-order mark ({exc.reason})") from None
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text (contains NUL bytes)")
    if len(data) - len(data.translate(None, _CONTROL_BYTES)) > max(1, _MAX_CONTROL_SHARE * len(data)):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy_encoding(data)
    if encoding is None:
        raise InputError(f"{name}: cannot decode text (not UTF-8, UTF-16 or a known single-byte encoding)")
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"{name}: cannot decode text (guessed {encoding}, but it does not fit)") from None


def _guess_legacy_encoding(data: bytes) -> str | None:
    """The common news code page (cp1252, cp1250, cp1251) that reads `data` most cleanly.

    For short texts charset-normalizer often ranks cp1250, Mac or even EBCDIC code
    pages first although cp1252 reads the text perfectly. So among the readings it
    accepts, prefer the common code pages, judge them by stray symbols (Polish "ł"
    read as cp1252 gives "³"), and let cp1252 win ties: umlauts and „quotes“ survive.
    """
    matches = from_bytes(data)
    ranked: list[tuple[int, int, str]] = []
    for match in matches:
        for rank, encoding in enumerate(_PREFERRED):
            if encoding in match.could_be_from_charset:
                ranked.append((_oddities(str(match)), rank, encoding))
                break
    if ranked:
        return min(ranked)[2]
    best = matches.best()
    return best.encoding if best is not None else None


def _oddities(text: str) -> int:
    """Signs of a wrong code page: symbols glued to letters, Latin and Cyrillic letters mixed."""
    count = 0
    for m in _NON_ASCII_RE.finditer(text):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch.isalpha():
            if _is_cyrillic(ch) and (_is_latin(before) or _is_latin(after)):
                count += 1
        elif not ch.isspace() and ch not in _WORD_PUNCTUATION and (before.isalpha() or after.isalpha()):
            count += 1
    return count


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and ch <= "\u024f"


def _looks_binary(text: str) -> bool:
    """True when control characters (C0 other than whitespace, DEL, C1) are more than a trace."""
    controls = len(_CONTROL_RE.findall(text))
    return controls > max(1, _MAX_CONTROL_SHARE * len(text))
