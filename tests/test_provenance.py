"""Offsets are a promise: every span in `parallax compare --format json` indexes the source as given.

Real comparisons (the seeds, the English report and planted variants) are written out in
every input format (.txt with and without a title line, .md, .html, .json, .jsonl), in
every supported encoding (UTF-8 with and without BOM, UTF-16, cp1252) and with LF or
CRLF line endings, and compared through the CLI. For every sentence, quote, speaker,
reported-speech, discrepancy and summary span, `text[start:end]` must be what the JSON says, and for
files the decoded file text (decoded here with the known encoding, not by Parallax)
must be that same text. A planted change in each variant makes sure there are
discrepancies to check, and the result must not depend on encoding or line endings.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from compare.facts.dates import extract_dates
from compare.facts.entities import extract_entities
from compare.facts.numbers import extract_numbers
from compare.facts.quotes import extract_quotes
from compare.perturbations import PERTURBATIONS, apply
from parallax.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEED_A = ROOT / "seeds" / "000_390fca3d3418ce8e.txt"
SEED_B = ROOT / "seeds" / "002_888a840609f66060.txt"
ENGLISH = ROOT / "tests" / "data" / "blinken_en.txt"

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
NEWLINES = {"lf": "\n", "crlf": "\r\n"}
PLANTED_A = ("amount", "weekday", "city", "quote wording")
# Values a discrepancy names exactly as written in its span (quotes name the words without the marks).
EXACT_VALUE_TYPES = {"number", "date", "entity"}

pytestmark = pytest.mark.slow


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _articles() -> dict[str, tuple[str, str]]:
    """file name -> (format, text with \\n line endings): one story in every input format."""
    seed_a, seed_b, english = _read(SEED_A), _read(SEED_B), _read(ENGLISH)
    changed = seed_a
    for p in PERTURBATIONS:
        if p.name in PLANTED_A:
            changed = apply(changed, p)
    english_title, _, english_body = english.partition("\n")
    assert english_body.lstrip().startswith("ASTANA")  # the report's first line is its headline
    english_variant = english_body.replace("on Tuesday", "on Wednesday", 1)
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in english_variant.split("\n") if p.strip())
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(english_title)}</title></head>\n<body>\n<nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav>\n"
        f"<main><article>\n<h1>{html.escape(english_title)}</h1>\n{paragraphs}\n</article></main>\n"
        "<footer><p>Imprint | Privacy | Cookie settings</p></footer>\n</body></html>\n"
    )
    return {
        "a_titled.txt": ("txt", "Blinken wirbt in Zentralasien um Partner\n\n" + seed_a + "\n"),
        "b_untitled.txt": ("txt", "\n   " + seed_b),  # no title line; leading whitespace must not shift offsets
        "en.md": ("md", "# " + english_title + "\n\n" + english_body),
        "en_page.html": ("html", page),
        "changed.jsonl": ("jsonl", json.dumps({"id": "changed", "title": "Variante", "text": changed}, ensure_ascii=False)),
        "b_record.json": ("json", json.dumps({"id": "b_record", "text": "  " + seed_b + "\n"}, ensure_ascii=False)),
    }


def _write(folder: Path, encoding: str, newline: str) -> dict[str, Path]:
    paths = {}
    for name, (fmt, text) in _articles().items():
        if fmt in ("json", "jsonl"):
            record = json.loads(text)
            record["text"] = record["text"].replace("\n", newline)  # the field's own line endings
            text = json.dumps(record, ensure_ascii=False, indent=None if fmt == "jsonl" else 1) + "\n"
        path = folder / name
        path.write_bytes(text.replace("\n", newline).encode(encoding))
        paths[name] = path
    return paths


def _compare(paths: list[Path], out: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["compare", *map(str, paths), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def _decoded(path: Path, encoding: str) -> str:
    """The file's text decoded here, with the encoding it was written in (a BOM is not text)."""
    codec = {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, encoding)
    return path.read_bytes().decode(codec)


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _source_text(fmt: str, decoded: str) -> str | None:
    """What the offsets must index, taken from the decoded file; None for HTML (extracted text)."""
    if fmt in ("txt", "md"):
        return decoded
    if fmt == "json":
        return json.loads(decoded)["text"]
    if fmt == "jsonl":
        [line] = [x for x in re.split(r"\r\n|\n", decoded) if x.strip()]
        return json.loads(line)["text"]
    return None


