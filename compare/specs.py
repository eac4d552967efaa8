"""Model specs as users type them: a plain name ("e5", "extractive") or "hf:<hub id or folder>".

Embedders, summarizers and the NLI scorer all take specs of this shape; one parser keeps
their errors alike (one line naming the valid specs).
"""

from __future__ import annotations

from typing import Collection, Iterable

from compare.errors import ModelError

HF = "hf"


def parse_model_spec(
    spec: str, plain: Collection[str], what: str, valid: Iterable[str], hf_example: str = "hf:/path/to/model"
) -> tuple[str, str | None]:
    """(name, None) for a plain name in `plain`, ("hf", model) for "hf:<model>"; ModelError otherwise.

    `what` names the kind of model in the error ("embedder", "summarizer", "NLI model").
    """
    text = (spec or "").strip()
    kind, sep, arg = text.partition(":")
    kind = kind.strip().lower()
    if sep and kind == HF:
        arg = arg.strip()
        if not arg:
            raise ModelError(f"hf: needs a hub id or a local model folder, e.g. {hf_example}")
        return HF, arg
    if not sep and kind in plain:
        return kind, None
    raise ModelError(f"unknown {what} {spec!r}; valid: {', '.join(valid)}")
