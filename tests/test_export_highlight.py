"""Differing spans marked inside sentences in the HTML, Markdown and CSV reports.

Real comparisons (e5, no second opinion) of a seed against planted variants, and a
hand-built comparison whose discrepancy spans cover hostile text.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from compare.engine import compare_articles
from compare.export import to_csv, to_html, to_markdown
from compare.export.highlight import diff_spans, discrepancy_ids, span_sentences, spans_by_discrepancy
from compare.ingest import article_from_text, load_file
from compare.model import Article, ArticleResult, Comparison, Group, Sentence
from compare.options import CompareOptions
from compare.perturbations import PERTURBATIONS, SEED, apply

OPTIONS = CompareOptions(support="none")


def _variant(name: str) -> Comparison:
    original = load_file(SEED)[0]
    p = next(p for p in PERTURBATIONS if p.name == name)
    changed = article_from_text(apply(original.text, p), id="changed", language="de")
    return compare_articles([original, changed], OPTIONS)


@pytest.fixture(scope="module")
def amount() -> Comparison:
    return _variant("amount")


@pytest.fixture(scope="module")
def altered_quote() -> Comparison:
    return _variant("quote wording")


@pytest.fixture(scope="module")
def identical() -> Comparison:
    original = load_file(SEED)[0]
    return compare_articles([original, article_from_text(original.text, id="copy", language="de")], OPTIONS)


# --------------------------------------------------------------------------- HTML parsing


class _Marks(HTMLParser):
    """Every <mark> with its attributes, its text, and the sentence span (s-...) or section it sits in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[dict[str, Any]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.dels: list[str] = []
        self.inss: list[str] = []
        self.errors: list[str] = []
        self._open: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag in {"meta", "br"}:
            return
        if tag in {"mark", "del", "ins"}:
            within = [x.get("id") for _, x in self.stack if x.get("id")]
            self._open.append({"tag": tag, "attrs": a, "text": "", "within": within})
        self.stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unexpected </{tag}>")
            return
        self.stack.pop()
        if tag in {"mark", "del", "ins"}:
            item = self._open.pop()
            {"mark": self.marks, "del": self.dels, "ins": self.inss}[tag].append(item if tag == "mark" else item["text"])

    def handle_data(self, data: str) -> None:
        for item in self._open:
            item["text"] += data


def _parse(doc: str) -> _Marks:
    p = _Marks()
    p.feed(doc)
    p.close()
    assert not p.errors and p.stack == [], (p.errors[:3], p.stack[-3:])
    return p


def _in(mark: dict[str, Any], anchor: str) -> bool:
    return anchor in mark["within"]


# --------------------------------------------------------------------------- planted amount


def test_html_marks_exactly_the_planted_values(amount: Comparison) -> None:
    assert len(amount.discrepancies) == 1
    d = amount.discrepancies[0]
    assert d["type"] == "number"
    doc = to_html(amount)
    parsed = _parse(doc)
    ids = {x["id"] for x in amount.discrepancies}
    assert parsed.marks, "no marks rendered"
    for m in parsed.marks:
        assert m["attrs"].get("data-discrepancy") in ids
        assert "diff-number" in (m["attrs"].get("class") or "").split()
        assert m["attrs"].get("title") == d["explanation"]
    index = amount.sentence_index()
    for sid, (start, end) in d["spans"].items():
        s = index[sid]
        expected = d["values"][s.article]
        assert expected in ("41,5 Millionen US-Dollar", "45 Millionen US-Dollar")
        in_column = [m for m in parsed.marks if _in(m, f"s-{sid}")]
        assert [m["text"] for m in in_column] == [expected]
        in_section = [m for m in parsed.marks if _in(m, f"d-{d['id']}")]
        assert expected in [m["text"] for m in in_section]
    # marks appear in the columns, the group list and the discrepancy table, nowhere else
    assert len([m for m in parsed.marks if _in(m, f"d-{d['id']}")]) == 2
    assert len(parsed.marks) == 6
    # the discrepancy section links each sentence to its anchor in the columns, and every anchor exists
    section = doc[doc.index('id="discrepancies"') :]
    for sid in d["sentences"]:
        assert f'href="#s-{sid}"' in section
    for href in parsed.hrefs:
        if href.startswith("#"):
            assert href[1:] in parsed.ids, href
    assert len(parsed.ids) == len(set(parsed.ids))
    # roles stay: the disputed sentences keep the conflict colour
    for sid in d["sentences"]:
        assert re.search(rf'id="s-{sid}" class="sent conflict"', doc)


def test_html_columns_keep_the_whole_sentence_text(amount: Comparison) -> None:
    """Marking splits a sentence's text into pieces; together they must still be the sentence."""

    class Spans(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.text: dict[str, str] = {}
            self._sid: str | None = None
            self._sup = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            sid = dict(attrs).get("id") or ""
            if tag == "span" and sid.startswith("s-"):
                self._sid = sid[2:]
                self.text[self._sid] = ""
            self._sup += tag == "sup"

        def handle_endtag(self, tag: str) -> None:
            self._sup -= tag == "sup"
            if tag == "span":
                self._sid = None

        def handle_data(self, data: str) -> None:
            if self._sid is not None and not self._sup:
                self.text[self._sid] += data

    p = Spans()
    p.feed(to_html(amount))
    for sid in amount.discrepancies[0]["sentences"]:
        assert p.text[sid] == amount.sentence(sid).text


def test_markdown_emphasises_the_values_in_both_sentences(amount: Comparison) -> None:
    md = to_markdown(amount)
    d = amount.discrepancies[0]
    section = md[md.index("## Discrepancies") :]
    assert f"### {d['id']} · number" in section
    for sid in d["sentences"]:
        s = amount.sentence(sid)
        value = d["values"][s.article]
        line = next(line for line in section.splitlines() if line.startswith(f"  > **\\[{sid}\\]**"))
        assert f"**{value}**" in line
        # the rest of the quoted line is the sentence itself
        assert line.replace("**", "").replace("\\", "").endswith(s.text.replace("\n", " "))
    assert md.count("**41,5 Millionen US-Dollar**") >= 2  # its own value line and the quoted sentence
    assert md.count("**45 Millionen US-Dollar**") >= 2


def test_csv_names_the_differing_text(amount: Comparison) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(amount), newline="")))
    d = amount.discrepancies[0]
    flagged = {r["sentence"]: r for r in rows if r["discrepancies"]}
    assert set(flagged) == set(d["sentences"])
    for sid, r in flagged.items():
        assert r["discrepancies"] == d["id"]
        assert r["discrepancy_types"] == "number"
        assert r["diff_text"] == d["values"][amount.sentence(sid).article]
        assert r["status"] == "conflict"
    assert all(r["diff_text"] == "" and r["discrepancy_types"] == "" for r in rows if not r["discrepancies"])


