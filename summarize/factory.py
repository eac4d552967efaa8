"""Summarizer specs ("extractive", "hf:<model>") to summarizer objects, one per spec and settings.

Building a summarizer loads nothing; the embedder or seq2seq model loads on first use.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from compare.errors import ModelError
from compare.specs import HF, parse_model_spec
from summarize.base import Summarizer

logger = logging.getLogger(__name__)

SUMMARIZER_SPECS: dict[str, str] = {
    "extractive": "the article's most central sentences, favouring the lead, no near-duplicates; "
    "cites sentence ids; offline (ranks with the embedder given by embedder_spec, default e5)",
    "hf:<model>": "abstractive: any Hugging Face seq2seq summarizer (BART, T5, mT5, Pegasus) by hub id "
    "or local folder; writes new text (needs torch + transformers)",
}

_EXTRACTIVE = "extractive"
_HF = HF
# Settings only the extractive summarizer takes; front ends pass them whatever the spec.
_EXTRACTIVE_ONLY = frozenset({"embedder_spec"})


def parse_summarizer_spec(spec: str) -> tuple[str, str | None]:
    """("extractive", None) or ("hf", model); ModelError listing the valid specs otherwise."""
    return parse_model_spec(spec, {_EXTRACTIVE}, "summarizer", SUMMARIZER_SPECS, "hf:facebook/bart-large-cnn")


@functools.lru_cache(maxsize=None)
def _summarizer(kind: str, arg: str | None, cache: bool, settings: tuple[tuple[str, Any], ...]) -> Summarizer:
    options = dict(settings)
    inner: Summarizer
    try:
        if kind == _EXTRACTIVE:
            from summarize.extractive import ExtractiveSummarizer

            inner = ExtractiveSummarizer(**{"embedder_cache": cache, **options})
        else:
            from summarize.abstractive import Seq2SeqSummarizer

            assert arg is not None
            inner = Seq2SeqSummarizer(arg, **options)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"bad summarizer settings for {kind}: {exc}") from exc
    if not cache:
        return inner
    from summarize.cache import CachedSummarizer, SummaryCache

    return CachedSummarizer(inner, SummaryCache())


def get_summarizer(spec: str = "extractive", cache: bool = True, **settings: Any) -> Summarizer:
    """The summarizer for `spec` and settings, built once per process (same arguments ->
    same object). With `cache`, summaries are read from / written to the on-disk cache.

    Settings go to the summarizer's constructor (ExtractiveSummarizer: embedder_spec,
    lead_weight, diversity...; Seq2SeqSummarizer: max_length, num_beams, chunk_tokens...);
    `embedder_spec` is ignored for hf: specs. Unknown specs or settings raise ModelError.
    """
    kind, arg = parse_summarizer_spec(spec)
    if kind == _HF:
        from compare.embed.hf import resolve_model

        arg, _ = resolve_model(arg or "")  # "hf:./m" and "hf:/abs/m" share one model
        settings = {k: v for k, v in settings.items() if k not in _EXTRACTIVE_ONLY}
    try:
        key = tuple(sorted(settings.items()))
        hash(key)
    except TypeError as exc:
        raise ModelError(f"summarizer settings must be plain values: {exc}") from exc
    return _summarizer(kind, arg, bool(cache), key)


def clear_summarizers() -> None:
    """Forget built summarizers (tests; or after changing PARALLAX_CACHE_DIR)."""
    _summarizer.cache_clear()


get_summarizer.cache_clear = clear_summarizers  # type: ignore[attr-defined]


def summarizer_or_none(spec: str, cache: bool = True, embedder_spec: str = "e5") -> Summarizer | None:
    """`get_summarizer`, with "none" meaning no summaries; extractive summarizers rank with
    `embedder_spec`, the comparison's own embedder (an hf: summarizer ignores it)."""
    if spec.strip().lower() == "none":
        return None
    return get_summarizer(spec, cache=cache, embedder_spec=embedder_spec)
