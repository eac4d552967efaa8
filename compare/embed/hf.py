"""Any Hugging Face encoder (hub id or local folder), mean-pooled like sentence-transformers.

torch and transformers are imported only when the model loads: they take seconds to
import, and the default embedders do not need them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from compare.embed.base import LazyModel, as_texts, empty, normalise
from compare.errors import ModelError, one_line

logger = logging.getLogger(__name__)

OFFLINE_HINT = "offline machines need a local model folder (hf:/path/to/folder)"
MESSAGE_LIMIT = 200  # hub and HTTP errors can run to pages


def hub_offline() -> bool:
    """Read at load time: huggingface_hub reads HF_HUB_OFFLINE only once, at its import."""
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _looks_like_path(model: str) -> bool:
    """A hub id is "name" or "org/name"; anything absolute, relative-dotted or ~ is a folder."""
    return model.startswith(("/", ".", "~")) or "\\" in model or os.path.isabs(model) or model.count("/") > 1


def position_limit(tokenizer: Any, config: Any) -> int:
    """Longest input the model takes: tokenizers of locally built models often say "unlimited"."""
    limits = []
    declared = getattr(tokenizer, "model_max_length", None)
    if isinstance(declared, int) and 0 < declared < 1_000_000:
        limits.append(declared)
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 2:
        model_type = str(getattr(config, "model_type", ""))
        # RoBERTa-style position ids start after the padding index, costing two slots
        offset = 2 if "roberta" in model_type or model_type in {"camembert", "mpnet", "longformer"} else 0
        limits.append(positions - offset)
    return min(limits) if limits else 512


def in_hub_cache(model: str) -> bool:
    """Whether a hub model was downloaded before: then load it without any network round trip
    (an unreachable hub costs ~20 s of retries per file otherwise)."""
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(model, "config.json")
    except Exception:  # malformed repo id and the like: let from_pretrained report it
        return False
    return isinstance(found, str)


def resolve_model(model: str) -> tuple[str, bool]:
    """(what to pass to from_pretrained, is_local): existing folders become absolute paths."""
    model = model.strip()
    if not model:
        raise ModelError(f"hf: needs a hub id or a model folder; {OFFLINE_HINT}")
    path = Path(model).expanduser()
    if path.exists():
        return str(path.resolve()), True
    if _looks_like_path(model):
        return str(path.absolute()), True
    return model, False


class HFEmbedder(LazyModel):
    """Mean-pooled, L2-normalised token states of a transformers encoder.

    Texts are batched longest-first so each batch pads to similar lengths (much less
    wasted compute on mixed-length news sentences); results come back in input order.
    """

    def __init__(self, model: str, batch_size: int = 32, max_length: int = 256, device: str = "cpu") -> None:
        super().__init__()
        if batch_size < 1 or max_length < 2:
            raise ValueError("batch_size must be >= 1 and max_length >= 2")
        self.model, self.local = resolve_model(model)
        self.name = f"hf:{self.model}"
        self.batch_size = batch_size
        self.max_length = max_length
        self.device = device
        self._tokenizer: Any = None


    @property
    def dim(self) -> int:
        """Hidden size; loads the model, since it is only known from its config."""
        self._load()
        return int(self._model.config.hidden_size)

    def _load(self) -> None:
        if self._model is not None:
            return
        if self.local and not Path(self.model).is_dir():
            raise ModelError(f"cannot load Hugging Face model: folder {self.model} does not exist; {OFFLINE_HINT}")
        if self.local and not (Path(self.model) / "config.json").is_file():
            raise ModelError(
                f"cannot load Hugging Face model: folder {self.model} has no config.json "
                f"(not a saved transformers model); {OFFLINE_HINT}"
            )
        try:
            import torch
            from transformers import AutoConfig, AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError(f"hf: embedders need torch and transformers installed ({exc})") from exc
        where = "folder" if self.local else "hub model"
        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()  # no "Loading weights" bars in the CLI's output
        try:
            local_only = self.local or hub_offline() or in_hub_cache(self.model)
            if not local_only:
                logger.info("fetching %s from the Hugging Face Hub", self.model)
                AutoConfig.from_pretrained(self.model)  # fail after one round of retries, not one per file
            tokenizer = AutoTokenizer.from_pretrained(self.model, local_files_only=local_only)
            model = AutoModel.from_pretrained(self.model, local_files_only=local_only)
            if getattr(model.config, "is_encoder_decoder", False) and hasattr(model, "get_encoder"):
                model = model.get_encoder()  # T5-style: only the encoder makes sentence vectors
            model.to(torch.device(self.device)).eval()
        except Exception as exc:  # OSError, ValueError, HTTP/connection errors, bad device...
            raise ModelError(
                f"cannot load Hugging Face {where} {self.model!r}: {one_line(exc, MESSAGE_LIMIT)}; {OFFLINE_HINT}"
            ) from exc
        finally:
            if bars:
                hf_logging.enable_progress_bar()
        if tokenizer.pad_token is None:  # decoder-style tokenizers have none; padding needs one
            tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
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

        order = sorted(range(len(items)), key=lambda i: -len(items[i]))
        out = np.empty((len(items), int(self._model.config.hidden_size)), dtype=np.float32)
        device = torch.device(self.device)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                batch = self._tokenizer(
                    [items[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                batch = {k: v.to(device) for k, v in batch.items()}
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                out[idx] = pooled.float().cpu().numpy()
        return normalise(out)

    def __repr__(self) -> str:
        return f"HFEmbedder({self.model!r}, loaded={self.loaded})"
