"""Any Hugging Face encoder (hub id or local folder), mean-pooled like sentence-transformers.

Loading (offline and cache checks, one-line errors) and the longest-first batching are
`compare.hf_models`'; torch and transformers are imported only when the model loads.
"""

from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from compare.embed.base import as_texts, empty, normalise
from compare.hf_models import HFModel, hub_offline, in_hub_cache, length_batches, position_limit, resolve_model

# The loading helpers live in compare.hf_models; the names public here before stay importable.
__all__ = ["HFEmbedder", "hub_offline", "in_hub_cache", "position_limit", "resolve_model"]

logger = logging.getLogger(__name__)


class HFEmbedder(HFModel):
    """Mean-pooled, L2-normalised token states of a transformers encoder.

    Texts are batched longest-first so each batch pads to similar lengths (much less
    wasted compute on mixed-length news sentences); results come back in input order.
    """

    def __init__(self, model: str, batch_size: int = 32, max_length: int = 256, device: str = "cpu") -> None:
        if batch_size < 1 or max_length < 2:
            raise ValueError("batch_size must be >= 1 and max_length >= 2")
        super().__init__(model, batch_size, device)
        self.max_length = max_length

    @property
    def dim(self) -> int:
        """Hidden size; loads the model, since it is only known from its config."""
        self._load()
        return int(self._model.config.hidden_size)

    def _load(self) -> None:
        if self._model is not None:
            return
        tokenizer, model, _ = self._pretrained("AutoModel", "Hugging Face", "hf: embedders need")
        if getattr(model.config, "is_encoder_decoder", False) and hasattr(model, "get_encoder"):
            model = model.get_encoder()  # T5-style: only the encoder makes sentence vectors
        self.max_length = min(self.max_length, position_limit(tokenizer, model.config))
        self._tokenizer, self._model = tokenizer, model
        logger.debug("loaded %s on %s (dim %d)", self.name, self.device, model.config.hidden_size)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, hidden_size) float32, L2-normalised, in input order."""
        items = as_texts(texts)
        with self._lock:
            self._load()
            if not items:
                return empty(int(self._model.config.hidden_size))
            return self._embed_loaded(items)

    def _embed_loaded(self, items: list[str]) -> np.ndarray:
        import torch

        out = np.empty((len(items), int(self._model.config.hidden_size)), dtype=np.float32)
        with torch.inference_mode():
            for idx in length_batches([len(t) for t in items], self.batch_size):
                batch = self._inputs(self.max_length, [items[i] for i in idx])
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                out[idx] = pooled.float().cpu().numpy()
        return normalise(out)