# --------------------------------------------------------------------------- altered quote


def test_altered_quote_shows_the_word_diff(altered_quote: Comparison) -> None:
    altered = [link for link in altered_quote.quote_links if link["relation"] == "altered"]
    assert len(altered) == 1
    assert altered[0]["diff"] == [{"op": "delete", "a": "nur", "b": ""}]
    quote = next(d for d in altered_quote.discrepancies if d["type"] == "quote")

    md = to_markdown(altered_quote)
    assert "~~nur~~" in md
    link_line = next(line for line in md.splitlines() if ": altered" in line)
    assert link_line.endswith("— ~~nur~~")
    assert "- Word changes: ~~nur~~" in md[md.index(f"### {quote['id']}") :]

    doc = to_html(altered_quote)
    parsed = _parse(doc)
    assert parsed.dels.count("nur") == 2  # in the discrepancy and in the quote link
    assert parsed.inss == []
    # the quote discrepancy marks the whole quoted passage in both columns
    for sid, (start, end) in quote["spans"].items():
        s = altered_quote.sentence(sid)
        text = next(r.article.text for r in altered_quote.articles if r.article.id == s.article)
        in_column = [m for m in parsed.marks if _in(m, f"s-{sid}")]
        assert [m["text"] for m in in_column] == [text[start:end]]
        assert "diff-quote" in (in_column[0]["attrs"]["class"] or "")
    # the linked quotes sit side by side with their speakers
    block = doc[doc.index('id="quote-links"') :]
    q1, q2 = altered[0]["quotes"]
    quotes = {q["id"]: q for q in altered_quote.quotes}
    altered_block = block[block.index(f'href="#q-{q1}"') :]
    altered_block = altered_block[: altered_block.index("</div>")]
    for qid in (q1, q2):
        assert quotes[qid]["speaker"] in altered_block
        assert f'href="#s-{quotes[qid]["sentence"]}"' in altered_block
    assert "speaker conflict" not in altered_block


