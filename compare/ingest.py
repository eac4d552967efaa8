"""Load articles from files (or uploaded bytes) into `Article`s, or fail with one clear line.

Supported: .txt, .md, .html/.htm, .json (an object or a list of objects) and
.jsonl (one object per line). `Article.text` is the decoded text of the source as
given, because every later character offset points into it and a user must be able
to check `text[start:end]` on their own file: for .txt/.md the whole file (a title
line stays in the text; `Article.title_span` says where), for .html the extracted
main text, for .json/.jsonl the `text` field. Nothing is stripped or normalised;
the segmenter copes with surrounding whitespace and \r\n line endings.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from compare.decode import decode_bytes
from compare.errors import InputError
from compare.language import detect_language
from compare.model import Article

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024  # documented limit: larger inputs are rejected, not truncated
SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")

MAX_TITLE_CHARS = 150
_MIB = 1024 * 1024
# A line ending like a sentence (optionally followed by closing quotes/brackets) is not a title.
_SENTENCE_END_RE = re.compile(r"[.!?:;…][\"'”“»«’‘)\]]*$")
_MD_TITLE_RE = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*")  # ATX h1; "#tag" or "##" is not a title
# One line of text: the same line breaks the segmenter splits on (compare.segment._LINE_RE).
_LINE_RE = re.compile(r"[^\n\r\u2028\u2029\x85\x0b\x0c]+")
# Line breaks between JSONL records (a raw \r cannot occur inside a JSON string).
_JSONL_BREAK_RE = re.compile(r"\r\n?|\n")
_OPTIONAL_FIELDS = ("title", "source", "date", "url", "language")

Span = tuple[int, int]  # [start, end) character offsets into an article's text


def load_articles(paths: Sequence[str | Path]) -> list[Article]:
    """Load every file in order; ids are made unique across all of them."""
    articles: list[Article] = []
    for path in paths:
        articles.extend(load_file(path))
    return _dedupe_ids(articles)


def load_file(path: str | Path) -> list[Article]:
    """Check the path (exists, is a file, supported, not too large), then load its bytes."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file does not exist")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    _check_extension(str(path))
    try:
        size = path.stat().st_size
        _check_size(size, str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    return load_bytes(data, str(path))


def load_bytes(data: bytes, name: str) -> list[Article]:
    """Load articles from raw bytes; `name` (a path or upload name) picks the format by extension."""
    ext = _check_extension(name)
    _check_size(len(data), name)
    text = decode_bytes(data, name)
    stem = Path(name).stem
    if ext in (".txt", ".md"):
        span = txt_title_span(text) if ext == ".txt" else md_title_span(text)
        title = text[span[0] : span[1]] if span else None
        articles = [article_from_text(text, stem, title=title, origin=name, title_span=span)]
    elif ext in (".html", ".htm"):
        articles = [_article_from_html(text, stem, name)]
    elif ext == ".json":
        articles = _articles_from_json(text, name)
    else:
        articles = _articles_from_jsonl(text, name)
    logger.debug("loaded %d article(s) from %s", len(articles), name)
    return _dedupe_ids(articles)


def article_from_text(
    text: str,
    id: str,
    title: str | None = None,
    source: str | None = None,
    date: str | None = None,
    url: str | None = None,
    language: str | None = None,
    origin: str | None = None,
    title_span: Span | None = None,
) -> Article:
    """Build one Article from already-decoded text (also used for pasted text in the app).

    `text` is kept exactly as given (offsets index it); `title_span` is where `title`
    stands inside it, when the title was taken from the text (None for a title given
    on its own, like the app's title box or a JSON `title` field).
    """
    if not text.strip():
        raise InputError(f"{origin or id}: no article text found")
    if title_span is not None and not 0 <= title_span[0] < title_span[1] <= len(text):
        raise ValueError(f"title_span {title_span} lies outside the text ({len(text)} characters)")
    language = _clean(language)
    return Article(
        id=id,
        text=text,
        title=_clean(title),
        source=_clean(source),
        date=_clean(date),
        url=_clean(url),
        language=language.lower() if language else detect_language(text),
        origin=origin,
        title_span=title_span,
    )


def articles_from_records(records: Iterable[dict[str, Any]], origin: str) -> list[Article]:
    """Articles from JSON-like records (fields id, title, source, date, url, language, text)."""
    stem = Path(origin).stem
    articles = [
        article_from_record(record, stem, origin, f"{origin} record {i}")
        for i, record in enumerate(records, start=1)
    ]
    return _dedupe_ids(articles)


def first_line_span(text: str) -> Span | None:
    """[start, end) of the first line with any non-space character, without its surrounding spaces."""
    for match in _LINE_RE.finditer(text):
        start, end = match.span()
        line = match.group()
        stripped = line.strip()
        if stripped:
            start += len(line) - len(line.lstrip())
            return start, start + len(stripped)
    return None


def txt_title_span(text: str) -> Span | None:
    """Where the title of a plain-text article stands: a short first line that does not end
    like a sentence and is followed by more text; None when there is no such line."""
    span = first_line_span(text)
    if span is None or not text[span[1] :].strip():
        return None
    first = text[span[0] : span[1]]
    if len(first) > MAX_TITLE_CHARS or _SENTENCE_END_RE.search(first):
        return None
    return span


def md_title_span(text: str) -> Span | None:
    """Where the title of a Markdown article stands: the words of a first line `# Heading`
    (without the `#`), when more text follows; None otherwise."""
    span = first_line_span(text)
    if span is None or not text[span[1] :].strip():
        return None
    match = _MD_TITLE_RE.fullmatch(text, span[0], span[1])
    if not match:
        return None
    return match.span(1)


def _article_from_html(html: str, stem: str, name: str) -> Article:
    """Main text and metadata via trafilatura (boilerplate such as nav and footer dropped)."""
    import trafilatura  # imported here: slow to import, and only HTML input needs it

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, favor_precision=True
    )
    body = (doc.text or "") if doc is not None else ""
    if not body.strip():
        raise InputError(f"{name}: no article text found")
    title = _clean(doc.title)
    # trafilatura repeats the <h1> as the first line of the text: it stays, marked as the title.
    span = first_line_span(body)
    if not (title and span and body[span[0] : span[1]] == title and body[span[1] :].strip()):
        span = None
    return article_from_text(
        body, stem, title=title, source=doc.sitename, date=doc.date, url=doc.url, origin=name, title_span=span
    )


