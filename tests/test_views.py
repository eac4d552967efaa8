"""The data behind the app's views (webapp/views.py), checked without Streamlit.

Uses real comparisons: the seeds, and the seeds plus a variant of seed A with planted
changes (compare/perturbations.py), so there are discrepancies and altered quotes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from webapp import views
from compare.engine import compare_articles
from compare.errors import InputError
from compare.export.highlight import diff_spans
from compare.ingest import article_from_text, load_articles, load_bytes
from compare.model import Comparison
from compare.perturbations import PERTURBATIONS, SEED, apply

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PLANTED = ("amount", "percentage", "quote wording", "quote speaker")


@pytest.fixture(scope="module")
def seeds() -> Comparison:
    return compare_articles(load_articles(SEEDS))


@pytest.fixture(scope="module")
def planted() -> Comparison:
    """Seeds A and B plus C: seed A with an amount, a percentage, a quote's words and a speaker changed."""
    text = SEED.read_text(encoding="utf-8")
    for p in PERTURBATIONS:
        if p.name in PLANTED:
            text = apply(text, p)
    variant = load_bytes(text.encode("utf-8"), "variant.txt")[0]
    variant.source = "Planted <b>Variant</b>"
    return compare_articles(load_articles(SEEDS) + [variant])


def test_source_cards_describe_every_article(seeds: Comparison) -> None:
    cards = views.source_cards(seeds)
    assert [c.label for c in cards] == ["A", "B"]
    for card, r in zip(cards, seeds.articles):
        assert card.characters == len(r.article.text)
        assert card.sentences == sum(1 for s in r.sentences if s.kind == "sentence")
        assert card.language == "de"
        assert card.to_dict()["id"] == r.article.id


def test_card_html_escapes_metadata() -> None:
    card = views.SourceCard("x", "A", "n", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                            "de", None, "javascript:alert(1)", 10, 2, 1)
    out = views.card_html(card)
    assert "<script" not in out and "<img" not in out and "javascript:" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_counts_match_the_comparison(planted: Comparison) -> None:
    n = views.counts(planted)
    assert n.shared_facts == len(planted.groups)
    assert n.agreeing + n.disputed == n.shared_facts
    assert n.disputed == len({d["group"] for d in planted.discrepancies if d.get("group")})
    assert sum(n.discrepancies.values()) == len(planted.discrepancies)
    assert n.discrepancies["number"] >= 2 and n.discrepancies["quote"] >= 1 and n.discrepancies["attribution"] >= 1
    for r in planted.articles:
        assert n.unique[r.article.id] == len(planted.unique[r.article.id])


def test_overlap_counts_groups_per_pair(planted: Comparison) -> None:
    ov = views.overlap(planted)
    ids = [r.article.id for r in planted.articles]
    for i in range(3):
        assert ov.matrix[i][i] == sum(1 for g in planted.groups if ids[i] in g.articles)
        for j in range(3):
            both = sum(1 for g in planted.groups if ids[i] in g.articles and ids[j] in g.articles)
            assert ov.matrix[i][j] == both == ov.matrix[j][i]
    pairs = ov.pairs()
    assert len(pairs) == 3 and pairs[0]["shared facts"] >= pairs[-1]["shared facts"]
    # The variant copies seed A: that pair shares the most facts.
    assert pairs[0]["pair"] == "A + C"


def test_roles_follow_groups_and_discrepancies(planted: Comparison) -> None:
    roles = views.roles(planted)
    disputed = {s for d in planted.discrepancies for s in d["sentences"]}
    grouped = {s for g in planted.groups for s in g.sentences}
    for sid, role in roles.items():
        if role == "disputed":
            assert sid in disputed
        elif role == "agree":
            assert sid in grouped and sid not in disputed
        elif role == "unique":
            assert sid not in grouped
    assert {"disputed", "agree", "unique"} <= set(roles.values())
    # Hiding every type leaves no disputed sentence.
    assert "disputed" not in views.roles(views.with_discrepancy_types(planted, []))