def _check(result: dict[str, Any], paths: dict[str, Path], encoding: str) -> None:
    by_id = {a["id"]: a for a in result["articles"]}
    sentences: dict[str, tuple[str, dict[str, Any]]] = {}
    formats = _articles()
    assert len(by_id) == len(paths)
    for name, path in paths.items():
        fmt = formats[name][0]
        article = by_id[path.stem]
        text = article["text"]
        assert article["text_length"] == len(text)
        decoded = _decoded(path, encoding)
        expected = _source_text(fmt, decoded)
        if expected is not None:
            assert text == expected, name  # offsets count in the file's (or field's) text as given
        else:  # HTML: the extracted main text; every piece of it is in the page, no markup in it
            page = _collapse(html.unescape(decoded))
            assert "<" not in text and "Cookie" not in text and "Home" not in text
        previous_end = 0
        for s in article["sentences"]:
            assert text[s["start"] : s["end"]] == s["text"], (name, s)
            assert "\r" not in s["text"] and "\n" not in s["text"]
            assert previous_end <= s["start"] < s["end"]
            previous_end = s["end"]
            if expected is None:
                assert _collapse(s["text"]) in page, s
            sentences[s["id"]] = (article["id"], s)
        if article["title_span"] is not None:
            start, end = article["title_span"]
            assert _collapse(text[start:end]) == article["title"]
            [unit] = [s for s in article["sentences"] if s["start"] <= start and end <= s["end"]]
            assert unit["kind"] == "heading" and unit["id"] == article["label"] + "1"
        elif fmt in ("txt", "md", "html") and name != "b_untitled.txt":
            pytest.fail(f"{name}: no title_span for a title taken from the text")
    titled = {n for n, (fmt, _) in formats.items() if fmt in ("txt", "md", "html")} - {"b_untitled.txt"}
    assert {n for n, p in paths.items() if by_id[p.stem]["title_span"]} == titled

    headings = {sid for sid, (_, s) in sentences.items() if s["kind"] != "sentence"}
    for g in result["groups"]:
        assert not headings & set(g["sentences"])  # titles and other headings are never aligned
    for members in result["unique"].values():
        assert not headings & set(members)

    assert result["quotes"], "no quotes to check"
    for q in result["quotes"]:
        text = by_id[q["article"]]["text"]
        quoted = text[q["start"] : q["end"]]
        assert q["text"] in quoted and len(quoted) - len(q["text"]) <= 4, q  # the words plus their marks
        if q["sentence"] is not None:
            _, s = sentences[q["sentence"]]
            assert s["start"] <= q["start"] < s["end"]
        if q["speaker_span"] is not None:
            a, b = q["speaker_span"]
            assert 0 <= a < b <= len(text) and "\r" not in text[a:b]

    assert result["reported_speech"], "no reported speech to check"
    for r in result["reported_speech"]:
        text = by_id[r["article"]]["text"]
        _, s = sentences[r["sentence"]]
        a, b = r["speaker_span"]
        assert 0 <= a < b <= s["end"] and text[a:b] == r["speaker_text"], r
        a, b = r["cue_span"]
        assert s["start"] <= a < b <= s["end"] and text[a:b] == r["cue"], r

    types = {d["type"] for d in result["discrepancies"]}
    assert {"number", "date", "entity", "quote"} <= types, types  # the planted changes are found
    for d in result["discrepancies"]:
        for sid, (a, b) in d["spans"].items():
            article_id, s = sentences[sid]
            value = by_id[article_id]["text"][a:b]
            assert s["start"] <= a < b <= s["end"], (d, sid)
            if d["type"] in EXACT_VALUE_TYPES:
                assert value == d["values"][article_id], (d, sid)
            else:
                assert d["values"][article_id] in value or value in d["values"][article_id], (d, sid)

    assert result["summaries"]
    for article_id, summary in result["summaries"].items():
        text = by_id[article_id]["text"]
        for sid, (a, b) in zip(summary["sentences"], summary["offsets"]):
            assert text[a:b] == sentences[sid][1]["text"]


