"""Find the stories of a batch: a folder of story folders, or a JSONL file with a `story` key per line.

A broken piece of input (an invalid line, an unreadable file) must not stop the batch:
it becomes an error on its story (or a story of its own, "line N", when no story key can
be read) and everything else carries on. Articles without a story (loose files at the
top of the folder, JSONL lines without `story`) are kept apart for `--cluster`.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compare.decode import decode_bytes
from compare.errors import InputError, ParallaxError, one_line
from compare.ingest import SUPPORTED_EXTENSIONS, article_from_record, load_file
from compare.model import Article

logger = logging.getLogger(__name__)

# Names the batch itself writes at the top of --out; a story folder must never take one.
RESERVED_NAMES = frozenset({"index.jsonl", "index.html", "clusters.json"})
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
MAX_FOLDER_CHARS = 80
_STORY_KEY_RE = re.compile(r'"story"\s*:\s*"((?:[^"\\]|\\.)*)"')


@dataclass
class Story:
    """One story to compare: its articles, or why its input cannot be used."""

    name: str
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    folder: str | None = None  # safe, unique folder name under --out (set by assign_folders)

    @property
    def error(self) -> str | None:
        return "; ".join(self.errors) if self.errors else None


@dataclass
class BatchInput:
    """Stories in input order, plus articles that came without a story (for --cluster)."""

    stories: list[Story]
    loose: list[tuple[str, Article]] = field(default_factory=list)  # (where it came from, article)


def read_input(path: str | Path) -> BatchInput:
    """Stories from a folder of story folders or from a .jsonl file; InputError when neither."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: does not exist")
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() != ".jsonl":
        raise InputError(f"{path}: expected a folder of story folders or a .jsonl file")
    return _read_jsonl(path)


def _read_folder(root: Path) -> BatchInput:
    stories: list[Story] = []
    loose: list[tuple[str, Article]] = []
    entries = sorted((p for p in root.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    for entry in entries:
        if entry.is_dir():
            stories.append(_read_story_folder(entry))
        elif entry.suffix.lower() in SUPPORTED_EXTENSIONS:
            try:
                loose.extend((str(entry), a) for a in load_file(entry))
            except ParallaxError as exc:
                stories.append(Story(name=entry.name, errors=[one_line(exc)]))
    if not stories and not loose:
        raise InputError(f"{root}: no story folders or article files found")
    return BatchInput(stories, loose)


def _read_story_folder(folder: Path) -> Story:
    """Every article file of one story folder; a file that cannot be read is an error on the story."""
    story = Story(name=folder.name)
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")), key=lambda p: p.name)
    for file in files:
        try:
            story.articles.extend(load_file(file))
        except ParallaxError as exc:
            story.errors.append(one_line(exc))
    if not files:
        story.errors.append(f"{folder}: no article files")
    story.articles = dedupe_ids(story.articles)
    return story


def _read_jsonl(path: Path) -> BatchInput:
    """Line by line, so one broken line costs only its own story."""
    by_name: dict[str, Story] = {}
    stories: list[Story] = []
    loose: list[tuple[str, Article]] = []
    positions: dict[str, int] = {}

    def story_for(name: str) -> Story:
        if name not in by_name:
            by_name[name] = Story(name=name)
            stories.append(by_name[name])
        return by_name[name]

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    # Decoded like every other input (BOM, UTF-16, cp1252 ...), never with replacement characters:
    # offsets point into the `text` fields exactly as the archive holds them.
    lines = list(enumerate(decode_bytes(data, str(path)).split("\n"), start=1))
    for lineno, line in lines:
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            record = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            reason = f"{where}: invalid JSON: {exc.msg} (column {exc.colno})"
            key = _STORY_KEY_RE.search(line)
            name = _story_key_from_match(key)
            if name is None:
                stories.append(Story(name=where, errors=[reason]))
            else:
                story_for(name).errors.append(reason)
            continue
        name = _story_key(record)
        if isinstance(record, dict) and "story" in record and name is None:
            stories.append(Story(name=where, errors=[f"{where}: 'story' must be a non-empty string or number"]))
            continue
        try:
            position = positions.get(name or "", 0) + 1
            article = article_from_record(record, f"article-{position}", f"{path}:{lineno}", where)
        except ParallaxError as exc:
            if name is None:
                stories.append(Story(name=where, errors=[one_line(exc)]))
            else:
                story_for(name).errors.append(one_line(exc))
            continue
        positions[name or ""] = position
        if name is None:
            loose.append((where, article))
        else:
            story_for(name).articles.append(article)
    if not stories and not loose:
        raise InputError(f"{path}: file is empty (no JSON lines)")
    for story in stories:
        story.articles = dedupe_ids(story.articles)
    return BatchInput(stories, loose)


def _story_key(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    value = record.get("story")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    return text or None


def _story_key_from_match(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    try:
        return _story_key({"story": json.loads(f'"{match.group(1)}"')})
    except json.JSONDecodeError:
        return None


def dedupe_ids(articles: list[Article]) -> list[Article]:
    """Unique ids within one story, in order: a repeated id gets -2, -3, ..."""
    taken = {a.id for a in articles}
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            n = 2
            while f"{article.id}-{n}" in taken:
                n += 1
            article.id = f"{article.id}-{n}"
            taken.add(article.id)
        seen.add(article.id)
    return articles


def safe_folder_name(name: str) -> str:
    """A folder name that stays inside --out: no separators, no leading dots, no device names."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[^\w.\-]+", "-", text, flags=re.UNICODE)
    text = re.sub(r"-{2,}", "-", text).strip(".-_")[:MAX_FOLDER_CHARS].strip(".-_")
    if not text:
        return "story"
    if text.split(".")[0].casefold() in _WINDOWS_DEVICES:
        text = f"_{text}"
    return text


def assign_folders(stories: list[Story]) -> list[Story]:
    """Give each story a unique safe folder (case-insensitively unique: macOS and Windows fold case)."""
    used = {n.casefold() for n in RESERVED_NAMES}
    for story in stories:
        base = safe_folder_name(story.name)
        candidate, n = base, 2
        while candidate.casefold() in used:
            candidate = f"{base}-{n}"
            n += 1
        used.add(candidate.casefold())
        story.folder = candidate
    return stories
