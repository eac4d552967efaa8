"""Exporters (JSON, Markdown, HTML, CSV) and the atomic writer, on a small hand-built comparison."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from compare.errors import OutputError
from compare.export import FORMATS, render, to_csv, to_html, to_json, to_markdown, write_atomic
from compare.model import SCHEMA, Article, ArticleResult, Comparison, Group, Sentence

# --------------------------------------------------------------------------- fixture

SPIEGEL = (
    "Bahnstreik legt Fernverkehr lahm\n\n"
    "BERLIN (dpa) – Die Lokführergewerkschaft GDL hat ihre Mitglieder erneut zum Streik aufgerufen. "
    "Der Ausstand soll am Mittwoch um 2 Uhr beginnen und 35 Stunden dauern. "
    "Die Bahn kritisierte den Schritt als „völlig unverhältnismäßig“.\n"
)
ZEIT = (
    "Die GDL ruft erneut zu einem Streik bei der Deutschen Bahn auf. "
    "Der Streik beginnt am Mittwoch um 2 Uhr und soll 24 Stunden dauern.\n\n"
    "Pendler müssen sich auf Ausfälle einstellen, auch im Regionalverkehr."
)
BLOG = (
    'Streik! <script>alert(1)</script> Die GDL streikt wieder, sagt "Weselsky" & Co.\n'
    "Ein Bild: <img src=x onerror=alert(1)>\nzeigt leere Bahnsteige, Pendler, Züge.\n\n"
    "  Der Ausstand dauert 35 Stunden, heißt es | laut Bahn."
)

# (article id, label, text, [(sentence text, kind)])
SPECS: list[tuple[Article, str, list[tuple[str, str]]]] = [
    (
        Article(
            id="spiegel-1",
            text=SPIEGEL,
            title="Bahnstreik legt Fernverkehr lahm",
            source="Der Spiegel",
            date="2024-03-05",
            url="https://www.spiegel.de/wirtschaft/bahnstreik-a-123.html",
            language="de",
        ),
        "A",
        [
            ("Bahnstreik legt Fernverkehr lahm", "heading"),
            ("BERLIN (dpa) –", "dateline"),
            ("Die Lokführergewerkschaft GDL hat ihre Mitglieder erneut zum Streik aufgerufen.", "sentence"),
            ("Der Ausstand soll am Mittwoch um 2 Uhr beginnen und 35 Stunden dauern.", "sentence"),
            ("Die Bahn kritisierte den Schritt als „völlig unverhältnismäßig“.", "sentence"),
        ],
    ),
    (
        Article(id="zeit-2", text=ZEIT, title="GDL ruft zum Streik auf", source="Zeit Online", language="de"),
        "B",
        [
            ("Die GDL ruft erneut zu einem Streik bei der Deutschen Bahn auf.", "sentence"),
            ("Der Streik beginnt am Mittwoch um 2 Uhr und soll 24 Stunden dauern.", "sentence"),
            ("Pendler müssen sich auf Ausfälle einstellen, auch im Regionalverkehr.", "sentence"),
        ],
    ),
    (
        Article(
            id='blog-3"><script>x</script>|',
            text=BLOG,
            title='<script>alert("t")</script> | # Streik-Blog',
            source='Blog <b>"X"</b> & Co',
            date="5. März",
            url="javascript:alert(1)",
            language="de",
        ),
        "C",
        [
            ('Streik! <script>alert(1)</script> Die GDL streikt wieder, sagt "Weselsky" & Co.', "sentence"),
            ("Ein Bild: <img src=x onerror=alert(1)>\nzeigt leere Bahnsteige, Pendler, Züge.", "sentence"),
            ("Der Ausstand dauert 35 Stunden, heißt es | laut Bahn.", "sentence"),
        ],
    ),
]


def _result(article: Article, label: str, specs: list[tuple[str, str]]) -> ArticleResult:
    sentences: list[Sentence] = []
    cursor = 0
    for n, (text, kind) in enumerate(specs, start=1):
        start = article.text.find(text, cursor)
        assert start >= 0, text
        end = start + len(text)
        sentences.append(Sentence(f"{label}{n}", article.id, n - 1, start, end, text, kind))  # type: ignore[arg-type]
        cursor = end
    return ArticleResult(article, label, sentences)


def make_comparison() -> Comparison:
    """Three articles, two groups (one conflicting), unique sentences and every optional section."""
    results = [_result(*spec) for spec in SPECS]
    blog = results[2].article.id
    groups = [
        # engine order; G1 has fewer articles but a higher score, so reports list G2 first
        Group("G1", ["A4", "B2"], ["spiegel-1", "zeit-2"], 0.95, "conflict"),
        Group("G2", ["A3", "B1", "C1"], ["spiegel-1", "zeit-2", blog], 0.8123456),
    ]
    unique = {
        "spiegel-1": ["A1", "A5"],  # "A1" is a heading: exporters must not list it as a claim
        "zeit-2": ["B3"],
        blog: ["C2", "C3"],
    }
    quote_text = '"Weselsky"'
    q_start = BLOG.find(quote_text)
    return Comparison(
        articles=results,
        groups=groups,
        unique=unique,
        settings={"embedder_model": "test/dummy"},
        discrepancies=[
            {
                "type": "number",
                "group": "G1",
                "sentences": ["A4", "B2"],
                "values": {"spiegel-1": "35 Stunden", "zeit-2": "24 Stunden"},
                "explanation": "Dauer des Streiks: 35 vs. 24 Stunden",
                "confidence": 0.8,
            },
            {"type": "weird"},  # almost empty: must not crash
        ],
        quotes=[
            {"id": "Q1", "article": blog, "start": q_start, "end": q_start + len(quote_text), "text": quote_text},
            {"id": "Q2", "article": "spiegel-1", "text": "völlig unverhältnismäßig", "speaker": "Deutsche Bahn"},
        ],
        quote_links=[
            {"quotes": ["Q1", "Q2"], "relation": "paraphrase", "speaker_conflict": True, "diff": ["a", "b"]},
            {},
        ],
    )


@pytest.fixture()
def comparison() -> Comparison:
    return make_comparison()


def _all_sentences(c: Comparison) -> list[Sentence]:
    return [s for r in c.articles for s in r.sentences]


def test_fixture_offsets_slice_the_text(comparison: Comparison) -> None:
    for r in comparison.articles:
        for s in r.sentences:
            assert r.article.text[s.start : s.end] == s.text


# --------------------------------------------------------------------------- JSON


def test_json_round_trip(comparison: Comparison) -> None:
    out = to_json(comparison)
    assert out.endswith("}\n")
    assert "Lokführergewerkschaft" in out  # ensure_ascii=False
    data = json.loads(out)
    assert data["schema"] == SCHEMA
    for key in ("articles", "groups", "unique", "discrepancies", "quotes", "quote_links", "settings"):
        assert key in data
    assert data == json.loads(json.dumps(comparison.to_dict()))
    texts = {r.article.id: r.article.text for r in comparison.articles}
    for a in data["articles"]:
        assert a["text_length"] == len(texts[a["id"]])
        for s in a["sentences"]:
            assert texts[a["id"]][s["start"] : s["end"]] == s["text"]
    assert [g["id"] for g in data["groups"]] == ["G1", "G2"]


def test_json_accepts_numpy_values(comparison: Comparison) -> None:
    np = pytest.importorskip("numpy")
    comparison.discrepancies[0]["confidence"] = np.float32(0.5)
    comparison.settings["ids"] = {"b", "a"}
    data = json.loads(to_json(comparison))
    assert data["discrepancies"][0]["confidence"] == 0.5
    assert data["settings"]["ids"] == ["a", "b"]


# --------------------------------------------------------------------------- Markdown


def _section(md: str, heading: str) -> str:
    """The text of one "## ..." section."""
    start = md.index(heading)
    nxt = md.find("\n## ", start + len(heading))
    return md[start : nxt if nxt >= 0 else len(md)]


def test_markdown_report(comparison: Comparison) -> None:
    md = to_markdown(comparison)
    assert md.startswith("# ") and md.endswith("\n") and not md.endswith("\n\n")
    for g in comparison.groups:
        assert f"### {g.id} · {g.status}" in md
        for sid in g.sentences:
            assert f"**\\[{sid}\\]**" in md
    # more articles first: G2 (3 sources) before G1 (2 sources, higher score)
    assert md.index("### G2") < md.index("### G1")
    assert "score 0.81" in md
    assert "## Shared facts" in md
    assert "## Only in Der Spiegel (A)" in md
    assert "## Only in Zeit Online (B)" in md
    only_a = _section(md, "## Only in Der Spiegel (A)")
    assert "[A5\\]" in only_a
    assert "A1" not in only_a and "Bahnstreik legt" not in only_a  # heading is not a claim
    assert "A2" not in md.split("## Shared facts")[1]  # dateline neither
    only_c = _section(md, "## Only in Blog")
    assert "[C2\\]" in only_c and "[C3\\]" in only_c
    # sources table: pipes inside cells escaped, one row per article, seven cells each
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(comparison.articles)
    for line in table:
        assert len(re.split(r"(?<!\\)\|", line)) == 9
    outside_code = re.sub(r"`[^`]*`", "", md)  # ids are code spans, where HTML is inert
    assert "\\<script\\>" in md and "<script>" not in outside_code
    # a newline inside a sentence does not break the list item
    assert "\\<img src=x onerror=alert(1)\\> zeigt leere" in md
    assert "## Discrepancies" in md and "35 Stunden" in md and "D2 · weird" in md
    assert "## Quotes" in md and "Deutsche Bahn" in md and "unknown speaker" in md
    assert "## Quote links" in md and "Q1 ↔ Q2: paraphrase (speaker conflict)" in md


def test_markdown_table_survives_pipes_in_code_spans(comparison: Comparison) -> None:
    row = next(line for line in to_markdown(comparison).splitlines() if line.startswith("| C |"))
    assert "`blog-3\"><script>x</script>\\|`" in row
    assert len(re.split(r"(?<!\\)\|", row)) == 9


def test_markdown_omits_empty_optional_sections(comparison: Comparison) -> None:
    comparison.discrepancies = []
    comparison.quotes = []
    comparison.quote_links = []
    md = to_markdown(comparison)
    assert "## Discrepancies" not in md and "## Quotes" not in md and "## Quote links" not in md


def test_markdown_survives_odd_producer_data(comparison: Comparison) -> None:
    comparison.groups.append(Group("G9", ["Z99"], ["nowhere"], float("nan")))
    comparison.unique["zeit-2"].append("Z42")
    comparison.discrepancies.append({"values": [1, 2], "sentences": "A3", "confidence": "hoch"})
    comparison.quotes.append({})
    comparison.quote_links.append({"quotes": "Q1", "diff": {"x": 1}})
    md = to_markdown(comparison)
    assert "\\[Z99\\]** (unknown sentence)" in md
    html_out = to_html(comparison)
    assert 'id="g-G9"' in html_out
    to_csv(comparison)


# --------------------------------------------------------------------------- HTML

_VOID = {"meta", "br", "img", "hr", "input", "link", "wbr", "source", "area", "base", "col", "embed", "track"}


class _Checker(HTMLParser):
    """Collects ids, links and tags, checks nesting, and the visible text of sentence spans and columns."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.span_text: dict[str, str] = {}
        self.column_text: list[str] = []
        self._span: str | None = None
        self._sup = 0
        self._in_column_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag not in _VOID:
            self.stack.append(tag)
        if tag == "span" and (a.get("id") or "").startswith("s-"):
            self._span = (a["id"] or "")[2:]
            self.span_text[self._span] = ""
        if tag == "sup":
            self._sup += 1
        if tag == "article":
            self.column_text.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}>, open: {self.stack[-3:]}")
            return
        self.stack.pop()
        if tag == "span":
            self._span = None
        if tag == "sup":
            self._sup -= 1
        if tag == "header" and "article" in self.stack:
            self._in_column_body = True
        if tag == "article":
            self._in_column_body = False

    def handle_data(self, data: str) -> None:
        if self._sup:
            return
        if self._span is not None:
            self.span_text[self._span] += data
        if self._in_column_body:
            self.column_text[-1] += data