def _articles_from_json(text: str, name: str) -> list[Article]:
    """A .json file holds one article object or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    if isinstance(data, dict):
        return [article_from_record(data, Path(name).stem, name, name)]
    if isinstance(data, list) and data:
        return [
            article_from_record(record, Path(name).stem, name, f"{name} item {i}")
            for i, record in enumerate(data, start=1)
        ]
    raise InputError(f"{name}: expected a JSON object or a non-empty list of objects")


def _articles_from_jsonl(text: str, name: str) -> list[Article]:
    """A .jsonl file holds one article object per line; blank lines are skipped."""
    articles = []
    for lineno, line in enumerate(_JSONL_BREAK_RE.split(text), start=1):
        if not line.strip():
            continue
        where = f"{name} line {lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from None
        articles.append(article_from_record(record, Path(name).stem, f"{name}:{lineno}", where))
    if not articles:
        raise InputError(f"{name}: file is empty (no JSON lines)")
    return articles


def article_from_record(record: Any, default_id: str, origin: str, where: str) -> Article:
    """Validate one record strictly: `text` required, other known fields optional strings."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: missing 'text' (a non-empty string)")
    raw_id = record.get("id")
    if raw_id is None or raw_id == "":
        article_id = default_id
    elif isinstance(raw_id, (str, int, float)) and not isinstance(raw_id, bool):
        article_id = str(raw_id).strip() or default_id
    else:
        raise InputError(f"{where}: 'id' must be a string or number")
    fields: dict[str, str | None] = {}
    for key in _OPTIONAL_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: '{key}' must be a string")
        fields[key] = value
    return article_from_text(text, article_id, origin=origin, **fields)


def _check_extension(name: str) -> str:
    ext = Path(name).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "no extension"
        raise InputError(f"{name}: unsupported file type ({shown}); supported: {', '.join(SUPPORTED_EXTENSIONS)}")
    return ext


def _check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{name}: file is too large ({_fmt_size(size)}; the limit is {_fmt_size(MAX_FILE_BYTES)})"
        )


def _fmt_size(n: int) -> str:
    """'5 MB', '5.2 MB'; plain bytes below 0.1 MB (only seen with a lowered limit)."""
    if n < _MIB // 10:
        return f"{n} bytes"
    return f"{n / _MIB:.1f}".removesuffix(".0") + " MB"


def _clean(value: str | None) -> str | None:
    """Strip a metadata string; empty means absent. Newlines collapse so titles stay one line."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _dedupe_ids(articles: list[Article]) -> list[Article]:
    """Make ids unique in order: a repeated id gets -2, -3, ... (skipping ids already taken)."""
    seen: set[str] = set()
    taken = {a.id for a in articles}
    for article in articles:
        if article.id in seen:
            n = 2
            while f"{article.id}-{n}" in seen or f"{article.id}-{n}" in taken:
                n += 1
            article.id = f"{article.id}-{n}"
        seen.add(article.id)
    return articles