def test_column_html_keeps_the_text_and_marks_the_differing_spans(planted: Comparison) -> None:
    spans = diff_spans(planted)
    variant = planted.articles[2]
    out = views.column_html(planted, variant.article.id)
    marks = re.findall(r'<mark class="px-diff"[^>]*>(.*?)</mark>', out)
    expected = [
        html.escape(s.text[d.start : d.end]) for s in variant.sentences for d in spans.get(s.id, [])
    ]
    assert marks == expected and "45 Millionen US-Dollar" in marks
    # Removing the markup gives the article text back (escaped), nothing lost or duplicated.
    stripped = html.unescape(re.sub(r"<sup[^>]*>.*?</sup>|<[^>]+>", "", out.split("</header>", 1)[1]))
    assert "".join(stripped.split()) == "".join(variant.article.text.split())
    for s in variant.sentences:
        assert f'data-sid="{s.id}"' in out


def test_column_html_outlines_the_focus_and_escapes_untrusted_text() -> None:
    hostile = "Der Bericht <script>alert('x')</script> nennt 45 Millionen Dollar. <img src=x onerror=alert(1)> Zweiter Satz folgt hier."
    a = article_from_text(hostile, "hostile", title="<b>T</b>", language="de")
    b = article_from_text("Ein anderer Text über das Wetter in Berlin. Es regnet.", "other", language="de")
    c = compare_articles([a, b])
    out = views.column_html(c, "hostile", focus=["A1"])
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert re.search(r'class="px-sent px-\w+ px-focus" data-sid="A1"', out)
    assert 'data-sid="A2"' in out and not re.search(r'px-focus" data-sid="A2"', out)


def test_counterparts_of_a_fact_and_of_a_sentence(planted: Comparison) -> None:
    g = planted.groups[0]
    group, members = views.counterparts(planted, g.id)
    assert group is g
    assert sorted(s.id for ss in members.values() for s in ss) == sorted(g.sentences)
    assert set(members) == set(g.articles)
    group2, members2 = views.counterparts(planted, g.sentences[-1])
    assert group2 is g and members2 == members
    lonely = planted.unique[planted.articles[1].article.id][0]
    group3, members3 = views.counterparts(planted, lonely)
    assert group3 is None and [s.id for ss in members3.values() for s in ss] == [lonely]
    assert views.counterparts(planted, "nothing") == (None, {})


def test_discrepancy_rows_and_their_sentences(planted: Comparison) -> None:
    rows = views.discrepancy_rows(planted)
    assert len(rows) == len(planted.discrepancies)
    amount = next(r for r in rows if "45 Millionen US-Dollar" in r.values.values())
    assert any(k.startswith("C · Planted <b>Variant</b>") for k in amount.values)
    assert amount.type == "number" and amount.confidence is not None
    flat = amount.to_dict()
    assert flat["type"] == "number" and flat["sentences"] == ", ".join(amount.sentences)
    only_quotes = views.discrepancy_rows(planted, ["quote"])
    assert only_quotes and all(r.type == "quote" for r in only_quotes)
    side = views.discrepancy_sentences_html(planted, amount.id)
    assert side.count('class="px-col"') == len(amount.sentences)
    assert "45 Millionen US-Dollar</mark>" in side
    assert "Planted &lt;b&gt;Variant&lt;/b&gt;" in side and "<b>Variant" not in side
    with pytest.raises(KeyError):
        views.discrepancy_sentences_html(planted, "D999")


def test_quote_groups_link_quotes_across_sources(planted: Comparison) -> None:
    groups = views.quote_groups(planted)
    assert sorted(q["id"] for g in groups for q in g.quotes) == sorted(q["id"] for q in planted.quotes)
    altered = next(g for g in groups if "altered" in g.relations)
    assert {q["label"] for q in altered.quotes} >= {"A", "C"}
    out = views.quote_group_html(altered)
    assert '<del class="px-del">nur</del>' in out
    conflict = next(g for g in groups if g.speaker_conflict)
    assert {q["speaker"] for q in conflict.quotes} >= {"Kuchtar Tleuberdi", "Tokajew"}
    assert "speaker conflict" in views.quote_group_html(conflict)
    linked = views.quote_groups(planted, include_single=False)
    assert all(len(g.quotes) > 1 for g in linked) and len(linked) < len(groups)