def _parse(doc: str) -> _Checker:
    checker = _Checker()
    checker.feed(doc)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert checker.stack == [], checker.stack
    return checker


def test_html_is_escaped_and_self_contained(comparison: Comparison) -> None:
    doc = to_html(comparison)
    assert doc.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in doc
    assert "<script" not in doc.lower()  # neither the article's nor our own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "<img" not in doc
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc
    assert "&quot;Weselsky&quot; &amp; Co." in doc
    assert "javascript:" not in [h[:11].lower() for h in _parse(doc).hrefs]
    checker = _parse(doc)
    for tag, attrs in checker.tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "link", "b"}, tag
        for name in attrs:
            assert not name.startswith("on"), (tag, name)
        for name in ("src", "srcset", "data"):
            assert name not in attrs, (tag, name)
    # only our own http(s) link is the article url, on an <a>
    external = [h for h in checker.hrefs if not h.startswith("#")]
    assert external == ["https://www.spiegel.de/wirtschaft/bahnstreik-a-123.html"] * 2
    assert not re.search(r"@import|url\(", doc)


def test_html_anchors_and_sentences(comparison: Comparison) -> None:
    doc = to_html(comparison)
    checker = _parse(doc)
    ids = set(checker.ids)
    assert len(ids) == len(checker.ids), "duplicate ids"
    for s in _all_sentences(comparison):
        assert f'id="s-{s.id}"' in doc
        assert checker.span_text[s.id] == s.text  # offsets rendered faithfully
    for g in comparison.groups:
        assert f"g-{g.id}" in ids
        assert f'href="#g-{g.id}"' in doc
        for sid in g.sentences:
            assert f'href="#s-{sid}"' in doc
    for href in checker.hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href
    # role classes
    assert re.search(r'id="s-A1" class="sent heading"', doc)
    assert re.search(r'id="s-A2" class="sent heading"', doc)
    assert re.search(r'id="s-A4" class="sent conflict"', doc)
    assert re.search(r'id="s-A3" class="sent shared"', doc)
    assert re.search(r'id="s-B3" class="sent unique"', doc)
    # group list ordered like the Markdown report
    assert doc.index('id="g-G2"') < doc.index('id="g-G1"')
    # the whole article text is there, including the text between sentences
    for r, column in zip(comparison.articles, checker.column_text, strict=True):
        assert "".join(column.split()) == "".join(r.article.text.split())
    assert doc.count('<article class="col"') == 3
    assert "<p></p>" not in doc


