"""Render a comparison in a named format and write it without ever leaving a half-written file."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from compare.errors import OutputError
from compare.export.csv_export import to_csv
from compare.export.html import to_html
from compare.export.json_export import to_json
from compare.export.markdown import to_markdown
from compare.model import Comparison

logger = logging.getLogger(__name__)

__all__ = ["FORMATS", "render", "write_atomic"]

FORMATS: tuple[str, ...] = ("md", "html", "csv", "json")

_RENDERERS: dict[str, Callable[[Comparison], str]] = {
    "md": to_markdown,
    "html": to_html,
    "csv": to_csv,
    "json": to_json,
}


def render(c: Comparison, fmt: str, text: bool = True) -> str:
    """Render `c` as one of FORMATS (case-insensitive); an unknown format is a programming error.

    `text=False` leaves the article texts out of the JSON result (`--no-text`); the other
    formats are reports that show the articles and ignore it.
    """
    key = fmt.strip().lower().lstrip(".") if isinstance(fmt, str) else ""
    renderer = _RENDERERS.get(key)
    if renderer is None:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if key == "json":
        return to_json(c, text=text)
    return renderer(c)


def _umask() -> int:
    """The process umask, read without changing it where possible (os.umask is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).replace("\n", " ")


def write_atomic(path: str | Path, content: str, force: bool = False) -> Path:
    """Write `content` (UTF-8) to `path` atomically: readers see the old file or the new one, never half.

    Refuses to replace an existing file unless `force`. The text goes to a temporary file
    in the target's directory (same filesystem, so `os.replace` is atomic), is fsynced,
    then renamed over the target; the temporary file is removed on any failure. A new file
    gets 0o666 minus the umask (like `open`), an overwritten one keeps its mode.
    """
    target = Path(path)
    parent = target.parent
    if target.is_dir():
        raise OutputError(f"{target} is a directory")
    if not parent.is_dir():
        problem = "is not a directory" if parent.exists() else "does not exist"
        raise OutputError(f"directory {parent} {problem}")
    exists = os.path.lexists(target)
    if exists and not force:
        raise OutputError(f"{target} exists; use --force to overwrite")

    mode = 0o666 & ~_umask()
    if exists:
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(os.stat(target).st_mode)

    prefix = "." + re.sub(r"\s+", "_", target.name) + "."
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", delete=False, dir=parent, prefix=prefix, suffix=".tmp"
        ) as fh:
            tmp_name = fh.name
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc
    except UnicodeEncodeError as exc:
        raise OutputError(f"cannot write {target}: text is not valid UTF-8 ({exc.reason})") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)

    _fsync_dir(parent)
    logger.info("wrote %s (%d characters)", target, len(content))
    return target


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; best effort (not possible on every OS/filesystem)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