def test_word_diff_html_escapes() -> None:
    out = views.word_diff_html([{"op": "replace", "a": "<i>alt</i>", "b": "neu"}, {"op": "insert", "a": "", "b": "&"}])
    assert out == '<del class="px-del">&lt;i&gt;alt&lt;/i&gt;</del><ins class="px-ins">neu</ins> <ins class="px-ins">&amp;</ins>'


def test_with_names_changes_only_display(seeds: Comparison) -> None:
    aid = seeds.articles[0].article.id
    renamed = views.with_names(seeds, {aid: {"title": "Blinken in Astana", "source": " Tagesblatt "}})
    assert renamed.articles[0].article.source == "Tagesblatt"
    assert renamed.articles[0].article.title == "Blinken in Astana"
    assert renamed.articles[0].article.id == aid and renamed.articles[0].sentences is seeds.articles[0].sentences
    assert seeds.articles[0].article.source is None  # the cached original is untouched
    assert views.fingerprint(renamed) != views.fingerprint(seeds)
    assert views.fingerprint(seeds) == views.fingerprint(views.with_names(seeds, {}))


def test_unique_id() -> None:
    assert views.unique_id("a", ["b"]) == "a"
    assert views.unique_id("a", ["a", "a-2"]) == "a-3"


def test_article_from_url_fails_with_one_line() -> None:
    with pytest.raises(InputError, match=r"^Could not fetch http://127\.0\.0\.1:9/"):
        views.article_from_url("http://127.0.0.1:9/")
    with pytest.raises(InputError, match="only http"):
        views.article_from_url("file:///etc/passwd")
    with pytest.raises(InputError, match="only http"):
        views.article_from_url("/etc/passwd")


def test_briefing_sections_and_cited_sentences(planted: Comparison) -> None:
    aid = planted.articles[1].article.id
    briefing = {
        "consensus": [{"text": "Shared <x>", "citations": ["A1", "B1"], "kind": "consensus"}],
        "disputed": [],
        "unique": {aid: [{"text": "Only B", "citations": ["B2"], "kind": "unique"}]},
        "quotes": [],
        "lead": None,
    }
    sections = views.briefing_sections(planted, briefing)
    titles = [t for t, _ in sections]
    assert titles[0] == "What the sources agree on" and any(t.startswith("Only in B") for t in titles)
    assert sections[0][1][0].citations == ["A1", "B1"]
    assert views.briefing_sections(planted, None) == []
    out = views.cited_sentences_html(planted, ["A24", "C24"])
    index = planted.sentence_index()
    assert html.escape(index["A24"].text[:30]) in out and "[C24]" in out
    assert '<mark class="px-diff"' in out
    assert views.chips_html(["A1", "<b>"]) == '<span class="px-chip px-sid">[A1]</span> <span class="px-chip px-sid">[&lt;b&gt;]</span>'


def test_reported_speech_lists_speaker_cue_and_sentence(seeds: Comparison) -> None:
    """Every attribution of the seeds is one line with its source label, speaker, cue and the
    sentence (id and text) it was found in; markup in any field stays text."""
    out = views.reported_speech_html(seeds)
    index = seeds.sentence_index()
    assert out.count("<li>") == len(seeds.reported_speech) > 0
    for r in seeds.reported_speech:
        assert f"[{r['sentence']}]" in out and html.escape(index[r["sentence"]].text) in out
        assert f"<strong>{html.escape(r['speaker'])}</strong>" in out
    bad = Comparison(seeds.articles, [], seeds.unique, reported_speech=[
        {"id": "R1", "article": seeds.articles[0].article.id, "sentence": "A2", "speaker": "<img src=x onerror=alert(1)>", "cue": "<b>"}
    ])
    marked = views.reported_speech_html(bad)
    assert "<img" not in marked and "<b>" not in marked and "&lt;img src=x onerror=alert(1)&gt;" in marked
