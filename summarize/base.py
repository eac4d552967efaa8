"""The summarizer interface: a length budget in, one citable summary per article out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from compare.errors import InputError
from compare.model import ArticleResult


def _check_limit(name: str, value: object) -> None:
    # bool is an int subclass: Budget(sentences=True) is a bug, not "one sentence"
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"summary budget: {name} must be a positive whole number or None, got {value!r}")


@dataclass(frozen=True)
class Budget:
    """How long a summary may be: at most `sentences` sentences and at most `chars`
    characters of summary text (sentences joined by one space).

    A summary stops at whichever limit is hit first; None means no limit of that kind,
    and both None means no limit at all (every usable sentence, or the model's whole
    output). One exception keeps summaries from being empty: when not even the first
    sentence fits `chars`, the summary is that one sentence alone.
    """

    sentences: int | None = 3
    chars: int | None = None

    def __post_init__(self) -> None:
        _check_limit("sentences", self.sentences)
        _check_limit("chars", self.chars)

    def to_dict(self) -> dict[str, int | None]:
        return {"sentences": self.sentences, "chars": self.chars}

    @classmethod
    def choose(cls, sentences: int | None, chars: int | None) -> Budget:
        """The budget of the command-line options: a character budget wins over the sentence count."""
        return cls(sentences=None, chars=chars) if chars else cls(sentences=sentences)


@dataclass
class Summary:
    """One article's summary.

    Extractive summaries copy sentences: `sentences` lists their ids ("A1", "A4") in
    article order and `offsets` their `[start, end]` in the article's text, so every
    word can be traced to its source. Abstractive summaries write new text: their
    `sentences` and `offsets` are empty, since no generated sentence is a copy of one
    input sentence (and claiming one would be a false citation).
    """

    article: str
    text: str
    sentences: list[str] = field(default_factory=list)
    method: str = ""
    offsets: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sentences": list(self.sentences),
            "method": self.method,
            "offsets": [list(pair) for pair in self.offsets],
        }

    @classmethod
    def from_dict(cls, article: str, data: dict[str, Any]) -> Summary:
        """Inverse of `to_dict` (the article id is not part of the dict)."""
        return cls(
            article=article,
            text=str(data["text"]),
            sentences=[str(s) for s in data.get("sentences", [])],
            method=str(data.get("method", "")),
            offsets=[[int(a), int(b)] for a, b in data.get("offsets", [])],
        )


@runtime_checkable
class Summarizer(Protocol):
    """Summarises one segmented article within a budget.

    `name` identifies the method and its settings ("extractive(e5,...)", "hf:..."); it is
    what the result shows as `method` and part of every cache key.
    """

    name: str

    def summarize(self, result: ArticleResult, budget: Budget) -> Summary: ...


def body_sentences(result: ArticleResult) -> list[Any]:
    """The claims of an article: headings and datelines summarise nothing."""
    return [s for s in result.sentences if s.kind == "sentence" and s.text.strip()]