def test_html_many_articles_scroll(comparison: Comparison) -> None:
    doc = to_html(comparison)
    assert "overflow-x: auto" in doc and "grid-auto-flow: column" in doc


def test_html_survives_bad_offsets_and_empty_input() -> None:
    text = "Erster Satz. Zweiter Satz."
    article = Article(id="x", text=text, url="  HTTPS://example.org/a?b=1&c=2 ")
    sentences = [
        Sentence("A2", "x", 1, 5, 25, text[5:25]),  # overlaps A1
        Sentence("A1", "x", 0, 0, 12, text[0:12]),
        Sentence("A3", "x", 2, 400, 500, ""),  # beyond the text
    ]
    c = Comparison([ArticleResult(article, "A", sentences), ArticleResult(Article(id="y", text=""), "B", [])], [], {})
    doc = to_html(c)
    checker = _parse(doc)
    assert {"s-A1", "s-A2", "s-A3"} <= set(checker.ids)
    assert "".join(checker.column_text[0].split()) == "".join(text.split())
    assert 'href="HTTPS://example.org/a?b=1&amp;c=2"' in doc
    md = to_markdown(c)
    assert "No fact is reported" in md
    assert to_csv(c) == "group,status,score,article,source,sentence,start,end,text,discrepancies,discrepancy_types,diff_text,speakers\n"