def _signature(result: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on encoding or line endings: units, groups, findings."""
    return {
        "units": [[(s["id"], s["kind"], s["text"]) for s in a["sentences"]] for a in result["articles"]],
        "titles": [a["title"] for a in result["articles"]],
        "groups": [g["sentences"] for g in result["groups"]],
        "discrepancies": sorted((d["type"], json.dumps(d["values"], sort_keys=True)) for d in result["discrepancies"]),
        "quotes": [(q["id"], q["sentence"], q["text"], q["speaker"]) for q in result["quotes"]],
        "reported_speech": [(r["id"], r["sentence"], r["speaker"], r["cue"]) for r in result["reported_speech"]],
    }


_REFERENCE: dict[str, Any] = {}


@pytest.mark.parametrize("newline", list(NEWLINES))
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_span_indexes_the_source_as_given(tmp_path: Path, encoding: str, newline: str) -> None:
    paths = _write(tmp_path, encoding, NEWLINES[newline])
    result = _compare(list(paths.values()), tmp_path / "comparison.json")
    _check(result, paths, encoding)
    signature = _signature(result)
    reference = _REFERENCE.setdefault("result", signature)
    assert signature == reference  # the same comparison whatever the encoding and line endings


def test_no_text_leaves_only_the_texts_out(tmp_path: Path) -> None:
    paths = _write(tmp_path, "utf-8", "\r\n")
    chosen = [paths["a_titled.txt"], paths["changed.jsonl"]]
    full = _compare(chosen, tmp_path / "full.json")
    result = CliRunner().invoke(cli, ["compare", *map(str, chosen), "--format", "json", "--no-text", "-o", str(tmp_path / "lean.json")])
    assert result.exit_code == 0, result.output
    lean = json.loads((tmp_path / "lean.json").read_text(encoding="utf-8"))
    assert all("text" not in a for a in lean["articles"])
    for a in full["articles"]:
        del a["text"]
    assert lean == full


@pytest.mark.parametrize("path", [SEED_A, SEED_B, ENGLISH], ids=lambda p: p.name)
def test_fact_extractors_read_crlf_text_like_lf(path: Path) -> None:
    """Numbers, dates, quotes and entities on a CRLF text: the same findings, spans on the same words."""
    lf = _read(path)
    crlf = lf.replace("\n", "\r\n")
    language = "en" if path == ENGLISH else "de"
    for extract in (extract_numbers, extract_quotes, extract_entities):
        a, b = extract(lf, language), extract(crlf, language)
        assert [lf[x.start : x.end] for x in a] == [crlf[x.start : x.end] for x in b], extract.__name__
        assert a, f"{extract.__name__} found nothing in {path.name}"
    a, b = extract_dates(lf, language), extract_dates(crlf, language)
    assert [lf[x.start : x.end] for x in a] == [crlf[x.start : x.end] for x in b] and a
    qa, qb = extract_quotes(lf, language), extract_quotes(crlf, language)
    assert [(q.text, q.speaker, q.kind) for q in qa] == [(q.text, q.speaker, q.kind) for q in qb]


def test_batch_no_text(tmp_path: Path) -> None:
    """`parallax batch --no-text`: comparison.json without the texts, offsets unchanged."""
    paths = _write(tmp_path, "utf-8", "\n")
    story = tmp_path / "stories" / "kasachstan"
    story.mkdir(parents=True)
    for name in ("a_titled.txt", "changed.jsonl"):
        (story / name).write_bytes(paths[name].read_bytes())
    runs = {}
    for flag in ((), ("--no-text",)):
        out = tmp_path / f"out{len(flag)}"
        done = CliRunner().invoke(cli, ["batch", str(tmp_path / "stories"), "--out", str(out), "--format", "json", "--support", "none", "-q", *flag])
        assert done.exit_code == 0, done.output
        runs[flag] = json.loads((out / "kasachstan" / "comparison.json").read_text(encoding="utf-8"))
    full, lean = runs[()], runs[("--no-text",)]
    assert [a["text"] for a in full["articles"]] == [paths["a_titled.txt"].read_text(encoding="utf-8"), json.loads(paths["changed.jsonl"].read_text(encoding="utf-8"))["text"]]
    assert all("text" not in a for a in lean["articles"])
    assert [a["sentences"] for a in lean["articles"]] == [a["sentences"] for a in full["articles"]]
    assert lean["settings"] == full["settings"] and lean["discrepancies"] == full["discrepancies"]


@pytest.mark.parametrize("story", ["grossbrand", "hafenstreik", "chipfab"])
def test_title_line_in_the_text_changes_no_alignment(story: str) -> None:
    """A title kept in the text (a heading unit) aligns exactly like a title given on its own:
    the same groups of the same sentences, only the ids shift by the title's unit."""
    from compare.engine import compare_articles
    from compare.ingest import article_from_text, load_file

    files = sorted((ROOT / "eval" / "heldout" / story).glob("*.txt"))
    kept = [load_file(p)[0] for p in files]
    assert all(a.title_span is not None for a in kept)
    given = [
        article_from_text(a.text[a.title_span[1] :].lstrip("\r\n"), a.id, title=a.title, language=a.language)
        for a in kept
    ]

    def groups(articles: list[Any]) -> list[list[str]]:
        c = compare_articles(articles)
        index = c.sentence_index()
        return [[index[s].text for s in g.sentences] for g in c.groups]

    with_titles = groups(kept)
    assert with_titles and with_titles == groups(given)
