"""The cross-article briefing (issue 4): every line traceable, nothing disputed dropped, output safe.

Built on real comparisons (the seeds, and a seed against planted variants), checked by
properties that hold for any input rather than by expected sentences.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from compare.engine import compare_articles
from compare.ingest import article_from_text, load_articles, load_file
from compare.model import Comparison
from compare.perturbations import PERTURBATIONS, SEED, apply
from summarize.briefing import Briefing, BriefingItem, build_briefing, fact_count, short_source, source_name
from summarize.briefing_render import BRIEFING_FORMATS, render_briefing

pytestmark = pytest.mark.slow  # runs the real alignment models

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SCRIPT = "<script>alert(1)</script>"
# A sentence of hostile markup planted in an article: HTML, a link, emphasis, a table pipe,
# a code span and a would-be heading; it must come out as literal text everywhere.
HOSTILE = (
    f"Der Korrespondent in Astana schrieb {SCRIPT} und [klick](javascript:alert(2)) "
    "sowie **fett** | Tabelle | `code` # Titel über Tokajew."
)
HOSTILE_SOURCE = '<img src=x onerror="alert(3)"> *Wire*'


def _perturbation(name: str):  # type: ignore[no-untyped-def]
    return next(p for p in PERTURBATIONS if p.name == name)


@pytest.fixture(scope="module")
def seeds() -> Comparison:
    return compare_articles(load_articles(SEEDS))


@pytest.fixture(scope="module")
def amount() -> Comparison:
    """Seed A against a copy with the aid amount changed and a hostile sentence appended."""
    original = load_file(SEED)[0]
    text = apply(original.text, _perturbation("amount")) + "\n\n" + HOSTILE
    changed = article_from_text(text, id="changed", source=HOSTILE_SOURCE, language="de")
    return compare_articles([original, changed])


@pytest.fixture(scope="module")
def speaker() -> Comparison:
    """Seed A against a copy that gives a quote to another speaker."""
    original = load_file(SEED)[0]
    changed = article_from_text(apply(original.text, _perturbation("quote speaker")), id="changed", language="de")
    return compare_articles([original, changed])


@pytest.fixture(scope="module", params=["seeds", "amount", "speaker"])
def case(request: pytest.FixtureRequest) -> tuple[Comparison, Briefing]:
    comparison = request.getfixturevalue(request.param)
    return comparison, build_briefing(comparison)


# --------------------------------------------------------------------------- every section


def test_every_citation_names_a_sentence_of_the_comparison(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    index = comparison.sentence_index()
    items = briefing.items()
    assert items
    for item in items:
        assert item.citations, item
        assert set(item.citations) <= set(index), item
        assert len(item.citations) == len(set(item.citations))
        assert item.text.strip()


def test_briefing_is_deterministic_and_pure(seeds: Comparison) -> None:
    before = json.dumps(seeds.to_dict(), sort_keys=True, ensure_ascii=False)
    first, second = build_briefing(seeds), build_briefing(seeds)
    assert first == second
    assert json.dumps(seeds.to_dict(), sort_keys=True, ensure_ascii=False) == before, "the comparison is not touched"
    assert first.lead is None


def test_limits_and_lead(seeds: Comparison) -> None:
    full = build_briefing(seeds)
    small = build_briefing(seeds, lead="  Blinken  besucht\nKasachstan. ", max_consensus=2, max_unique=1)
    assert small.consensus == full.consensus[:2]
    for article_id, items in small.unique.items():
        assert items == full.unique[article_id][:1]
    assert small.lead == "Blinken besucht Kasachstan."
    assert build_briefing(seeds, lead="   ").lead is None
    assert build_briefing(seeds, max_consensus=0).consensus == []
    with pytest.raises(ValueError):
        build_briefing(seeds, max_unique=-1)


# --------------------------------------------------------------------------- consensus


def test_consensus_lines_quote_a_member_and_cite_the_whole_group(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    index = comparison.sentence_index()
    groups = {g.id: g for g in comparison.groups}
    agreeing = [g for g in comparison.groups if g.status == "agree"]
    assert agreeing, "the fixtures have shared facts"
    assert len(briefing.consensus) == min(10, len(agreeing))
    seen = set()
    for item in briefing.consensus:
        group = groups[item.extra["group"]]
        assert group.status == "agree" and group.id not in seen
        seen.add(group.id)
        assert sorted(item.citations) == sorted(group.sentences)
        assert item.text in {index[sid].text for sid in item.citations}
        assert len({index[sid].article for sid in item.citations}) >= 2
        # the representative is the member carrying the most facts
        facts = {sid: fact_count(index[sid].text, _language(comparison, index[sid].article)) for sid in item.citations}
        assert fact_count(item.text, _language(comparison, index[item.extra["sentence"]].article)) == max(facts.values())
    sources = [len(item.extra["sources"]) for item in briefing.consensus]
    assert sources == sorted(sources, reverse=True), "facts told by more sources come first"


def test_conflicting_groups_are_not_consensus(amount: Comparison) -> None:
    briefing = build_briefing(amount, max_consensus=len(amount.groups))
    conflicts = {g.id for g in amount.groups if g.status == "conflict"}
    assert conflicts, "the planted amount makes its group a conflict"
    assert len(briefing.consensus) == len(amount.groups) - len(conflicts)
    assert not conflicts & {item.extra["group"] for item in briefing.consensus}
    disputed = {sid for item in briefing.disputed for sid in item.citations}
    assert not disputed & {sid for item in briefing.consensus for sid in item.citations}


# --------------------------------------------------------------------------- disputed


def test_every_discrepancy_is_disputed_with_each_value(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    assert len(briefing.disputed) == len(comparison.discrepancies)
    by_id = {item.extra["discrepancy"]: item for item in briefing.disputed}
    for d in comparison.discrepancies:
        item = by_id[d["id"]]
        assert item.kind == d["type"]
        assert set(item.citations) == set(d["sentences"])
        for value in d["values"].values():
            assert value in item.text
        assert item.extra["explanation"] == d["explanation"]


def test_planted_amount_is_disputed_with_both_figures(amount: Comparison) -> None:
    numbers = [d for d in amount.discrepancies if d["type"] == "number"]
    assert numbers
    item = next(i for i in build_briefing(amount).disputed if i.extra["discrepancy"] == numbers[0]["id"])
    ids = [r.article.id for r in amount.articles]
    text = item.text
    first, second = (numbers[0]["values"][a] for a in ids)
    assert text.index(first) < text.index(" vs ") < text.index(second), "values in source order"
    for r in amount.articles:
        assert short_source(r) in text
    labels = {amount.sentence(sid).article for sid in item.citations}
    assert labels == set(ids)


def test_changed_speaker_is_disputed_and_marked_in_quotes(speaker: Comparison) -> None:
    briefing = build_briefing(speaker)
    attributions = [d for d in speaker.discrepancies if d["type"] == "attribution"]
    assert attributions
    disputed = [i for i in briefing.disputed if i.kind == "attribution"]
    assert {i.extra["discrepancy"] for i in disputed} == {d["id"] for d in attributions}
    conflicted = [i for i in briefing.quotes if i.extra.get("speaker_conflict")]
    assert conflicted
    for item in conflicted:
        assert "speaker conflict" in item.text
        for name in item.extra["speakers"].values():
            assert name and name in item.text


# --------------------------------------------------------------------------- only in


def test_unique_lines_cite_unique_sentences_only(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    index = comparison.sentence_index()
    assert list(briefing.unique) == [r.article.id for r in comparison.articles]
    for article_id, items in briefing.unique.items():
        assert len(items) <= 3
        for item in items:
            assert item.citations == [item.citations[0]]
            sid = item.citations[0]
            assert sid in comparison.unique[article_id]
            assert index[sid].kind == "sentence" and item.text == index[sid].text
            assert len(item.text.split()) >= 6
        salience = [item.extra["facts"] + item.extra["statements"] for item in items]
        assert salience == sorted(salience, reverse=True)
        # nothing left out carries more facts than the weakest line kept
        if len(items) == 3:
            kept = {i.citations[0] for i in items}
            language = _language(comparison, article_id)
            others = [
                fact_count(index[sid].text, language)
                for sid in comparison.unique[article_id]
                if sid not in kept and index[sid].kind == "sentence" and len(index[sid].text.split()) >= 6
            ]
            weakest = min(salience)
            assert all(n <= weakest for n in others)


def test_seeds_have_unique_points_for_every_source(seeds: Comparison) -> None:
    briefing = build_briefing(seeds)
    assert all(len(items) == 3 for items in briefing.unique.values())


# --------------------------------------------------------------------------- quotes


def test_quotes_cover_every_statement_once(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    index = comparison.sentence_index()
    listed = [qid for item in briefing.quotes for qid in item.extra["quotes"]]
    assert len(listed) == len(set(listed))
    statements = {q["id"] for q in comparison.quotes if q["kind"] in ("direct", "partial")}
    linked = {qid for link in comparison.quote_links for qid in link["quotes"]}
    assert statements | linked == set(listed)
    quotes = {q["id"]: q for q in comparison.quotes}
    for item in briefing.quotes:
        for qid in item.extra["quotes"]:
            q = quotes[qid]
            assert q["text"] in item.text or item.kind == "quote_link"
            assert any(index[sid].article == q["article"] for sid in item.citations)
        if item.kind == "quote_link":
            assert len({index[sid].article for sid in item.citations}) >= 2


def test_altered_quote_is_marked_with_its_diff() -> None:
    original = load_file(SEED)[0]
    changed = article_from_text(apply(original.text, _perturbation("quote wording")), id="changed", language="de")
    comparison = compare_articles([original, changed])
    briefing = build_briefing(comparison)
    altered = [i for i in briefing.quotes if "altered" in i.extra["relations"]]
    assert altered
    for item in altered:
        assert item.extra["diff"]
        for d in item.extra["diff"]:
            assert f"{d['a'] or '∅'} → {d['b'] or '∅'}" in item.text
    assert [i.kind for i in briefing.disputed] == [d["type"] for d in comparison.discrepancies]


# --------------------------------------------------------------------------- rendering


class _Page(HTMLParser):
    """Collects tags, text and citation links of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.cites: list[dict[str, str | None]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and "cite" in (a.get("class") or "").split():
            self.cites.append(a)
        for name, _ in attrs:
            assert not name.startswith("on"), f"event handler attribute {name!r}"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_html_citations_reveal_the_cited_sentence(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    html = render_briefing(comparison, briefing, "html")
    assert html.startswith("<!DOCTYPE html>")
    page = _page(html)
    index = comparison.sentence_index()
    results = {r.article.id: r for r in comparison.articles}
    cited = [sid for item in briefing.items() for sid in item.citations]
    assert len(page.cites) == len(cited)
    for link in page.cites:
        sid = str(link["href"]).removeprefix("#cite-")
        assert f"cite-{sid}" in page.ids, "every citation has its footnote"
        s = index[sid]
        assert link["title"] == f"{sid} · {source_name(results[s.article])}: {s.text}"
    assert "script" not in page.tags


def test_article_text_cannot_inject_html(amount: Comparison) -> None:
    briefing = build_briefing(amount)
    planted = [i for i in briefing.unique["changed"] if SCRIPT in i.text]
    assert planted, "the hostile sentence is a unique point of its source"
    html = render_briefing(amount, briefing, "html")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = _page(html)
    text = "".join(page.text)
    assert SCRIPT in text and HOSTILE_SOURCE in text, "shown literally, as text"
    assert "script" not in page.tags and "img" not in page.tags


def _md_blocks(md: str) -> tuple[list[tuple[int, str]], dict[str, int], list[Any]]:
    """Headings (level, text), top-level list items per h2 section, and all inline children."""
    tokens = MarkdownIt("commonmark").parse(md)
    headings: list[tuple[int, str]] = []
    items: dict[str, int] = {}
    children: list[Any] = []
    section = ""
    for n, tok in enumerate(tokens):
        if tok.type == "heading_open":
            section = "".join(c.content for c in tokens[n + 1].children or [] if c.type in ("text", "code_inline"))
            headings.append((int(tok.tag[1]), section))
            items.setdefault(section, 0)
        if tok.type == "list_item_open" and tok.level == 1:
            items[section] = items.get(section, 0) + 1
        if tok.type in ("html_block", "html_inline"):
            raise AssertionError(f"raw HTML in the Markdown: {tok.content!r}")
        children += tok.children or []
    return headings, items, children


def test_markdown_structure_survives_hostile_text(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    md = render_briefing(comparison, briefing)
    assert md == render_briefing(comparison, briefing, "md")
    headings, items, children = _md_blocks(md)
    results = {r.article.id: r for r in comparison.articles}
    only = [f"Only in {source_name(results[a], a)}" for a in briefing.unique]
    expected = ["Consensus", "Disputed", *only, "Quotes", "Cited sentences"]
    assert [h for level, h in headings if level == 2] == expected
    assert [level for level, _ in headings].count(1) == 1
    assert items["Consensus"] == len(briefing.consensus)
    assert items["Disputed"] == len(briefing.disputed)
    assert items["Quotes"] == len(briefing.quotes)
    for title, article_id in zip(only, briefing.unique):
        assert items[title] == len(briefing.unique[article_id])
    assert not [c for c in children if c.type in ("link_open", "image", "html_inline")]
    for item in briefing.items():
        line = "".join(f"[{sid}]" for sid in item.citations)
        assert line in md, "citations read as [A3][B5]"
    # the header names every source with its label
    for r in comparison.articles:
        assert f"**{r.label}**" in md


def test_markdown_shows_hostile_text_literally(amount: Comparison) -> None:
    md = render_briefing(amount, build_briefing(amount), "md")
    rendered = MarkdownIt("commonmark").render(md)
    assert "<script" not in rendered and "<img" not in rendered and 'href="javascript' not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "[klick](javascript:alert(2))" in rendered


def test_json_round_trips(case: tuple[Comparison, Briefing]) -> None:
    comparison, briefing = case
    text = render_briefing(comparison, briefing, "json")
    data = json.loads(text)
    assert [s["label"] for s in data["sources"]] == [r.label for r in comparison.articles]
    assert [s["id"] for s in data["sources"]] == [r.article.id for r in comparison.articles]
    body = {k: v for k, v in data.items() if k not in ("schema", "sources")}
    assert body == briefing.to_dict()
    assert Briefing.from_dict(body) == briefing
    assert set(body) == {"consensus", "disputed", "unique", "quotes", "lead"}
    for item in body["consensus"] + body["disputed"] + body["quotes"]:
        assert {"text", "citations", "kind"} <= set(item)
    if any(not ch.isascii() for ch in text):
        assert "\\u00" not in text, "UTF-8, not ASCII escapes"


def test_lead_is_rendered_escaped(seeds: Comparison) -> None:
    lead = "# Not a heading <b>bold</b> [x](http://e.com)"
    briefing = build_briefing(seeds, lead=lead)
    md = render_briefing(seeds, briefing, "md")
    headings, _, children = _md_blocks(md)
    assert all(lead not in h for _, h in headings)
    assert not [c for c in children if c.type == "link_open"]
    html = render_briefing(seeds, briefing, "html")
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert json.loads(render_briefing(seeds, briefing, "json"))["lead"] == lead


def test_formats_and_unknown_format(seeds: Comparison) -> None:
    briefing = build_briefing(seeds)
    assert BRIEFING_FORMATS == ("md", "json", "html")
    for fmt in BRIEFING_FORMATS:
        assert render_briefing(seeds, briefing, fmt).endswith("\n")
    with pytest.raises(ValueError):
        render_briefing(seeds, briefing, "pdf")


def test_item_extra_never_overrides_core_fields() -> None:
    item = BriefingItem("text", ["A1"], "unique", {"kind": "evil", "text": "evil", "facts": 2})
    assert item.to_dict() == {"text": "text", "citations": ["A1"], "kind": "unique", "facts": 2}
    assert BriefingItem.from_dict(item.to_dict()) == BriefingItem("text", ["A1"], "unique", {"facts": 2})


def _language(comparison: Comparison, article_id: str) -> str | None:
    return next(r.article.language for r in comparison.articles if r.article.id == article_id)


def test_qualified_figures_are_disputed_with_low_confidence() -> None:
    """Issue 11: "über 60 Milliarden US-Dollar" vs "more than $62 billion" is two sources
    giving different figures; it is disputed, at a lower confidence that says why."""
    comparison = compare_articles(
        load_articles([ROOT / "tests" / "data" / "twin_quotes_de.txt", ROOT / "tests" / "data" / "twin_quotes_en.txt"])
    )
    numbers = [d for d in comparison.discrepancies if d["type"] == "number"]
    assert len(numbers) == 1
    (found,) = numbers
    assert set(found["values"].values()) == {"über 60 Milliarden US-Dollar", "more than $62 billion"}
    assert found["confidence"] < 0.6 and "qualifiers make both possible" in found["explanation"]
    group = next(g for g in comparison.groups if g.id == found["group"])
    assert group.status == "conflict"
    disputed = [i for i in build_briefing(comparison).disputed if i.extra["discrepancy"] == found["id"]]
    assert len(disputed) == 1 and "über 60 Milliarden US-Dollar" in disputed[0].text and "more than $62 billion" in disputed[0].text
    assert disputed[0].extra["confidence"] == found["confidence"]