def test_no_discrepancies_no_marks(identical: Comparison) -> None:
    assert identical.discrepancies == []
    doc = to_html(identical)
    assert "<mark" not in doc and "<del" not in doc and "<ins" not in doc
    assert 'id="discrepancies"' not in doc
    md = to_markdown(identical)
    assert "## Discrepancies" not in md and "~~" not in md
    # bold stays reserved for citations ("**\[A3\]**"), never sentence content
    assert not re.search(r"\*\*(?!\\\[)[^*\n]+\*\*", md.split("## Shared facts")[1].split("## Quotes")[0])
    rows = list(csv.DictReader(io.StringIO(to_csv(identical), newline="")))
    assert rows and all(r["discrepancies"] == r["diff_text"] == "" for r in rows)


# --------------------------------------------------------------------------- hostile text, bad offsets

HOSTILE_A = "Erster Satz. Der Betrag <script>alert(1)</script> lag bei **7** Mio. Euro laut =SUM(A1)."
HOSTILE_B = "Erster Satz. Der Betrag <img src=x onerror=alert(1)> lag bei 9 Mio. Euro | ~~x~~ [a](b)."


def _hostile(discrepancies: list[dict[str, Any]]) -> Comparison:
    a = Article(id="a", text=HOSTILE_A, source="A-Blatt")
    b = Article(id="b", text=HOSTILE_B, source="B-Post")

    def sents(article: Article, label: str) -> list[Sentence]:
        cut = article.text.index("Der")
        return [
            Sentence(f"{label}1", article.id, 0, 0, cut - 1, article.text[: cut - 1]),
            Sentence(f"{label}2", article.id, 1, cut, len(article.text), article.text[cut:]),
        ]

    return Comparison(
        articles=[ArticleResult(a, "A", sents(a, "A")), ArticleResult(b, "B", sents(b, "B"))],
        groups=[Group("G1", ["A1", "B1"], ["a", "b"], 3.0), Group("G2", ["A2", "B2"], ["a", "b"], 2.0, "conflict")],
        unique={"a": [], "b": []},
        discrepancies=discrepancies,
    )


def _span(text: str, piece: str) -> list[int]:
    start = text.index(piece)
    return [start, start + len(piece)]


A_PIECE = "<script>alert(1)</script> lag bei **7**"
B_PIECE = "<img src=x onerror=alert(1)> lag bei 9"


@pytest.fixture()
def hostile() -> Comparison:
    return _hostile(
        [
            {
                "id": "D1",
                "type": "number",
                "group": "G2",
                "sentences": ["A2", "B2"],
                "values": {"a": A_PIECE, "b": B_PIECE},
                "spans": {"A2": _span(HOSTILE_A, A_PIECE), "B2": _span(HOSTILE_B, B_PIECE)},
                "explanation": 'x" onmouseover="alert(1)',
                "confidence": 0.9,
            }
        ]
    )


