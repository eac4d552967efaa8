"""`parallax batch`: stories from JSONL and folders, reports, error rows, resume, workers, clustering."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from batch.inputs import Story, assign_folders, read_input, safe_folder_name
from compare.errors import InputError
from compare.ingest import load_file
from parallax.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ENGLISH = ROOT / "tests" / "data" / "blinken_en.txt"
UNRELATED = ROOT / "eval" / "textberg" / "de" / "003"  # a mountaineering report
FAST = ("--support", "none", "-q")
REPORTS = ("comparison.json", "briefing.md", "report.html", "groups.csv")

pytestmark = pytest.mark.slow


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["batch", *map(str, args)], catch_exceptions=False)


def write_jsonl(path: Path, english_text: str | None = None) -> Path:
    """Two good stories, a broken line, a record without text and a one-article story."""
    a, b = (load_file(p)[0] for p in SEEDS)
    en = load_file(ENGLISH)[0]
    records = [
        {"story": "Kasachstan", "id": "a", "title": a.title, "source": "Outlet A", "text": a.text},
        {"story": "../Blinken <en>", "id": "en", "title": en.title, "language": "en", "text": english_text or en.text},
        {"story": "Kasachstan", "id": "b", "source": "Outlet B", "date": "2023-03-01", "text": b.text},
        "BROKEN",
        {"story": "../Blinken <en>", "id": "de", "text": a.text},
        {"story": "lonely", "text": b.text},
        {"story": "no text", "text": ""},
        {"story": "no text", "text": a.text},
    ]
    lines = ['{"text": "truncated' if r == "BROKEN" else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def index_rows(out: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["story"]: r for r in rows}


def report_mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.glob("*/*") if p.is_file()}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    base = tmp_path_factory.mktemp("batch")
    source = write_jsonl(base / "stories.jsonl")
    out = base / "out"
    return source, out, run(source, "--out", out, *FAST)


def test_jsonl_reports_written_and_failures_recorded(first_run: tuple[Path, Path, Result]) -> None:
    _, out, result = first_run
    assert result.exit_code == 1, result.output
    rows = index_rows(out)
    assert [r["status"] for r in rows.values()] == ["ok", "ok", "error", "skipped", "error"]
    for story, folder in (("Kasachstan", "Kasachstan"), ("../Blinken <en>", "Blinken-en")):
        row = rows[story]
        assert row["folder"] == folder and row["articles"] == 2 and row["groups"] > 0
        for name in REPORTS:
            assert (out / folder / name).stat().st_size > 0
        data = json.loads((out / folder / "comparison.json").read_text(encoding="utf-8"))
        assert data["schema"] == "parallax/comparison@1"
        assert data["settings"]["embedder"] == "e5" and data["settings"]["support"] is None
        assert len(data["groups"]) == row["groups"]
        assert data["briefing"] is not None
        assert set(data["summaries"]) == {a["id"] for a in data["articles"]}, "summaries as in parallax compare"
        assert all(s["method"].startswith("extractive") and s["sentences"] for s in data["summaries"].values())
        assert sum(row["discrepancies"].values()) == len(data["discrepancies"])
        assert (out / folder / "briefing.md").read_text(encoding="utf-8").strip()
        assert (out / folder / "report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    assert "line 4" in rows["line 4"]["error"] and "invalid JSON" in rows["line 4"]["error"]
    assert "only one article" in rows["lonely"]["error"]
    assert "missing 'text'" in rows["no text"]["error"]
    assert not (out / "lonely").exists() and not (out / "no-text").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "../Blinken &lt;en&gt;" in page and "<en>" not in page
    assert 'href="Kasachstan/report.html"' in page
    assert not list(out.rglob("*.tmp"))


def test_resume_rewrites_nothing(first_run: tuple[Path, Path, Result], monkeypatch: pytest.MonkeyPatch) -> None:
    source, out, _ = first_run
    before = report_mtimes(out)

    def no_models(*_args: object) -> None:
        raise AssertionError("resume must not compare unchanged stories")

    monkeypatch.setattr("batch.runner.load_models", no_models)
    start = time.perf_counter()
    result = run(source, "--out", out, "--resume", *FAST)
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1, result.output
    assert report_mtimes(out) == before
    rows = index_rows(out)
    assert rows["Kasachstan"]["resumed"] and rows["Kasachstan"]["status"] == "ok"
    assert rows["Kasachstan"]["groups"] > 0


def test_existing_out_is_refused_without_resume_or_force(first_run: tuple[Path, Path, Result]) -> None:
    source, out, _ = first_run
    before = report_mtimes(out)
    result = run(source, "--out", out, *FAST)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "--resume" in result.stderr
    assert report_mtimes(out) == before


def test_changed_story_is_redone_alone(first_run: tuple[Path, Path, Result], tmp_path: Path) -> None:
    source, out, _ = first_run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = report_mtimes(copy)
    text = load_file(ENGLISH)[0].text.replace("on Tuesday", "on Wednesday")
    changed = write_jsonl(tmp_path / "changed.jsonl", english_text=text)
    time.sleep(0.01)
    assert run(changed, "--out", copy, "--resume", *FAST).exit_code == 1
    after = report_mtimes(copy)
    assert all(after[k] == before[k] for k in before if k.startswith("Kasachstan/"))
    assert all(after[k] != before[k] for k in before if k.startswith("Blinken-en/"))
    data = json.loads((copy / "Blinken-en" / "comparison.json").read_text(encoding="utf-8"))
    assert data["articles"][0]["text_length"] == len(text)
    rows = index_rows(copy)
    assert rows["Kasachstan"]["resumed"] and not rows["../Blinken <en>"]["resumed"]


def test_two_workers_give_identical_results(first_run: tuple[Path, Path, Result], tmp_path: Path) -> None:
    source, out, _ = first_run
    result = run(source, "--out", tmp_path / "out", "--workers", "2", *FAST)
    assert result.exit_code == 1, result.output
    for folder in ("Kasachstan", "Blinken-en"):
        assert (tmp_path / "out" / folder / "comparison.json").read_bytes() == (out / folder / "comparison.json").read_bytes()
    assert [r["status"] for r in index_rows(tmp_path / "out").values()] == ["ok", "ok", "error", "skipped", "error"]


def test_folder_input_with_unreadable_file(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    (stories / "visit").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, stories / "visit" / seed.name)
    (stories / "bad").mkdir()
    shutil.copy(SEEDS[0], stories / "bad" / "a.txt")
    (stories / "bad" / "b.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    out = tmp_path / "out"
    result = run(stories, "--out", out, "--format", "json,csv", *FAST)
    assert result.exit_code == 1, result.output
    rows = index_rows(out)
    assert list(rows) == ["bad", "visit"]
    assert rows["visit"]["status"] == "ok" and rows["visit"]["files"] == ["comparison.json", "groups.csv"]
    assert sorted(p.name for p in (out / "visit").iterdir()) == [".parallax-hash", "comparison.json", "groups.csv"]
    assert rows["bad"]["status"] == "error" and "b.txt" in rows["bad"]["error"]
    assert not (out / "bad").exists()


def test_all_ok_exits_zero(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    (stories / "visit").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, stories / "visit" / seed.name)
    result = CliRunner().invoke(cli, ["batch", str(stories), "--out", str(tmp_path / "out"), "--support", "none"])
    assert result.exit_code == 0, result.output
    assert "1 stories: 1 ok" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        ((), "missing INPUT"),
        (("{src}",), "missing --out"),
        (("{tmp}/nope.jsonl", "--out", "{tmp}/o"), "does not exist"),
        (("{src}", "--out", "{tmp}/o", "--format", "json,xml"), "unknown format xml"),
        (("{src}", "--out", "{tmp}/o", "--workers", "0"), "--workers"),
        (("{src}", "--out", "{tmp}/o", "--workers", "two"), "--workers"),
        (("{src}", "--out", "{src}"), "not a folder"),
        (("{src}", "--out", "{tmp}/o", "--engine", "spark"), "--engine"),
        (("{src}", "--out", "{tmp}/o", "--embedder", "nonsense"), "unknown embedder"),
        (("{src}", "--out", "{tmp}/o", "--summarizer", "nonsense"), "summarizer"),
        (("{src}", "--out", "{tmp}/o", "--nli", "nonsense"), "unknown NLI model"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    source = tmp_path / "s.jsonl"
    source.write_text('{"story": "x", "text": "Ein Satz."}\n', encoding="utf-8")
    filled = [a.format(src=source, tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, ["batch", *filled])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.strip().count("\n") == 0
    assert message in result.stderr
    assert not (tmp_path / "o" / "x").exists()


def test_story_names_become_safe_unique_folders() -> None:
    assert safe_folder_name("../x") == "x"
    assert safe_folder_name("/etc/passwd") == "etc-passwd"
    assert safe_folder_name("..") == "story"
    assert safe_folder_name("a\\..\\b c?*") == "a-..-b-c"
    assert safe_folder_name("Außenminister in Astana") == "Außenminister-in-Astana"
    assert safe_folder_name("CON") == "_CON"
    assert len(safe_folder_name("x" * 500)) <= 80
    stories = assign_folders([Story(n) for n in ("A b", "a/b", "a b", "index.html", "..", "story")])
    folders = [s.folder for s in stories]
    assert folders == ["A-b", "a-b-2", "a-b-3", "index.html-2", "story", "story-2"]
    for folder in folders:
        assert "/" not in folder and not folder.startswith(".")


def test_jsonl_broken_lines_become_error_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"story": "s", "text": "Erster Satz hier."}\n'
        "\n"
        '{"story": "s", "text": "cut\n'
        '[1, 2]\n'
        '{"story": "t", "text": "Noch ein Text.", "date": 5}\n',
        encoding="utf-8",
    )
    found = read_input(path)
    by_name = {s.name: s for s in found.stories}
    assert list(by_name) == ["s", "line 4", "t"]
    assert "line 3: invalid JSON" in str(by_name["s"].error) and len(by_name["s"].articles) == 1
    assert "expected a JSON object" in str(by_name["line 4"].error)
    assert "'date' must be a string" in str(by_name["t"].error)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_jsonl_archive_in_other_encodings_keeps_its_text(tmp_path: Path, encoding: str) -> None:
    """An archive exported as cp1252 or UTF-16 is decoded like any input file, umlauts intact, CRLF kept out of the text."""
    path = tmp_path / "in.jsonl"
    lines = ['{"story": "s", "text": "Außenminister Blinken trifft Präsident Tokajew."}',
             '{"story": "s", "text": "„Große Worte“, sagte Tokajew."}']
    path.write_bytes("\r\n".join(lines).encode(encoding))
    found = read_input(path)
    texts = [a.text for a in found.stories[0].articles]
    assert texts == ["Außenminister Blinken trifft Präsident Tokajew.", "„Große Worte“, sagte Tokajew."]


def test_jsonl_binary_archive_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="in.jsonl"):
        read_input(path)


def test_failed_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A renderer failing mid-story: the story is an error row and no (partial or temp) file stays."""
    source = write_jsonl(tmp_path / "in.jsonl")
    import batch.story

    real = batch.story.render

    def broken(comparison: object, fmt: str, **kwargs: object) -> str:
        if fmt == "html":
            raise RuntimeError("renderer crashed")
        return real(comparison, fmt, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch.story, "render", broken)
    out = tmp_path / "out"
    assert run(source, "--out", out, *FAST).exit_code == 1
    rows = index_rows(out)
    assert rows["Kasachstan"]["status"] == "error" and "renderer crashed" in rows["Kasachstan"]["error"]
    assert not [p for p in out.rglob("*") if p.is_file() and p.parent != out]
    assert not list(out.rglob("*.tmp"))


