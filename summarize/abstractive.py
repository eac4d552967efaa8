"""Abstractive summaries with any transformers sequence-to-sequence model (BART, T5, mT5, Pegasus...).

Loading is `compare.hf_models.load_pretrained` (torch and transformers are imported only
when the model loads). Long articles do not fit
a model's input: the article is cut at sentence boundaries into chunks that each fit
(counted with the model's own tokenizer, prefix and special tokens included), every
chunk is summarised, and when there was more than one chunk the joined chunk summaries
are summarised again (map-reduce), for at most `max_rounds` rounds.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable, Sequence

from compare.errors import ModelError
from compare.hf_models import HFModel, length_batches, position_limit
from compare.model import ArticleResult
from summarize.base import Budget, Summary, body_sentences

logger = logging.getLogger(__name__)

# Longest input ever fed at once: attention cost grows with the square of the length, and
# summarizers fine-tuned on news (BART: 1024, T5: 512) were trained on inputs this short.
MAX_INPUT_TOKENS = 1024
_T5_TYPES = {"t5"}  # the original T5 checkpoints select the task with a text prefix
_WORD_RE = re.compile(r"\S+\s*")


def _split_long(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Cut one over-long sentence at word boundaries into pieces that fit (a word that alone
    does not fit becomes its own piece; the tokenizer truncates it)."""
    pieces: list[str] = []
    current = ""
    for word in _WORD_RE.findall(text):
        candidate = current + word
        if current and count(candidate.strip()) > limit:
            pieces.append(current.strip())
            current = word
        else:
            current = candidate
    if current.strip():
        pieces.append(current.strip())
    return pieces


