"""`parallax summarize` and `parallax brief`, and the summaries/briefing in `compare`'s JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from parallax.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
FAST = ("--support", "none")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def compared() -> dict:
    result = run("compare", *SEEDS, *FAST, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_json_carries_summaries_and_briefing(compared: dict) -> None:
    ids = {a["id"] for a in compared["articles"]}
    sentences = {s["id"]: s for a in compared["articles"] for s in a["sentences"]}
    assert set(compared["summaries"]) == ids
    for summary in compared["summaries"].values():
        assert summary["method"].startswith("extractive")
        assert 1 <= len(summary["sentences"]) <= 3
        for sid in summary["sentences"]:
            assert sentences[sid]["text"] in summary["text"]
    briefing = compared["briefing"]
    assert set(briefing) >= {"consensus", "disputed", "unique", "quotes", "lead"}
    cited = [c for section in ("consensus", "disputed", "quotes") for item in briefing[section] for c in item["citations"]]
    cited += [c for items in briefing["unique"].values() for item in items for c in item["citations"]]
    assert cited and set(cited) <= set(sentences)
    assert len(briefing["disputed"]) >= len(compared["discrepancies"])

def test_compare_without_summarizer_leaves_summaries_empty() -> None:
    result = run("compare", *SEEDS, *FAST, "--format", "json", "--summarizer", "none")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summaries"] == {}
    assert data["briefing"]["consensus"], "the briefing needs no summarizer"


def test_summarize_markdown_cites_sentences_of_each_article() -> None:
    result = run("summarize", *SEEDS, "--sentences", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n## ") == len(SEEDS)
    cites = re.findall(r"\[([A-Z]+\d+)\]", result.stdout)
    assert len(cites) == 2 * len(SEEDS)
    assert {c[0] for c in cites} == {"A", "B"}


def test_summarize_json_respects_char_budget() -> None:
    result = run("summarize", SEEDS[0], "--chars", "400", "--format", "json")
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.stdout)["summaries"].values()
    assert summary["sentences"]
    assert len(summary["text"]) <= 400 or len(summary["sentences"]) == 1


@pytest.mark.parametrize("fmt,marker", [("md", "Consensus"), ("html", "<!DOCTYPE html>"), ("json", '"consensus"')])
def test_brief_formats(fmt: str, marker: str) -> None:
    result = run("brief", *SEEDS, *FAST, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert marker.lower() in result.stdout.lower()


def test_brief_output_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "briefing.md"
    target.write_text("keep me", encoding="utf-8")
    refused = run("brief", *SEEDS, "-o", str(target))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    "args,needle",
    [
        (("summarize", "SEED", "--summarizer", "nonsense"), "summarizer"),
        (("summarize", "SEED", "--summarizer", "none"), "summarizer"),
        (("summarize", "SEED", "--summarizer", "hf:/no/such/folder"), "/no/such/folder"),
        (("brief", "SEED", "SEED2", "--nli", "nonsense"), "nli"),
        (("brief", "SEED", "SEED2", "--nli", "hf:/no/such/folder", *FAST), "/no/such/folder"),
        (("summarize", "missing.txt"), "missing.txt"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args: tuple[str, ...], needle: str) -> None:
    args = tuple(SEEDS[0] if a == "SEED" else SEEDS[1] if a == "SEED2" else a for a in args)
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    assert needle.lower() in lines[0].lower()


def test_summarize_rejects_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    for path in (empty, binary):
        result = run("summarize", str(path))
        assert result.exit_code == 2
        assert result.stderr.startswith("Error:") and path.name in result.stderr
