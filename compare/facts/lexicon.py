"""Word lists as data: `compare/data/<language>/<name>.txt`, one entry per line.

The extractors reason about words (a negation cue, a speech verb, a month name) but
should not spell them: the lists live in versioned text files, one folder per language,
so adding French or Spanish is adding files, not editing modules. Lines are stripped;
empty lines and lines starting with "#" are skipped; entries keep their case and order.

Lists of pairs write one "entry = value" per line (`lexicon_pairs`): a qualifier and its
class ("mehr als = over"), a scale word and its multiplier ("Mio\\.? = 1e6").

Folders searched, later ones adding to earlier ones (entries of one list are merged,
duplicates dropped): the built-in `compare/data`, then each folder in the environment
variable PARALLAX_LEXICONS (os.pathsep-separated), then folders given to
`add_lexicon_dir`. Reads are cached; `add_lexicon_dir` clears the cache.
"""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from pathlib import Path

from compare.errors import InputError

logger = logging.getLogger(__name__)

__all__ = ["BUILTIN", "ENV_VAR", "add_lexicon_dir", "lexicon", "lexicon_pairs", "lexicon_languages", "lexicon_dirs"]

BUILTIN = Path(__file__).resolve().parent.parent / "data"
ENV_VAR = "PARALLAX_LEXICONS"
_EXTRA: list[Path] = []
_SAFE = re.compile(r"[A-Za-z0-9_-]+")  # list names and language codes are plain file names


def lexicon_dirs() -> list[Path]:
    """The folders searched, in order (see module docstring)."""
    return [BUILTIN, *_env_dirs(os.environ.get(ENV_VAR, "")), *_EXTRA]


@lru_cache(maxsize=8)
def _env_dirs(value: str) -> tuple[Path, ...]:
    """The folders named in PARALLAX_LEXICONS, checked once per value (lists are looked up
    per sentence): one that does not exist is an error, not a silently unused setting."""
    folders = tuple(Path(p) for p in value.split(os.pathsep) if p.strip())
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"{ENV_VAR}: lexicon folder not found: {folder}")
    return folders


def add_lexicon_dir(path: str | Path) -> None:
    """Add a folder of `<language>/<name>.txt` lists (e.g. a new language) for this process."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(f"lexicon folder not found: {folder}")
    _EXTRA.append(folder)
    _read.cache_clear()
    _languages.cache_clear()
    logger.info("lexicon folder added: %s", folder)


@lru_cache(maxsize=None)
def _read(name: str, language: str, dirs: tuple[Path, ...]) -> tuple[str, ...]:
    entries: dict[str, None] = {}
    for folder in dirs:
        path = folder / language / f"{name}.txt"
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"{path}: cannot read lexicon (UTF-8 text expected): {exc}") from None
            for line in text.splitlines():
                entry = line.strip()
                if entry and not entry.startswith("#"):
                    entries.setdefault(entry, None)
    return tuple(entries)


def lexicon(name: str, language: str) -> tuple[str, ...]:
    """The entries of list `name` for `language` ("de", "en", ...); empty when none exists."""
    if not (_SAFE.fullmatch(name) and _SAFE.fullmatch(language)):
        return ()
    return _read(name, language, tuple(lexicon_dirs()))


@lru_cache(maxsize=None)
def _languages(name: str, dirs: tuple[Path, ...]) -> tuple[str, ...]:
    found = {p.parent.name for folder in dirs if folder.is_dir() for p in folder.glob(f"*/{name}.txt")}
    return tuple(sorted(found))


def lexicon_languages(name: str) -> tuple[str, ...]:
    """Languages that have list `name`, sorted."""
    return _languages(name, tuple(lexicon_dirs()))


def lexicon_pairs(name: str, language: str) -> tuple[tuple[str, str], ...]:
    """Entries "key = value" of list `name`, split at the last " = " and stripped."""
    pairs = []
    for entry in lexicon(name, language):
        key, sep, value = entry.rpartition(" = ")
        if not sep:
            raise InputError(f"lexicon {language}/{name}: expected 'entry = value', got {entry!r}")
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)