def test_html_escapes_hostile_text_inside_marks(hostile: Comparison) -> None:
    doc = to_html(hostile)
    parsed = _parse(doc)
    for tag, attrs in parsed.tags:
        assert tag not in {"script", "img"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc and "&lt;img src=x onerror=alert(1)&gt;" in doc
    in_a = [m for m in parsed.marks if _in(m, "s-A2")]
    in_b = [m for m in parsed.marks if _in(m, "s-B2")]
    assert [m["text"] for m in in_a] == [A_PIECE] and [m["text"] for m in in_b] == [B_PIECE]
    assert in_a[0]["attrs"]["title"] == 'x" onmouseover="alert(1)'


def test_markdown_escapes_hostile_text_inside_emphasis(hostile: Comparison) -> None:
    md = to_markdown(hostile)
    section = md[md.index("## Discrepancies") :]
    line_a = next(line for line in section.splitlines() if line.startswith("  > **\\[A2\\]**"))
    line_b = next(line for line in section.splitlines() if line.startswith("  > **\\[B2\\]**"))
    assert "**\\<script\\>alert(1)\\</script\\> lag bei \\*\\*7\\*\\***" in line_a
    assert "**\\<img src=x onerror=alert(1)\\> lag bei 9**" in line_b
    assert "\\~\\~x\\~\\~ \\[a\\](b)" in line_b and "\\|" in line_b
    outside_escapes = re.sub(r"\\.", "", md)
    assert "<script>" not in outside_escapes and "<img" not in outside_escapes
    # exactly two unescaped bold markers around each value: the citation's and the value's
    assert len(re.findall(r"(?<!\\)\*\*", line_a)) == 4


def test_csv_defuses_formulas_and_keeps_diff_text(hostile: Comparison) -> None:
    hostile.discrepancies.append(
        {"id": "D2", "type": "number", "sentences": ["A2"], "spans": {"A2": _span(HOSTILE_A, "=SUM(A1)")}}
    )
    hostile.articles[0].article.source = "=HYPERLINK(1)"
    rows = {r["sentence"]: r for r in csv.DictReader(io.StringIO(to_csv(hostile), newline=""))}
    assert rows["A2"]["discrepancies"] == "D1 | D2"
    assert rows["A2"]["discrepancy_types"] == "number | number"
    assert rows["A2"]["diff_text"] == f"{A_PIECE} | =SUM(A1)"
    assert rows["B2"]["diff_text"] == B_PIECE
    assert rows["A2"]["source"] == "'=HYPERLINK(1)"
    formula = {"id": "D3", "type": "number", "sentences": ["A2"], "spans": {"A2": _span(HOSTILE_A, "=SUM(A1)")}}
    hostile.discrepancies[:] = [formula]
    rows = {r["sentence"]: r for r in csv.DictReader(io.StringIO(to_csv(hostile), newline=""))}
    assert rows["A2"]["diff_text"] == "'=SUM(A1)"
    assert rows["A1"]["text"] == "Erster Satz."


def test_bad_offsets_and_overlaps_do_not_crash() -> None:
    start, end = _span(HOSTILE_A, "lag bei")
    c = _hostile(
        [
            {"id": "D1", "type": "number", "sentences": ["A2", "B2"], "spans": {"A2": [start, end], "B2": [-50, 5000]}},
            {"id": "D2", "type": "date", "sentences": ["A2"], "spans": {"A2": [start + 2, end + 30], "A1": [900, 999]}},
            {"id": "D3", "type": "entity", "spans": {"A2": ["x", None], "B1": [3], "Z9": [0, 4], "B2": None}},
            {"id": "D1", "type": "negation", "spans": [1, 2]},  # repeated id, spans not a mapping
            {"type": "<b>bad</b>", "sentences": "A1", "spans": {"A1": [5, 2]}},
            "just a string",
        ]
    )
    doc = to_html(c)
    parsed = _parse(doc)
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate anchors"
    for href in parsed.hrefs:
        if href.startswith("#"):
            assert href[1:] in parsed.ids, href
    a2 = [m for m in parsed.marks if _in(m, "s-A2")]
    # D1 and D2 overlap in A2: the first is kept, clamped to the sentence
    assert [m["attrs"]["data-discrepancy"] for m in a2] == ["D1"]
    assert a2[0]["text"] == "lag bei"
    b2 = [m for m in parsed.marks if _in(m, "s-B2")]
    assert [m["text"] for m in b2] == [c.sentence("B2").text]  # clamped to the whole sentence
    assert "<b>" not in doc
    md = to_markdown(c)
    assert "### D4 · negation" in md  # the repeated id got its position
    assert "\\</script\\> **lag bei** \\*\\*7" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(c), newline="")))
    assert {r["sentence"] for r in rows} == {"A1", "B1", "A2", "B2"}


def test_adjacent_spans_stay_valid_markdown() -> None:
    text = HOSTILE_B
    first, second = _span(text, "9 Mio."), _span(text, " Euro")
    c = _hostile(
        [
            {"id": "D1", "type": "number", "sentences": ["B2"], "spans": {"B2": first}},
            {"id": "D2", "type": "number", "sentences": ["B2"], "spans": {"B2": second}},
        ]
    )
    assert [(s.start, s.end) for s in diff_spans(c)["B2"]][0][1] == [(s.start, s.end) for s in diff_spans(c)["B2"]][1][0]
    shared = to_markdown(c).split("## Shared facts")[1].split("## Only in")[0]
    assert "**9 Mio. Euro**" in shared and "****" not in shared


