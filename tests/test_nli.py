"""The optional NLI contradiction check (`--nli hf:<model>`), with a tiny NLI model trained here.

No NLI weights exist offline, so the tests build a 2-layer BERT cross-encoder with its
own tokenizer and fine-tune it for a few seconds on synthetic pairs made from seed B and
the English article: a window of a sentence against itself is entailment, against a
copy with "nicht"/"kein"/"not" planted in it is contradiction. The pipeline is then run
on seed A, which the model never saw, against a copy with a planted negation.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from compare.engine import compare_articles
from compare.errors import ModelError
from compare.export import render
from compare.facts.discrepancies import Discrepancy, mark_conflicts
from compare.facts.nli import ContradictionScorer, HFNLIScorer, get_nli_scorer, nli_discrepancies
from compare.ingest import article_from_text, load_file
from compare.options import CompareOptions
from compare.perturbations import PERTURBATIONS, SEED, apply
from compare.segment import segment

ROOT = Path(__file__).resolve().parent.parent
TRAIN_TEXTS = [(ROOT / "seeds" / "002_888a840609f66060.txt", "de"), (ROOT / "tests" / "data" / "blinken_en.txt", "en")]
NEGATION = next(p for p in PERTURBATIONS if p.name == "negation")
LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}


def _training_sentences() -> list[tuple[str, str]]:
    out = []
    for path, language in TRAIN_TEXTS:
        text = path.read_text(encoding="utf-8")
        out += [(text[s.start : s.end], language) for s in segment(text, language) if s.kind == "sentence"]
    return out


def _train_tiny_nli(folder: Path, steps: int = 200, lr: float = 3e-3) -> None:
    """A word-piece tokenizer built from the corpus, BERT (hidden 32) trained on planted negations."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    sentences = _training_sentences()
    normalizer, pre_tokenizer = normalizers.BertNormalizer(lowercase=True), pre_tokenizers.BertPreTokenizer()
    # Whole words of the corpus plus characters as word pieces, in sorted order: the
    # tokenizers trainers break frequency ties by hash order, which would make every
    # run start from a different vocabulary (and train differently).
    words = {w for text, _ in sentences for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text))}
    words |= {"nicht", "kein", "not"}
    chars = sorted({c for w in words for c in w})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    pieces = list(dict.fromkeys([*specials, *sorted(words), *chars, *(f"##{c}" for c in chars)]))
    tok = Tokenizer(models.WordPiece({piece: i for i, piece in enumerate(pieces)}, unk_token="[UNK]"))
    tok.normalizer, tok.pre_tokenizer = normalizer, pre_tokenizer
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=128,
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
    )
    config = BertConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        num_labels=3,
        id2label=LABELS,
        label2id={v: k for k, v in LABELS.items()},
    )
    rng = random.Random(0)

    def window(text: str) -> str:
        words = text.split()
        n = rng.randint(4, 12)
        i = rng.randrange(0, max(1, len(words) - n + 1))
        return " ".join(words[i : i + n])

    def negated(text: str, language: str) -> str:
        words = text.split()
        cue = "not" if language == "en" else rng.choice(["nicht", "kein"])
        i = rng.randrange(1, len(words) + 1)
        if i < len(words) and rng.random() < 0.5:
            words[i] = cue
        else:
            words.insert(i, cue)
        return " ".join(words)

    def example() -> tuple[str, str, int]:
        text, language = rng.choice(sentences)
        text = window(text)
        if rng.random() < 0.5:
            return text, text, 0
        planted = negated(text, language)
        return (text, planted, 2) if rng.random() < 0.5 else (planted, text, 2)

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is fastest, and the machine is shared
    try:
        torch.manual_seed(0)
        model = BertForSequenceClassification(config)
        optimiser = torch.optim.AdamW(model.parameters(), lr=lr)
        model.train()
        for _ in range(steps):
            batch = [example() for _ in range(32)]
            encoded = tokenizer([a for a, _, _ in batch], [b for _, b, _ in batch], padding=True, return_tensors="pt")
            loss = model(**encoded, labels=torch.tensor([label for *_, label in batch])).loss
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    finally:
        torch.set_num_threads(threads)
    model.eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


@pytest.fixture(scope="module")
def nli_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-nli")
    _train_tiny_nli(folder)
    return folder


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def _raw_contradiction(folder: Path, premise: str, hypothesis: str) -> float:
    """One direction, straight from transformers: what the scorer must agree with."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    with torch.inference_mode():
        logits = model(**tokenizer(premise, hypothesis, truncation=True, max_length=128, return_tensors="pt")).logits
    return float(torch.softmax(logits, dim=-1)[0, 2])


def _negated_sentence() -> tuple[str, str]:
    """Seed A's sentence with the planted negation, before and after."""
    text = load_file(SEED)[0].text
    start = text.index(NEGATION.old)
    sentence = next(text[s.start : s.end] for s in segment(text, "de") if s.start <= start < s.end)
    return sentence, sentence.replace(NEGATION.old, NEGATION.new)