# --------------------------------------------------------------------------- CSV


def test_csv_rows_round_trip(comparison: Comparison) -> None:
    out = to_csv(comparison)
    assert out.startswith("group,status,score,article,source,sentence,start,end,text,discrepancies,discrepancy_types,diff_text,speakers\n")
    assert "\r\n" not in out
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    n_members = sum(len(g.sentences) for g in comparison.groups)
    # unique claims only: A5, B3, C2, C3 (the heading A1 listed in `unique` is skipped)
    n_unique = sum(1 for ids in comparison.unique.values() for sid in ids if comparison.sentence(sid).kind == "sentence")
    assert n_unique == 4
    assert len(rows) == n_members + n_unique
    by_id = {s.id: s for s in _all_sentences(comparison)}
    for row in rows:
        s = by_id[row["sentence"]]
        assert row["text"] == s.text
        assert (int(row["start"]), int(row["end"])) == (s.start, s.end)
        assert row["article"] == s.article
    first = rows[0]
    assert first["group"] == "G1" and first["status"] == "conflict" and first["score"] == "0.9500"
    uniques = [r for r in rows if r["status"] == "unique"]
    assert [r["sentence"] for r in uniques] == ["A5", "B3", "C2", "C3"]
    assert all(r["group"] == "" and r["score"] == "" for r in uniques)
    c2 = next(r for r in rows if r["sentence"] == "C2")
    assert "\n" in c2["text"] and "," in c2["text"]
    assert next(r for r in rows if r["sentence"] == "C1")["source"] == 'Blog <b>"X"</b> & Co'