# --------------------------------------------------------------------------- diff_spans checks its own input


def test_diff_spans_skips_what_it_cannot_use() -> None:
    """Entries and spans from any producer: diff_spans keeps what is usable and drops the rest itself."""
    start, end = _span(HOSTILE_A, "lag bei")
    b2 = _span(HOSTILE_B, "lag bei")
    c = _hostile(
        [
            "just a string",  # not a mapping
            None,
            {"id": "S1", "type": "number", "spans": [start, end]},  # spans not a mapping
            {"id": "S2", "type": "number", "spans": "A2"},
            {"id": "S3", "type": "number", "spans": 7},
            {
                "id": "S4",
                "type": "date",
                "spans": {
                    "A1": [900, 999],  # outside its sentence
                    "B1": [True, 3],  # a bool is no offset
                    "Z9": [0, 4],  # no such sentence
                    "A2": [str(start), str(end)],  # strings are no offsets
                    "B2": [float("inf"), 5],
                },
            },
            {"id": "S5", "type": "date", "spans": {"A2": [start + 0.5, end], "B2": {"start": 1}}},
            {"id": "S6", "type": "date", "spans": {"A2": [start, end, 3], "B2": [float("nan"), 5]}},
            {"type": None, "explanation": None, "spans": {"A2": [float(start), float(end)]}},  # no id, integral floats
            {"id": "S8", "type": "entity", "spans": {"B2": b2}},
        ]
    )
    spans = diff_spans(c)
    assert set(spans) == {"A2", "B2"}
    (a2,) = spans["A2"]
    assert c.sentence("A2").text[a2.start : a2.end] == "lag bei"
    assert (a2.discrepancy, a2.type, a2.explanation) == ("D9", "", "")  # the id every report gives it
    (b,) = spans["B2"]
    assert b.discrepancy == "S8" and c.sentence("B2").text[b.start : b.end] == "lag bei"
    assert diff_spans(_hostile([])) == {}


def test_discrepancy_ids_agree_with_the_reports() -> None:
    c = _hostile(
        [
            {"id": "D2", "spans": {"A2": _span(HOSTILE_A, "Betrag")}},
            {"spans": {"A2": _span(HOSTILE_A, "lag")}},
            {"id": "D2", "spans": {"B2": _span(HOSTILE_B, "Betrag")}},
            {"id": "  ", "spans": {"B2": _span(HOSTILE_B, "lag")}},
            "no mapping",
        ]
    )
    assert discrepancy_ids(c.discrepancies) == ["D2", "D2-2", "D3", "D4", "D5"]
    marked = {s.discrepancy for ss in diff_spans(c).values() for s in ss}
    assert marked == {"D2", "D2-2", "D3", "D4"}
    parsed = _parse(to_html(c))
    assert {m["attrs"]["data-discrepancy"] for m in parsed.marks} == marked
    assert {f"d-{did}" for did in discrepancy_ids(c.discrepancies)} <= set(parsed.ids)


def test_spans_by_discrepancy_keeps_each_discrepancys_own_spans() -> None:
    lag = _span(HOSTILE_A, "lag bei")
    c = _hostile(
        [
            {"id": "D1", "type": "number", "spans": {"A2": lag}},
            {"id": "D2", "type": "date", "spans": {"A2": [lag[0] + 1, lag[1]], "B2": "bad"}},
            {"id": "D3", "spans": [1, 2]},
        ]
    )
    per = spans_by_discrepancy(c)
    assert set(per) == {"D1", "D2", "D3"} and per["D3"] == {}
    assert [s.discrepancy for s in per["D2"]["A2"]] == ["D2"] and "B2" not in per["D2"]
    assert [s.discrepancy for s in diff_spans(c)["A2"]] == ["D1"]  # the overlap keeps the first
    assert span_sentences(c.discrepancies[1]) == ["A2", "B2"]
    assert span_sentences(c.discrepancies[2]) == [] and span_sentences("x") == [] and span_sentences({}) == []
