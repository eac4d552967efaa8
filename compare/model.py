"""Plain result dataclasses; every field serialises to the `parallax/comparison@1` JSON schema."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = "parallax/comparison@1"

SentenceKind = Literal["sentence", "heading", "dateline"]
GroupStatus = Literal["agree", "conflict"]


@dataclass
class Article:
    """One source article as loaded; `text` is the exact string all offsets point into."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    origin: str | None = None  # file path (and line for .jsonl) it was read from
    # Where the title stands in `text` when it was taken from the text (a .txt title line,
    # a .md "# Heading", an HTML page's repeated <h1>); None for a title given on its own.
    title_span: tuple[int, int] | None = None


@dataclass
class Segment:
    """A span of an article's text found by the segmenter: `text[start:end]`."""

    start: int
    end: int
    kind: SentenceKind = "sentence"


@dataclass
class Sentence:
    """A segment with a stable citation id such as "A3" (article label + 1-based index)."""

    id: str
    article: str
    index: int
    start: int
    end: int
    text: str
    kind: SentenceKind = "sentence"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text, "kind": self.kind}


@dataclass
class Group:
    """A fact reported by two or more articles: the sentences (one or more per article) that report it."""

    id: str
    sentences: list[str]
    articles: list[str]
    score: float
    status: GroupStatus = "agree"
    # mean link probability from the calibrated pair scorer (compare.pairmodel)
    probability: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sentences": list(self.sentences),
            "articles": list(self.articles),
            "score": round(float(self.score), 4),
            "probability": None if self.probability is None else round(float(self.probability), 4),
            "status": self.status,
        }


@dataclass
class ArticleResult:
    """An article with its label and sentences, as it appears in the result."""

    article: Article
    label: str
    sentences: list[Sentence]

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": a.id,
            "label": self.label,
            "title": a.title,
            "source": a.source,
            "date": a.date,
            "url": a.url,
            "language": a.language,
            "text_length": len(a.text),
            "title_span": list(a.title_span) if a.title_span is not None else None,
            "text": a.text,
            "sentences": [s.to_dict() for s in self.sentences],
        }

# Quotations that are statements of their speaker; scare quotes and quoted names are not.
STATEMENT_QUOTE_KINDS = frozenset({"direct", "partial"})


@dataclass
class ReportedSpeech:
    """A sentence that reports, without quotation marks, what a person said (R1, R2, ...):
    `speaker` is the resolved person, `speaker_span` the mention that names them as written
    (`speaker_text`; for a continued statement the earlier sentence's mention), `cue_span`
    the word(s) that mark the report (`cue`: "laut", "sagte", "sei"); both index the article text."""

    id: str
    article: str
    sentence: str
    speaker: str
    speaker_span: tuple[int, int]
    speaker_text: str
    cue_span: tuple[int, int]
    cue: str
    rule: str  # "according" | "verb" | "continuation" (compare.facts.reported)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article,
            "sentence": self.sentence,
            "speaker": self.speaker,
            "speaker_span": list(self.speaker_span),
            "speaker_text": self.speaker_text,
            "cue_span": list(self.cue_span),
            "cue": self.cue,
            "rule": self.rule,
        }


@dataclass
class Comparison:
    """The whole result of comparing two or more articles."""

    articles: list[ArticleResult]
    groups: list[Group]
    unique: dict[str, list[str]]
    settings: dict[str, Any] = field(default_factory=dict)
    discrepancies: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    quote_links: list[dict[str, Any]] = field(default_factory=list)
    reported_speech: list[dict[str, Any]] = field(default_factory=list)  # ReportedSpeech.to_dict()
    # Filled by the summarize package (compare never imports it): article id -> summary
    # ({text, sentences, method}) and the cross-source briefing ({consensus, disputed, unique, quotes}).
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    briefing: dict[str, Any] | None = None

    def sentence(self, sentence_id: str) -> Sentence:
        """Look a sentence up by its id (raises KeyError when unknown)."""
        for result in self.articles:
            for s in result.sentences:
                if s.id == sentence_id:
                    return s
        raise KeyError(sentence_id)

    def sentence_index(self) -> dict[str, Sentence]:
        return {s.id: s for r in self.articles for s in r.sentences}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "settings": dict(self.settings),
            "articles": [r.to_dict() for r in self.articles],
            "groups": [g.to_dict() for g in self.groups],
            "unique": {k: list(v) for k, v in self.unique.items()},
            "discrepancies": list(self.discrepancies),
            "quotes": list(self.quotes),
            "quote_links": list(self.quote_links),
            "reported_speech": list(self.reported_speech),
            "summaries": {k: dict(v) for k, v in self.summaries.items()},
            "briefing": dict(self.briefing) if self.briefing is not None else None,
        }


def article_to_dict(article: Article) -> dict[str, Any]:
    return asdict(article)
