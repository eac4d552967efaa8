"""Loading Hugging Face transformers models, one way for every backend that uses them.

The hf: embedder (`compare.embed.hf`), the NLI scorer (`compare.facts.nli`) and the
abstractive summarizer (`summarize.abstractive`) all take a hub id or a local folder.
`load_pretrained` does what they share: the folder and offline/cache checks, the config
first (so a wrong id or an unreachable hub fails once, not once per file), the model's
own check of that config, tokenizer and model, and one-line `ModelError`s that say what
to do offline. `length_batches` is their batching: longest inputs first.

torch and transformers are imported only when a model loads: they take seconds to
import, and the default pipeline does not need them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple, Sequence

from compare.embed.base import LazyModel
from compare.errors import ModelError, one_line

__all__ = [
    "HFModel",
    "MESSAGE_LIMIT",
    "OFFLINE_HINT",
    "Pretrained",
    "PretrainedSpec",
    "hub_offline",
    "in_hub_cache",
    "length_batches",
    "load_pretrained",
    "position_limit",
    "resolve_model",
]

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


@dataclass(frozen=True)
class PretrainedSpec:
    """What to load and how errors name it.

    `model` and `local` come from `resolve_model`; `purpose` completes "cannot load
    <purpose> model" ("Hugging Face", "NLI", "summarization"); `needs` opens the line
    shown when torch or transformers is missing ("--nli needs").
    """

    model: str
    local: bool
    purpose: str
    needs: str
    device: str = "cpu"


class Pretrained(NamedTuple):
    """A loaded tokenizer and model (on its device, in eval mode) and what `check` returned."""

    tokenizer: Any
    model: Any
    checked: Any


def load_pretrained(spec: PretrainedSpec, auto_class: str, check: Callable[[Any], Any] | None = None) -> Pretrained:
    """Load `spec.model` with transformers' `auto_class` (e.g. "AutoModelForSequenceClassification").

    `check(config)` runs before any weights are read; it may raise a ModelError (a model of
    the wrong kind) or return what the caller needs from the config. Every failure is one
    ModelError line naming the model; the tokenizer always has a pad token (batches are padded).
    """
    folder = Path(spec.model)
    if spec.local and not (folder / "config.json").is_file():
        problem = "has no config.json (not a saved transformers model)" if folder.is_dir() else "does not exist"
        raise ModelError(f"cannot load {spec.purpose} model: folder {spec.model} {problem}; {OFFLINE_HINT}")
    try:
        import torch
        import transformers
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise ModelError(f"{spec.needs} torch and transformers installed ({exc})") from exc
    where = "folder" if spec.local else "hub model"
    local_only = spec.local or hub_offline() or in_hub_cache(spec.model)
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # no "Loading weights" bars in the CLI's output
    try:
        if not local_only:
            logger.info("fetching %s from the Hugging Face Hub", spec.model)
        config = transformers.AutoConfig.from_pretrained(spec.model, local_files_only=local_only)
        checked = check(config) if check is not None else None
        tokenizer = transformers.AutoTokenizer.from_pretrained(spec.model, local_files_only=local_only)
        model = getattr(transformers, auto_class).from_pretrained(spec.model, local_files_only=local_only)
        model.to(torch.device(spec.device)).eval()
    except ModelError:
        raise
    except Exception as exc:  # OSError, ValueError, HTTP/connection errors, bad device...
        raise ModelError(
            f"cannot load {spec.purpose} {where} {spec.model!r}: {one_line(exc, MESSAGE_LIMIT)}; {OFFLINE_HINT}"
        ) from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    if tokenizer.pad_token is None:  # decoder-style tokenizers have none; padding needs one
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    return Pretrained(tokenizer, model, checked)


def length_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Input positions in batches of `batch_size`, longest first, so each batch pads to
    similar lengths (much less wasted compute on mixed-length news text). Callers put each
    batch's results back at its positions: the output stays in input order."""
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


class HFModel(LazyModel):
    """What every hf: backend holds: the resolved model (hub id or absolute folder), its
    name, device and batch size, and a tokenizer and model filled on first use."""

    def __init__(self, model: str, batch_size: int, device: str) -> None:
        super().__init__()
        self.model, self.local = resolve_model(model)
        self.name = f"hf:{self.model}"
        self.batch_size = batch_size
        self.device = device
        self._tokenizer: Any = None

    def _pretrained(self, auto_class: str, purpose: str, needs: str, check: Callable[[Any], Any] | None = None) -> Pretrained:
        """`load_pretrained` for this backend's model and device (see `PretrainedSpec`)."""
        return load_pretrained(PretrainedSpec(self.model, self.local, purpose, needs, self.device), auto_class, check)

    def _inputs(self, max_length: int, *texts: list[str]) -> dict[str, Any]:
        """One padded batch (`texts`: a list of texts, or two lists for pairs), truncated to
        `max_length` tokens, on the model's device."""
        batch = self._tokenizer(*texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        return {k: v.to(self.device) for k, v in batch.items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.model!r}, loaded={self.loaded})"
