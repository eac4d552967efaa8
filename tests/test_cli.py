"""The `parallax` CLI, in-process with click's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from parallax.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))



def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.slow
def test_compare_seeds_json_schema_and_offsets() -> None:
    result = run("compare", *SEEDS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "parallax/comparison@1"
    for key in ("articles", "groups", "unique", "discrepancies", "quotes", "quote_links"):
        assert key in data
    texts = {p: Path(p).read_text(encoding="utf-8").strip() for p in SEEDS}
    ids = set()
    for article, path in zip(data["articles"], SEEDS):
        assert article["text_length"] == len(texts[path])
        assert article["language"] == "de"
        for s in article["sentences"]:
            assert texts[path][s["start"] : s["end"]] == s["text"]
            ids.add(s["id"])
    assert len(ids) == sum(len(a["sentences"]) for a in data["articles"])
    assert data["groups"], "the two seed articles share facts"
    for group in data["groups"]:
        assert set(group["sentences"]) <= ids
        assert group["status"] in {"agree", "conflict"}
        assert len(group["articles"]) >= 2
    grouped = {sid for g in data["groups"] for sid in g["sentences"]}
    for sids in data["unique"].values():
        assert not grouped & set(sids)


@pytest.mark.slow
def test_compare_default_markdown_report() -> None:
    result = run("compare", *SEEDS)
    assert result.exit_code == 0
    assert "## Shared facts" in result.stdout
    assert "Only in" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("fmt,marker", [("html", "<!DOCTYPE html>"), ("csv", "group,status,score")])
def test_compare_other_formats(fmt: str, marker: str) -> None:
    result = run("compare", *SEEDS, "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout.lstrip().lower().startswith(marker.lower())


@pytest.mark.slow
def test_output_file_is_written_and_never_overwritten_silently(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    assert run("compare", *SEEDS, "--format", "json", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "parallax/comparison@1"
    target.write_text("keep me", encoding="utf-8")
    refused = run("compare", *SEEDS, "-o", str(target))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run("compare", *SEEDS, "-o", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8") != "keep me"


def _bad_inputs(tmp_path: Path) -> dict[str, list[str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    unsupported = tmp_path / "article.docx"
    unsupported.write_bytes(b"PK\x03\x04")
    big = tmp_path / "big.txt"
    big.write_bytes(b"Ein Satz. " * 600_000)
    return {
        "missing": [str(tmp_path / "nope.txt"), SEEDS[0]],
        "empty": [str(empty), SEEDS[0]],
        "binary": [str(binary), SEEDS[0]],
        "unsupported": [str(unsupported), SEEDS[0]],
        "too large": [str(big), SEEDS[0]],
        "one article": [SEEDS[0]],
        "bad embedder": [*SEEDS, "--embedder", "nonsense"],
    }


@pytest.mark.parametrize(
    "case", ["missing", "empty", "binary", "unsupported", "too large", "one article", "bad embedder"]
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, case: str) -> None:
    result = run("compare", *_bad_inputs(tmp_path)[case])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in result.output


def test_console_script_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    """The installed entry point (not just CliRunner) keeps errors to one line."""
    proc = subprocess.run(
        [sys.executable, "-m", "parallax", "compare", str(tmp_path / "missing.txt"), SEEDS[0]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ},
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: ")
    assert "Traceback" not in proc.stderr


def test_usage_error_exit_2() -> None:
    result = CliRunner().invoke(cli, ["compare"])
    assert result.exit_code == 2
