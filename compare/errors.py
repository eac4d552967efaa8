"""Exceptions the CLI and app turn into one clear line for the user."""

from __future__ import annotations


class ParallaxError(Exception):
    """Base class: anything the user should see as a one-line message, not a traceback."""


class InputError(ParallaxError):
    """The user's input cannot be used (missing, empty, binary, undecodable, too large...)."""


class ModelError(ParallaxError):
    """A model backend cannot be loaded or used (bad spec, missing weights, offline hub)."""


class OutputError(ParallaxError):
    """A result cannot be written where the user asked (exists without --force, not writable)."""


def one_line(exc: BaseException, limit: int | None = None) -> str:
    """The first non-empty line of an error's message (its type name if it has none),
    cut to `limit` characters: what a user is shown instead of a traceback."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."
