"""Abstractive summaries with tiny T5 and BART models built and saved by the tests (no Hub).

The models have random weights: the tests check the plumbing (loading, chunking,
map-reduce, generation settings, errors), never the wording of a summary.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from compare.errors import ModelError
from compare.ingest import article_from_text, load_file
from compare.model import ArticleResult
from summarize import Budget, get_summarizer, results_for
from summarize.abstractive import Seq2SeqSummarizer, chunk_texts, trim_to_budget
from summarize.base import body_sentences
from summarize.cache import CachedSummarizer
from summarize.factory import clear_summarizers

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ENGLISH = ROOT / "tests" / "data" / "blinken_en.txt"
BART_MAX_INPUT = 64

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _corpus() -> list[str]:
    lines: list[str] = []
    for path in [*SEEDS, ENGLISH]:
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


@pytest.fixture(scope="module")
def t5_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import T5Config, T5ForConditionalGeneration, T5TokenizerFast

    folder = tmp_path_factory.mktemp("tiny_t5")
    tokenizer = T5TokenizerFast(extra_ids=0).train_new_from_iterator(_corpus(), vocab_size=200)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_ff=64,
        d_kv=8,
        num_heads=4,
        num_layers=2,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
    )
    T5ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def bart_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny_bart")
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    backend = Tokenizer(models.BPE(unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    backend.train_from_iterator(_corpus(), trainer)
    backend.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        mask_token="<mask>",
        model_max_length=BART_MAX_INPUT,
    )
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=128,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
    )
    BartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def long_article() -> ArticleResult:
    (result,) = results_for([load_file(SEEDS[0])[0]])
    return result


@pytest.fixture(scope="module")
def short_article() -> ArticleResult:
    (result,) = results_for([load_file(ENGLISH)[0]])
    return result


class GenerateSpy:
    """Records every call of a loaded model's `generate` (its settings and output shape)."""

    def __init__(self, summarizer: Seq2SeqSummarizer, monkeypatch: pytest.MonkeyPatch) -> None:
        summarizer.input_limit  # load the model
        self.real = summarizer._model.generate
        self.calls: list[dict[str, Any]] = []
        monkeypatch.setattr(summarizer._model, "generate", self)

    def __call__(self, **kwargs: Any) -> Any:
        output = self.real(**kwargs)
        rows, width = (int(n) for n in kwargs["input_ids"].shape)
        self.calls.append({**kwargs, "rows": rows, "input_tokens": width, "output_tokens": int(output.shape[1])})
        return output

    @property
    def texts(self) -> int:
        """How many chunk texts were summarised (calls run in batches)."""
        return sum(call["rows"] for call in self.calls)


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    """Tiny models run fastest single-threaded; on a busy shared CPU threads only contend."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def clean_factory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "cache"))
    clear_summarizers()
    yield
    clear_summarizers()


@pytest.fixture(scope="module")
def digest() -> ArticleResult:
    """Two sentences: one chunk for both tiny models."""
    text = "Blinken besuchte am Dienstag Kasachstan. Er traf Präsident Tokajew in Astana."
    (result,) = results_for([article_from_text(text, id="digest", language="de")])
    return result


@pytest.mark.parametrize("which", ["t5", "bart"])
def test_tiny_models_write_a_summary_with_generate(
    which: str, t5_folder: Path, bart_folder: Path, digest: ArticleResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = t5_folder if which == "t5" else bart_folder
    summarizer = Seq2SeqSummarizer(str(folder), max_length=16, min_length=4, num_beams=2)
    assert not summarizer.loaded  # building loads nothing
    spy = GenerateSpy(summarizer, monkeypatch)
    summary = summarizer.summarize(digest, Budget(sentences=None, chars=None))
    assert isinstance(summary.text, str) and summary.text.strip()
    assert summary.sentences == [] and summary.offsets == []
    assert summary.method == summarizer.name == f"hf:{folder}"
    assert summary.article == digest.article.id
    assert len(spy.calls) == spy.texts == 1, "one chunk, one generate call"
    (chunk,) = summarizer.chunks([s.text for s in digest.sentences])
    assert summary.text == summarizer.generate(chunk)  # deterministic beam search: the text is generate's


def test_task_prefix_follows_the_model_type(t5_folder: Path, bart_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t5 = Seq2SeqSummarizer(str(t5_folder), max_length=8, num_beams=1)
    bart = Seq2SeqSummarizer(str(bart_folder), max_length=8, num_beams=1)
    t5.input_limit, bart.input_limit
    assert t5.prefix == "summarize: " and bart.prefix == ""
    spy = GenerateSpy(t5, monkeypatch)
    t5.generate("Blinken besuchte Kasachstan.")
    expected = t5._tokenizer("summarize: Blinken besuchte Kasachstan.", return_tensors="pt")["input_ids"]
    assert spy.calls[0]["input_ids"].tolist() == expected.tolist()
    plain = Seq2SeqSummarizer(str(t5_folder), prefix="")
    plain.input_limit
    assert plain.prefix == ""


def test_chunker_splits_a_long_article_into_chunks_that_fit(bart_folder: Path, long_article: ArticleResult) -> None:
    from transformers import AutoTokenizer

    summarizer = Seq2SeqSummarizer(str(bart_folder))
    assert summarizer.input_limit == BART_MAX_INPUT  # the tokenizer's model_max_length, below the 128 positions
    texts = [s.text for s in body_sentences(long_article)]
    chunks = summarizer.chunks(texts)
    tokenizer = AutoTokenizer.from_pretrained(str(bart_folder))
    sizes = [len(tokenizer(c)["input_ids"]) for c in chunks]
    assert len(chunks) > 5 and max(sizes) <= BART_MAX_INPUT
    assert " ".join(chunks).split() == " ".join(texts).split(), "all text, in order"
    for a, b in zip(chunks, chunks[1:]):  # greedy: no two neighbours would have fitted together
        assert len(tokenizer(a + " " + b)["input_ids"]) > BART_MAX_INPUT


def test_chunk_tokens_and_t5_prefix_count_against_the_limit(t5_folder: Path, long_article: ArticleResult) -> None:
    from transformers import AutoTokenizer

    summarizer = Seq2SeqSummarizer(str(t5_folder), chunk_tokens=48)
    assert summarizer.input_limit == 48  # T5 has no position limit: 512 by default, lowered by chunk_tokens
    tokenizer = AutoTokenizer.from_pretrained(str(t5_folder))
    chunks = summarizer.chunks([s.text for s in body_sentences(long_article)])
    assert len(chunks) > 5
    assert max(len(tokenizer("summarize: " + c)["input_ids"]) for c in chunks) <= 48


def test_chunk_texts_cuts_an_overlong_sentence_at_words() -> None:
    words = lambda text: len(text.split())  # noqa: E731
    texts = ["one two three.", "four five six seven eight nine ten eleven twelve.", "thirteen."]
    chunks = chunk_texts(texts, words, limit=4)
    assert all(words(c) <= 4 for c in chunks)
    assert " ".join(chunks).split() == " ".join(texts).split()
    assert chunk_texts(texts, words, limit=100) == [" ".join(texts)]
    assert chunk_texts([], words, limit=4) == []


def test_map_reduce_runs_when_there_is_more_than_one_chunk(
    bart_folder: Path, short_article: ArticleResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [s.text for s in body_sentences(short_article)]
    mapped_only = Seq2SeqSummarizer(str(bart_folder), max_length=12, min_length=4, num_beams=1, max_rounds=0)
    chunks = mapped_only.chunks(texts)
    assert len(chunks) > 1
    spy = GenerateSpy(mapped_only, monkeypatch)
    joined = mapped_only.summarize(short_article, Budget(sentences=None, chars=None))
    assert spy.texts == len(chunks)  # map only: one summary per chunk, joined
    assert joined.text == " ".join(t for t in mapped_only.generate_many(chunks) if t)
    assert all(call["input_tokens"] <= BART_MAX_INPUT for call in spy.calls)

    reduced = Seq2SeqSummarizer(str(bart_folder), max_length=12, min_length=4, num_beams=1, max_rounds=3)
    spy = GenerateSpy(reduced, monkeypatch)
    reduced.summarize(short_article, Budget(sentences=None, chars=None))
    assert spy.texts > len(chunks), "the chunk summaries were summarised again"
    assert all(call["input_tokens"] <= BART_MAX_INPUT for call in spy.calls)


@pytest.mark.parametrize("max_length,min_length", [(6, 0), (12, 12)])
def test_generation_settings_reach_generate(
    bart_folder: Path, short_article: ArticleResult, monkeypatch: pytest.MonkeyPatch, max_length: int, min_length: int
) -> None:
    summarizer = Seq2SeqSummarizer(str(bart_folder), max_length=max_length, min_length=min_length, num_beams=3, no_repeat_ngram_size=2)
    spy = GenerateSpy(summarizer, monkeypatch)
    summarizer.summarize(short_article, Budget(sentences=None, chars=None))
    assert spy.calls
    for call in spy.calls:
        assert call["num_beams"] == 3 and call["no_repeat_ngram_size"] == 2
        assert call["max_length"] == max_length and call["min_length"] == min_length
        assert min_length <= call["output_tokens"] <= max_length


def test_budget_trims_generated_text_to_whole_sentences() -> None:
    text = "Erster Satz über Astana. Zweiter Satz über Taschkent. Dritter Satz über Neu-Delhi."
    assert trim_to_budget(text, Budget(sentences=2), "de") == "Erster Satz über Astana. Zweiter Satz über Taschkent."
    assert trim_to_budget(text, Budget(sentences=None, chars=60), "de") == "Erster Satz über Astana. Zweiter Satz über Taschkent."
    assert trim_to_budget(text, Budget(sentences=None, chars=10), "de") == "Erster Satz über Astana."  # at least one
    assert trim_to_budget(text, Budget(sentences=None, chars=None), "de") == text


def test_missing_folder_and_offline_hub_id_raise_one_line_model_errors(
    tmp_path: Path, short_article: ArticleResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    not_seq2seq = tmp_path / "bert"
    from transformers import BertConfig

    BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32).save_pretrained(not_seq2seq)
    no_config = tmp_path / "empty"
    no_config.mkdir()
    cases = {
        str(tmp_path / "no_such_model"): "does not exist",
        str(no_config): "no config.json",
        "parallax-tests/no-such-summarizer": "parallax-tests/no-such-summarizer",
        str(not_seq2seq): "not a sequence-to-sequence model",
    }
    for model, expected in cases.items():
        summarizer = Seq2SeqSummarizer(model)
        with pytest.raises(ModelError) as info:
            summarizer.summarize(short_article, Budget())
        message = str(info.value)
        assert "\n" not in message and expected in message
        if "sequence-to-sequence" not in expected:
            assert "offline machines need a local model folder" in message


def test_factory_builds_hf_summarizers(
    bart_folder: Path, short_article: ArticleResult, monkeypatch: pytest.MonkeyPatch, clean_factory: None
) -> None:
    plain = get_summarizer(f"hf:{bart_folder}", cache=False, max_length=10, num_beams=1, embedder_spec="e5")
    assert isinstance(plain, Seq2SeqSummarizer) and plain.name == f"hf:{bart_folder}" and plain.max_length == 10
    monkeypatch.chdir(bart_folder.parent)
    same = get_summarizer(f"hf:./{bart_folder.name}", cache=False, max_length=10, num_beams=1, embedder_spec="e5")
    assert same is plain
    cached = get_summarizer(f"hf:{bart_folder}", max_length=10, min_length=4, num_beams=1)
    assert isinstance(cached, CachedSummarizer) and isinstance(cached.inner, Seq2SeqSummarizer)
    spy = GenerateSpy(cached.inner, monkeypatch)
    first = cached.summarize(short_article, Budget())
    calls = len(spy.calls)
    assert calls and first.text
    assert cached.summarize(short_article, Budget()) == first and len(spy.calls) == calls  # from the cache
    for bad in ("hf2:x", "hf:", "seq2seq"):
        with pytest.raises(ModelError):
            get_summarizer(bad)
    with pytest.raises(ModelError):
        get_summarizer(f"hf:{bart_folder}", cache=False, beams=3)


def test_importing_the_package_loads_no_torch() -> None:
    code = (
        "import sys, summarize, summarize.abstractive, summarize.factory, summarize.cache, summarize.extractive; "
        "summarize.get_summarizer('hf:/nonexistent/model', cache=False); "
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def seeds_comparison() -> Any:
    from compare.engine import compare_articles
    from compare.ingest import load_articles
    from compare.options import CompareOptions

    return compare_articles(load_articles(SEEDS), CompareOptions(support=None))


def test_an_abstractive_summarizer_writes_the_briefing_lead(t5_folder: Path, seeds_comparison: Any, clean_factory: None) -> None:
    from dataclasses import replace

    from summarize.pipeline import add_briefing, is_abstractive

    summarizer = get_summarizer(f"hf:{t5_folder}", max_length=24, num_beams=1)
    assert is_abstractive(summarizer)
    work = replace(seeds_comparison)
    briefing = add_briefing(work, summarizer, Budget(sentences=2))
    assert isinstance(briefing.lead, str) and briefing.lead.strip()
    assert work.briefing is not None and work.briefing["lead"] == briefing.lead
    assert set(work.summaries) == {r.article.id for r in work.articles}
    assert all(s["method"].startswith("hf:") and s["sentences"] == [] for s in work.summaries.values())


def test_an_extractive_summarizer_writes_no_lead(seeds_comparison: Any) -> None:
    from dataclasses import replace

    from summarize.pipeline import add_briefing

    work = replace(seeds_comparison)
    briefing = add_briefing(work, get_summarizer("extractive", cache=False), Budget(sentences=2))
    assert briefing.lead is None
    assert all(len(s["sentences"]) == 2 for s in work.summaries.values())


def test_brief_command_with_an_hf_summarizer_opens_with_the_lead(t5_folder: Path, clean_factory: None) -> None:
    from click.testing import CliRunner

    from parallax.cli import cli

    result = CliRunner().invoke(
        cli, ["brief", *map(str, SEEDS), "--support", "none", "--summarizer", f"hf:{t5_folder}", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.stdout)
    assert isinstance(data["lead"], str) and data["lead"].strip()