def test_interrupted_run_leaves_whole_files_and_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the second story renders: the first is complete, the second has nothing, resume finishes."""
    source = write_jsonl(tmp_path / "in.jsonl")
    import batch.story

    real = batch.story.render
    calls: list[str] = []

    def interrupted(comparison: object, fmt: str, **kwargs: object) -> str:
        calls.append(fmt)
        if len(calls) > 3 and fmt == "html":
            raise KeyboardInterrupt
        return real(comparison, fmt, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch.story, "render", interrupted)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(source), "--out", str(out), *FAST])
    assert result.exit_code != 0
    assert sorted(p.name for p in (out / "Kasachstan").iterdir()) == sorted([".parallax-hash", *REPORTS])
    assert not (out / "Blinken-en").exists() or not any((out / "Blinken-en").iterdir())
    assert not list(out.rglob("*.tmp"))
    assert index_rows(out)["Kasachstan"]["status"] == "ok"
    monkeypatch.setattr(batch.story, "render", real)
    kept = (out / "Kasachstan" / "comparison.json").stat().st_mtime_ns
    assert run(source, "--out", out, "--resume", *FAST).exit_code == 1
    assert (out / "Kasachstan" / "comparison.json").stat().st_mtime_ns == kept
    assert index_rows(out)["../Blinken <en>"]["status"] == "ok"


def test_cluster_groups_coverage_of_one_event(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    for path in (*SEEDS, ENGLISH):
        shutil.copy(path, loose / path.name)
    (loose / "bergtour.txt").write_text(UNRELATED.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    out = tmp_path / "out"
    result = run(loose, "--out", out, "--cluster", *FAST)
    assert result.exit_code == 1, result.output  # the mountaineering report is a story of one: skipped
    clusters = json.loads((out / "clusters.json").read_text(encoding="utf-8"))["clusters"]
    members = sorted(sorted(a["id"] for a in c["articles"]) for c in clusters)
    assert members == [["000_390fca3d3418ce8e", "002_888a840609f66060", "blinken_en"], ["bergtour"]]
    rows = {r["articles"]: r for r in index_rows(out).values()}
    assert rows[3]["status"] == "ok" and rows[1]["status"] == "skipped"
    assert (out / rows[3]["folder"] / "comparison.json").exists()


def test_loose_articles_without_cluster_are_error_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": load_file(SEEDS[0])[0].text}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run(path, "--out", tmp_path / "out", *FAST)
    assert result.exit_code == 1
    (row,) = index_rows(tmp_path / "out").values()
    assert row["story"] == "line 1" and "--cluster" in row["error"]
