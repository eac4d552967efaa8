"""Sentence embedders behind one protocol, built from short specs ("e5", "use", "hf:<model>").

Importing this package loads no model and imports neither torch nor transformers.
"""

from compare.embed.base import Embedder, normalise
from compare.embed.factory import EMBEDDER_SPECS, clear_embedders, get_embedder, parse_spec

__all__ = ["EMBEDDER_SPECS", "Embedder", "clear_embedders", "get_embedder", "normalise", "parse_spec"]