# --- fast: specs, errors, laziness ------------------------------------------------------


def test_import_loads_no_model_library() -> None:
    code = "import sys, compare.facts.nli, compare.engine; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("spec", ["", "e5", "nli", "hf:", "hf:   ", "roberta-large-mnli", "use:x"])
def test_unknown_spec_is_model_error(spec: str) -> None:
    with pytest.raises(ModelError, match=r"valid: hf:<hub id or local model folder>") as info:
        get_nli_scorer(spec)
    assert "\n" not in str(info.value)


def test_factory_builds_once_per_model_and_loads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m").mkdir()
    a = get_nli_scorer("hf:./m")
    b = get_nli_scorer(f"hf:{tmp_path / 'm'}")
    assert a is b and isinstance(a, ContradictionScorer)
    assert a.name == f"hf:{(tmp_path / 'm').resolve()}"
    assert not getattr(a, "loaded")


def test_missing_folder_is_one_line_model_error(tmp_path: Path, offline: None) -> None:
    scorer = HFNLIScorer(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelError) as info:
        scorer.contradiction(["a"], ["b"])
    message = str(info.value)
    assert "\n" not in message and "does not exist" in message and "local model folder" in message


def test_unknown_hub_id_offline_is_one_line_model_error(offline: None) -> None:
    scorer = HFNLIScorer("parallax-no-such-org/no-such-nli-xyz")
    with pytest.raises(ModelError) as info:
        scorer.contradiction(["a"], ["b"])
    message = str(info.value)
    assert "\n" not in message and "no-such-nli-xyz" in message and "local model folder" in message


def test_model_without_contradiction_label_is_model_error(tmp_path: Path, offline: None) -> None:
    from transformers import BertConfig

    BertConfig(num_labels=2, id2label={0: "negative", 1: "positive"}).save_pretrained(tmp_path)
    with pytest.raises(ModelError) as info:
        HFNLIScorer(str(tmp_path)).contradiction(["a"], ["b"])
    message = str(info.value)
    assert "\n" not in message and "contradiction" in message
    assert "negative" in message and "positive" in message


# --- the tiny trained model -------------------------------------------------------------


@pytest.mark.slow
def test_scorer_contract_and_meaning(nli_folder: Path, offline: None) -> None:
    scorer = HFNLIScorer(str(nli_folder), batch_size=2)
    assert not scorer.loaded
    plain, negated = _negated_sentence()  # seed A: never seen in training
    long_text = " ".join([plain] * 20)  # far over the model's 128 positions: truncated
    scores = scorer.contradiction([plain, plain, long_text], [plain, negated, long_text])
    assert scores.shape == (3,) and scores.dtype == np.float32
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[1] > scores[0] + 0.3, scores  # the planted negation contradicts, the copy does not
    assert scores[1] > scores[2]
    assert scorer.contradiction([], []).shape == (0,)
    with pytest.raises(ValueError):
        scorer.contradiction(["a"], [])


@pytest.mark.slow
def test_both_directions_scored_and_max_taken(nli_folder: Path, offline: None) -> None:
    plain, negated = _negated_sentence()
    forward, backward = _raw_contradiction(nli_folder, plain, negated), _raw_contradiction(nli_folder, negated, plain)
    assert abs(forward - backward) > 1e-4, "the model is asymmetric, so the test can tell the directions apart"
    scorer = HFNLIScorer(str(nli_folder))
    one_way, other_way = scorer.contradiction([plain, negated], [negated, plain])
    assert one_way == pytest.approx(max(forward, backward), abs=1e-4)
    assert other_way == pytest.approx(one_way, abs=1e-6)


@pytest.fixture(scope="module")
def negation_runs(nli_folder: Path) -> tuple:  # type: ignore[type-arg]
    """Seed A against a copy with the planted negation: default run, and with --nli."""
    import os

    previous = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        original = load_file(SEED)[0]
        changed = article_from_text(apply(original.text, NEGATION), id="changed", language="de")
        unused = HFNLIScorer(str(nli_folder))
        default = compare_articles([original, changed], nli=unused)  # options.nli is None: not used
        checked = compare_articles([original, changed], CompareOptions(nli=f"hf:{nli_folder}", nli_threshold=0.5))
    finally:
        if previous is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = previous
    return default, checked, unused, changed