def chunk_texts(texts: Sequence[str], count: Callable[[str], int], limit: int) -> list[str]:
    """Join consecutive texts (sentences) with spaces into as few chunks as possible, each
    with `count(chunk) <= limit`; order is kept and nothing is dropped. A text longer than
    the limit is cut at word boundaries."""
    if limit < 1:
        raise ValueError("limit must be >= 1")
    chunks: list[str] = []
    current = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        candidate = f"{current} {text}" if current else text
        if count(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
            current = ""
        if count(text) <= limit:
            current = text
        else:
            *full, current = _split_long(text, count, limit)
            chunks.extend(full)
    if current:
        chunks.append(current)
    return chunks


def trim_to_budget(text: str, budget: Budget, language: str | None = None) -> str:
    """Keep the first whole sentences of generated text within the budget (at least one)."""
    if budget.sentences is None and budget.chars is None:
        return text.strip()
    from compare.segment import segment

    kept: list[str] = []
    used = 0
    for seg in segment(text, language):
        piece = text[seg.start : seg.end]
        length = len(piece) + (1 if kept else 0)
        if budget.sentences is not None and len(kept) >= budget.sentences:
            break
        if budget.chars is not None and kept and used + length > budget.chars:
            break
        kept.append(piece)
        used += length
    return " ".join(kept)


class Seq2SeqSummarizer(HFModel):
    """Summaries written by a seq2seq model (hub id or local folder).

    Generation settings are passed to `generate` as given: `max_length`/`min_length` in
    output tokens, `num_beams`, `no_repeat_ngram_size`, `length_penalty`. `chunk_tokens`
    lowers the input chunk size below the model's limit; `prefix` overrides the task
    prefix (None: taken from the model's config, "summarize: " for original T5).
    Chunks are generated in padded batches of `batch_size` (a speed setting only).
    """

    def __init__(
        self,
        model: str,
        max_length: int = 128,
        min_length: int = 0,
        num_beams: int = 4,
        chunk_tokens: int | None = None,
        no_repeat_ngram_size: int = 3,
        length_penalty: float = 1.0,
        max_rounds: int = 2,
        prefix: str | None = None,
        batch_size: int = 4,
        device: str = "cpu",
    ) -> None:
        if max_length < 2 or min_length < 0 or min_length > max_length:
            raise ValueError("need 0 <= min_length <= max_length and max_length >= 2")
        if num_beams < 1 or max_rounds < 0 or no_repeat_ngram_size < 0:
            raise ValueError("num_beams must be >= 1, max_rounds and no_repeat_ngram_size >= 0")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if chunk_tokens is not None and chunk_tokens < 8:
            raise ValueError("chunk_tokens must be >= 8")
        super().__init__(model, int(batch_size), device)
        self.max_length = int(max_length)
        self.min_length = int(min_length)
        self.num_beams = int(num_beams)
        self.chunk_tokens = chunk_tokens
        self.no_repeat_ngram_size = int(no_repeat_ngram_size)
        self.length_penalty = float(length_penalty)
        self.max_rounds = int(max_rounds)
        self.prefix = prefix
        self._input_limit = 0

    @property
    def settings(self) -> dict[str, Any]:
        """Everything besides the name that changes the output (part of cache keys)."""
        return {
            "max_length": self.max_length,
            "min_length": self.min_length,
            "num_beams": self.num_beams,
            "chunk_tokens": self.chunk_tokens,
            "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "length_penalty": self.length_penalty,
            "max_rounds": self.max_rounds,
            "prefix": self.prefix,
        }

    @property
    def input_limit(self) -> int:
        """Most input tokens per chunk (prefix and special tokens included); loads the model."""
        self._load_locked()
        return self._input_limit

    def _load_locked(self) -> None:
        with self._lock:
            self._load()

    def _load(self) -> None:
        if self._model is not None:
            return
        tokenizer, model, _ = self._pretrained("AutoModelForSeq2SeqLM", "summarization", "hf: summarizers need", self._check_seq2seq)
        if self.prefix is None:
            self.prefix = self._config_prefix(model.config)
        limit = min(position_limit(tokenizer, model.config), MAX_INPUT_TOKENS)
        if self.chunk_tokens is not None:
            limit = min(limit, self.chunk_tokens)
        self._input_limit = limit
        self._tokenizer, self._model = tokenizer, model
        logger.debug("loaded %s (input limit %d tokens, prefix %r)", self.name, limit, self.prefix)

    def _check_seq2seq(self, config: Any) -> None:
        """Summaries need an encoder-decoder; said before any weights are read."""
        if not getattr(config, "is_encoder_decoder", False):
            raise ModelError(
                f"cannot load summarization model {self.model!r}: a {config.model_type} model is not "
                "a sequence-to-sequence model (use e.g. a BART, T5 or Pegasus summarizer)"
            )

    @staticmethod
    def _config_prefix(config: Any) -> str:
        params = getattr(config, "task_specific_params", None) or {}
        task = params.get("summarization") if isinstance(params, dict) else None
        if isinstance(task, dict) and isinstance(task.get("prefix"), str):
            return str(task["prefix"])
        return "summarize: " if getattr(config, "model_type", "") in _T5_TYPES else ""

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text` as one chunk: prefix and special tokens included."""
        self._load_locked()
        return len(self._tokenizer(self.prefix + text, truncation=False, verbose=False)["input_ids"])

    def chunks(self, texts: Sequence[str]) -> list[str]:
        """The texts (sentences) joined into chunks that each fit the model's input."""
        return chunk_texts(texts, self.count_tokens, self.input_limit)

    def generate(self, text: str) -> str:
        """One summary of one chunk, with the configured generation settings."""
        return self.generate_many([text])[0]

    def generate_many(self, texts: Sequence[str]) -> list[str]:
        """One summary per chunk, in input order; chunks run through `generate` in padded
        batches of `batch_size`, longest first (similar lengths pad least)."""
        import torch

        self._load_locked()
        out: list[str] = [""] * len(texts)
        for idx in length_batches([len(t) for t in texts], self.batch_size):
            inputs = self._inputs(self._input_limit, [self.prefix + texts[i] for i in idx])
            with torch.inference_mode():
                output = self._model.generate(
                    **inputs,
                    max_length=self.max_length,
                    min_length=self.min_length,
                    num_beams=self.num_beams,
                    no_repeat_ngram_size=self.no_repeat_ngram_size,
                    length_penalty=self.length_penalty,
                    early_stopping=self.num_beams > 1,
                )
            for i, summary in zip(idx, self._tokenizer.batch_decode(output, skip_special_tokens=True)):
                out[i] = str(summary).strip()
        return out

    def summarize_texts(self, texts: Sequence[str]) -> str:
        """Map-reduce over chunks: summarise each chunk, then the joined summaries again,
        until one chunk is left or `max_rounds` reduce rounds are spent (then the last
        round's summaries are joined)."""
        chunks = self.chunks(texts)
        rounds = 0
        while chunks:
            outputs = [out for out in self.generate_many(chunks) if out]
            logger.debug("%s: round %d, %d chunks", self.name, rounds, len(chunks))
            if len(outputs) <= 1:
                return outputs[0] if outputs else ""
            if rounds >= self.max_rounds:
                return " ".join(outputs)
            rounds += 1
            chunks = self.chunks(outputs)
        return ""

    def summarize(self, result: ArticleResult, budget: Budget) -> Summary:
        texts = [s.text for s in body_sentences(result)]
        text = self.summarize_texts(texts) if texts else ""
        if not text and texts:
            logger.warning("%s wrote an empty summary for article %s", self.name, result.label)
        text = trim_to_budget(text, budget, result.article.language) if text else ""
        return Summary(article=result.article.id, text=text, sentences=[], method=self.name, offsets=[])