# --------------------------------------------------------------------------- render / write


def test_render_dispatch(comparison: Comparison) -> None:
    assert FORMATS == ("md", "html", "csv", "json")
    assert render(comparison, "json") == to_json(comparison)
    assert render(comparison, "md") == to_markdown(comparison)
    assert render(comparison, "HTML") == to_html(comparison)
    assert render(comparison, "csv") == to_csv(comparison)
    with pytest.raises(ValueError, match="unknown format"):
        render(comparison, "pdf")


def _stray(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_write_atomic_create_refuse_force(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    old = os.umask(0o022)
    try:
        assert write_atomic(target, "eins\n") == target
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "eins\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644

    with pytest.raises(OutputError, match="exists; use --force to overwrite") as info:
        write_atomic(target, "zwei\n")
    assert "\n" not in str(info.value)
    assert target.read_text(encoding="utf-8") == "eins\n"

    write_atomic(str(target), "zwei – äöü\r\n", force=True)
    assert target.read_bytes() == "zwei – äöü\r\n".encode()
    assert _stray(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_write_atomic_keeps_mode_of_overwritten_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("alt")
    target.chmod(0o600)
    write_atomic(target, "neu", force=True)
    assert target.read_text() == "neu"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_write_atomic_cleans_up_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.html"
    target.write_text("original", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, "neu", force=True)
    assert target.read_text(encoding="utf-8") == "original"
    assert _stray(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


def test_write_atomic_cleans_up_on_encoding_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "x.md", "kaputt \udcff")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_bad_targets(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "out.json", "{}")
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, "{}", force=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="not a directory"):
        write_atomic(tmp_path / "file" / "out.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_write_atomic_all_formats(tmp_path: Path, comparison: Comparison) -> None:
    for fmt in FORMATS:
        path = write_atomic(tmp_path / f"report.{fmt}", render(comparison, fmt))
        assert path.read_text(encoding="utf-8") == render(comparison, fmt)
    assert _stray(tmp_path) == []


@pytest.mark.parametrize(
    "article_id,title,source,expected",
    [
        ("000_390fca3d3418ce8e", None, None, "Vor dem Hintergrund der Ereignisse in …"),
        ("spiegel-blinken", None, None, "spiegel-blinken"),
        ("000_390fca3d3418ce8e", "Blinken in Astana", None, "Blinken in Astana"),
        ("x", "Blinken in Astana", "Der Spiegel", "Der Spiegel"),
    ],
)
def test_display_name_prefers_what_a_reader_knows(article_id: str, title: str | None, source: str | None, expected: str) -> None:
    from compare.export._common import display_name

    article = Article(id=article_id, text="Vor dem Hintergrund der Ereignisse in der Ukraine wirbt der Westen.", title=title, source=source)
    assert display_name(ArticleResult(article, "A", [])) == expected


def _with_reported(c: Comparison) -> Comparison:
    """The fixture plus a reported-speech attribution on B2, with a speaker that is markup."""
    c.reported_speech = [
        {"id": "R1", "article": "zeit-2", "sentence": "B2", "speaker": "<script>Lutz</script>", "cue": "laut", "rule": "according"},
        {"id": "R2"},  # almost empty: must not crash
    ]
    return c


def test_reported_speech_section_in_markdown_and_html(comparison: Comparison) -> None:
    """Statements attributed without quotation marks are listed with speaker, cue and the
    sentence they come from; both reports leave the section out when there are none."""
    assert "Reported speech" not in to_markdown(comparison) and 'id="reported"' not in to_html(comparison)
    c = _with_reported(comparison)
    sentence = c.sentence_index()["B2"]
    section = _section(to_markdown(c), "## Reported speech")
    line = next(line for line in section.splitlines() if "**R1**" in line)
    assert "laut" in line and "B2" in line and sentence.text.split()[0] in line
    doc = to_html(c)
    _parse(doc)
    reported = doc[doc.index('<section id="reported">') :]
    assert "&lt;script&gt;Lutz&lt;/script&gt;" in reported and "<script" not in reported.lower()
    assert 'href="#s-B2"' in reported and sentence.text in reported  # plain German, nothing to escape


def test_csv_speakers_column(comparison: Comparison) -> None:
    """Who speaks in each sentence: quotations that are statements and reported speech,
    each person once, in the order they are named; scare quotes and unresolved ones name nobody."""
    c = _with_reported(comparison)
    b2 = c.sentence_index()["B2"]
    c.quotes = [
        {"id": "Q1", "article": "zeit-2", "sentence": "B2", "kind": "direct", "speaker": "=Weselsky", "speaker_span": [b2.start + 9, b2.start + 17]},
        {"id": "Q2", "article": "zeit-2", "sentence": "B2", "kind": "partial", "speaker": "<script>Lutz</script>", "speaker_span": [b2.start + 1, b2.start + 5]},
        {"id": "Q3", "article": "zeit-2", "sentence": "B1", "kind": "scare", "speaker": "Nobody"},
        {"id": "Q4", "article": "zeit-2", "sentence": "B3", "kind": "direct", "speaker": None},
    ]
    c.reported_speech[0]["speaker_span"] = [b2.start + 1, b2.start + 5]
    rows = {r["sentence"]: r for r in csv.DictReader(io.StringIO(to_csv(c), newline=""))}
    # Lutz (named at +1, by a quote and by reported speech) once, before Weselsky (+9);
    # the cell opens with "<", so it is not defused, but a name opening with "=" would be
    assert rows["B2"]["speakers"] == "<script>Lutz</script> | =Weselsky"
    assert rows["B1"]["speakers"] == rows["B3"]["speakers"] == ""
    c.quotes = [q for q in c.quotes if q["id"] == "Q1"]
    c.reported_speech = []
    rows = {r["sentence"]: r for r in csv.DictReader(io.StringIO(to_csv(c), newline=""))}
    assert rows["B2"]["speakers"] == "'=Weselsky"