@pytest.mark.slow
def test_engine_scores_the_planted_negation(negation_runs: tuple, nli_folder: Path) -> None:  # type: ignore[type-arg]
    default, checked, _, changed = negation_runs
    assert checked.settings["nli_model"] == f"hf:{nli_folder.resolve()}"
    assert checked.settings["nli"] == f"hf:{nli_folder}" and checked.settings["nli_threshold"] == 0.5
    negations = [d for d in checked.discrepancies if d["type"] == "negation"]
    assert len(negations) == 1
    found = negations[0]
    position = changed.text.index(NEGATION.new)
    target = next(s for s in checked.articles[1].sentences if s.start <= position < s.end)
    assert target.id in found["sentences"]
    plain, _ = _negated_sentence()
    identical = float(get_nli_scorer(f"hf:{nli_folder}").contradiction([plain], [plain])[0])
    assert found["nli"] >= 0.5 and found["nli"] > identical + 0.3
    # the model's opinion is attached, not reported a second time
    pair = set(found["sentences"])
    assert not [d for d in checked.discrepancies if d["type"] == "contradiction" and set(d["sentences"]) <= pair]
    group = next(g for g in checked.groups if g.id == found["group"])
    assert group.status == "conflict"


@pytest.mark.slow
def test_contradictions_are_well_formed_and_numbered(negation_runs: tuple) -> None:  # type: ignore[type-arg]
    _, checked, _, _ = negation_runs
    assert [d["id"] for d in checked.discrepancies] == [f"D{n}" for n in range(1, len(checked.discrepancies) + 1)]
    index = checked.sentence_index()
    groups = {g.id: g for g in checked.groups}
    for d in (d for d in checked.discrepancies if d["type"] == "contradiction"):
        a, b = (index[sid] for sid in d["sentences"])
        assert a.article != b.article and {a.id, b.id} <= set(groups[d["group"]].sentences)
        assert d["values"] == {a.article: a.text, b.article: b.text}
        assert d["spans"] == {a.id: [a.start, a.end], b.id: [b.start, b.end]}
        assert d["confidence"] >= 0.5 and d["normalized"]["contradiction"] >= 0.5
        explanation = r"an NLI model \(hf:.+\) scores these versions as contradicting \(p=[01]\.\d\d\)"
        assert re.fullmatch(explanation, d["explanation"])
        assert groups[d["group"]].status == "conflict"
    data = json.loads(render(checked, "json"))
    assert data["settings"]["nli_model"] == checked.settings["nli_model"]
    assert data["discrepancies"] == checked.discrepancies and any("nli" in d for d in data["discrepancies"])
    for fmt in ("md", "html", "csv"):
        assert render(checked, fmt)


@pytest.mark.slow
def test_without_nli_nothing_changes(negation_runs: tuple) -> None:  # type: ignore[type-arg]
    default, checked, unused, _ = negation_runs
    assert not unused.loaded, "an injected scorer is only used when options.nli is set"
    assert default.settings["nli"] is None and default.settings["nli_model"] is None
    assert all("nli" not in d for d in default.discrepancies)
    assert not [d for d in default.discrepancies if d["type"] == "contradiction"]
    typed = [{k: v for k, v in d.items() if k != "nli"} for d in checked.discrepancies if d["type"] != "contradiction"]
    assert typed == default.discrepancies
    contradicted = {d["group"] for d in checked.discrepancies if d["type"] == "contradiction"}
    assert [g.status for g in default.groups if g.id not in contradicted] == [
        g.status for g in checked.groups if g.id not in contradicted
    ]


@pytest.mark.slow
def test_threshold_zero_reports_every_uncovered_pair(
    negation_runs: tuple, nli_folder: Path  # type: ignore[type-arg]
) -> None:
    """Direct use: every cross-article pair is scored; covered pairs annotate, others report."""
    _, checked, _, _ = negation_runs
    negation = next(d for d in checked.discrepancies if d["type"] == "negation")
    existing = [
        Discrepancy(
            type=negation["type"],
            group=negation["group"],
            sentences=list(negation["sentences"]),
            values=dict(negation["values"]),
            normalized=dict(negation["normalized"]),
            spans=dict(negation["spans"]),
            explanation=negation["explanation"],
            confidence=negation["confidence"],
            id="D7",
        )
    ]
    index = checked.sentence_index()
    pairs = [
        (g.id, a, b)
        for g in checked.groups
        for i, a in enumerate(g.sentences)
        for b in g.sentences[i + 1 :]
        if index[a].article != index[b].article
    ]
    covered = [p for p in pairs if {p[1], p[2]} <= set(negation["sentences"])]
    assert covered
    scorer = get_nli_scorer(f"hf:{nli_folder}")
    found = nli_discrepancies(checked, scorer, 0.0, existing)
    assert len(found) == len(pairs) - len(covered)
    assert [d.id for d in found] == [f"D{n}" for n in range(8, 8 + len(found))]
    assert {(d.group, *d.sentences) for d in found} == {p for p in pairs if p not in covered}
    assert existing[0].extra["nli"] == pytest.approx(negation["nli"], abs=1e-3)
    groups = [dataclasses.replace(g, status="agree") for g in checked.groups]
    mark_conflicts(groups, [*existing, *found])
    assert all(g.status == "conflict" for g in groups)
    assert nli_discrepancies(checked, scorer, 1.01, []) == []
