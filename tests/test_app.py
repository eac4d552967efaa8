"""The Streamlit app, driven headless with AppTest: the sample story, adding and removing
articles, settings, bad input, untrusted text, and every tab."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compare.ingest import MAX_FILE_BYTES
from compare.perturbations import PERTURBATIONS, SEED, apply

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TABS = ["Overview", "Side by side", "Discrepancies", "Quotes", "Summaries & briefing", "Export"]

pytestmark = pytest.mark.slow

THIRD = (
    "Blinken besucht Kasachstan\n\n"
    "US-Außenminister Antony Blinken ist am Dienstag in Astana mit Präsident Tokajew zusammengetroffen. "
    "Kasachstan unterhält komplexe Beziehungen zu Russland, mit dem es seine längste Landgrenze teilt. "
    "Bei der UN-Abstimmung zum Jahrestag der Invasion hatten sich alle fünf Staaten Zentralasiens enthalten. "
    "Am Abend reiste Blinken nach Usbekistan weiter."
)

HOSTILE = (
    "Angriff auf die Seite\n\n"
    "Der Text enthält <script>alert('pwned')</script> ein Skript. "
    'Und ein Bild <img src=x onerror="alert(1)"> mit onerror. '
    "US-Außenminister Antony Blinken ist am Dienstag in Astana mit Präsident Tokajew zusammengetroffen."
)


def _variant() -> bytes:
    text = SEED.read_text(encoding="utf-8")
    for p in PERTURBATIONS:
        if p.name in ("amount", "quote wording"):
            text = apply(text, p)
    return text.encode("utf-8")


def _run(at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=300)
    at = at.run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _only_in(at: AppTest) -> list[str]:
    return [m.label for m in at.metric if m.label.startswith("Only in")]


def _html(node) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(h.proto.body for h in node.get("html"))


def _upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="uploads").set_value([(name, data, "text/plain") for name, data in files])
    return _run(at)


def test_first_screen_shows_the_sample_story_in_every_tab() -> None:
    at = _run()
    assert [t.label for t in at.tabs] == TABS
    overview, side, disc, quotes, summaries, export = at.tabs
    assert int(_metric(at, "Shared facts")) > 0
    assert len(_only_in(at)) == 2
    assert overview.get("arrow_vega_lite_chart") or overview.get("vega_lite_chart")
    assert _html(overview).count('class="px-card"') == 2
    body = _html(side)
    assert 'id="px-side-by-side"' in body and body.count('class="px-col"') == 2
    assert "px-agree" in body and "px-unique" in body
    # The seeds agree wherever they share a fact: the tab says so rather than staying empty.
    assert any("No discrepancies" in i.value for i in disc.info)
    assert "“" in _html(quotes) and "Tokajew" in _html(quotes)
    (reported,) = [e for e in quotes.get("expander") if e.label.startswith("Reported speech")]
    assert "Donald Lu" in _html(reported) and "[A19]" in _html(reported)
    assert not summaries.error and "What the sources agree on" in _html(summaries)
    labels = [b.label for b in export.get("download_button")]
    assert labels == ["Download JSON", "Download MD", "Download HTML", "Download CSV", "Download the briefing (Markdown)"]


def test_summaries_and_briefing_cite_their_sentences() -> None:
    at = _run()
    tab = at.tabs[4]
    body = _html(tab)
    assert "Per-article summaries" in [h.value for h in tab.subheader]
    reveals = [e for e in tab.get("expander") if e.label.startswith(("Show cited sentences: ", "Show summary sentences: "))]
    assert len(reveals) >= 3
    for e in reveals:
        ids = e.label.split(": ", 1)[1].split(", ")
        revealed = _html(e)
        for sid in ids:
            # The chip's sentence is revealed with its source label and its text.
            assert f'<span class="px-sid">[{sid}]</span> <span class="px-sent' in revealed
    assert body.count('class="px-chip px-sid"') >= len(reveals)


def test_uploading_a_third_article_updates_the_counts() -> None:
    at = _run()
    shared, only_a = int(_metric(at, "Shared facts")), int(_metric(at, "Only in A"))
    at = _upload(at, ("third.txt", THIRD.encode("utf-8")))
    assert len(_only_in(at)) == 3
    assert any(label.startswith("Only in C") for label in _only_in(at))
    # C has four sentences; at least one reports a fact the seeds share, so fewer are unique.
    assert int(_metric(at, "Only in C")) < 4
    assert int(_metric(at, "Shared facts")) != shared or int(_metric(at, "Only in A")) != only_a
    assert _html(at.tabs[1]).count('class="px-col"') == 3
    assert "Blinken besucht Kasachstan" in _html(at.tabs[0])


def test_pasting_a_third_article_adds_a_source() -> None:
    at = _run()
    at.text_area(key="paste_text").input(THIRD.split("\n\n", 1)[1])
    at.text_input(key="paste_title").input("Gepasteter Bericht")
    at.text_input(key="paste_source").input("Testblatt")
    at = _run(_submit(at))
    assert len(_only_in(at)) == 3
    assert any("Testblatt" in label for label in _only_in(at))
    assert "Gepasteter Bericht" in _html(at.tabs[0])
    assert any("Added" in s.value for s in at.success)


def _submit(at: AppTest) -> AppTest:
    button = next(b for b in at.get("button") if getattr(b, "label", "") == "Add pasted article")
    return button.click()  # type: ignore[attr-defined,no-any-return]


def test_changing_a_setting_reruns_the_comparison() -> None:
    at = _run()
    loose = int(_metric(at, "Shared facts"))
    at.slider(key="strictness").set_value(3.0)
    at = _run(at)
    strict = int(_metric(at, "Shared facts"))
    assert strict < loose
    at.selectbox(key="support").set_value("none")
    at = _run(at)
    assert int(_metric(at, "Shared facts")) >= 0


def test_bad_uploads_show_an_error_and_keep_the_others() -> None:
    at = _run()
    big = b"Ein Satz. " * (MAX_FILE_BYTES // 10 + 1)
    at = _upload(at, ("empty.txt", b""), ("blob.txt", b"\x00\x01\x02\x89PNG" * 20), ("big.txt", big))
    errors = " ".join(e.value for e in at.error)
    assert "empty.txt" in errors and "blob.txt" in errors and "big.txt: file is too large" in errors
    assert int(_metric(at, "Shared facts")) > 0 and len(_only_in(at)) == 2


def test_too_many_articles_are_refused_with_a_message() -> None:
    at = _run()
    records = "\n".join(json.dumps({"id": f"n{i}", "text": f"Meldung Nummer {i} über das Wetter."}) for i in range(19))
    at = _upload(at, ("many.jsonl", records.encode("utf-8")))
    assert any("at most 20 articles" in e.value for e in at.error)
    assert len(_only_in(at)) == 2


def test_untrusted_article_text_is_shown_as_text() -> None:
    at = _run()
    at = _upload(at, ("hostile.txt", HOSTILE.encode("utf-8")))
    page = "\n".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<script" not in page and "<img" not in page


def test_unreachable_url_gives_a_message_not_a_crash() -> None:
    at = _run()
    at.text_input(key="url").input("http://127.0.0.1:9/")
    at = _run(at.button(key="fetch").click())
    assert any(e.value.startswith("Could not fetch http://127.0.0.1:9/") for e in at.error)
    assert len(_only_in(at)) == 2


def test_rename_and_remove_sources() -> None:
    at = _run()
    first = at.session_state["articles"][0].id
    at.text_input(key=f"source_{first}").input("Tagesblatt <i>")
    at = _run(at)
    assert any(label.startswith("Only in A: Tagesblatt <i>") for label in _only_in(at))
    assert "Tagesblatt &lt;i&gt;" in _html(at.tabs[0])
    at = _run(at.button(key=f"remove_{first}").click())
    assert not at.tabs and any("at least 2" in i.value for i in at.info)
    at = _run(at.button(key="reset").click())
    assert len(_only_in(at)) == 2


def test_planted_differences_fill_the_discrepancy_and_quote_views() -> None:
    at = _run()
    at = _upload(at, ("variant.txt", _variant()))
    assert int(_metric(at, "Disputed")) >= 1
    side = _html(at.tabs[1])
    assert '<mark class="px-diff"' in side and "45 Millionen US-Dollar</mark>" in side
    disc = at.tabs[2]
    table = disc.get("dataframe")
    assert table and len(table[0].value) >= 2
    assert {"number", "quote"} <= set(table[0].value["type"])
    assert "45 Millionen US-Dollar</mark>" in _html(disc)
    assert '<del class="px-del">nur</del>' in _html(at.tabs[3])
    # The sidebar type filter hides a type everywhere.
    at.multiselect(key="types").set_value(["quote"])
    at = _run(at)
    assert set(at.tabs[2].get("dataframe")[0].value["type"]) == {"quote"}
    assert "45 Millionen US-Dollar</mark>" not in _html(at.tabs[1])


def test_selecting_a_fact_outlines_it_in_every_column() -> None:
    at = _run()
    group = at.selectbox(key="focus_group").options[1]
    at.selectbox(key="focus_group").select_index(1)
    at = _run(at)
    body = _html(at.tabs[1])
    assert body.count("px-focus") >= 2, group
    at.selectbox(key="focus_sentence").select_index(1)
    at = _run(at)
    assert "px-focus" in _html(at.tabs[1])


def test_an_unavailable_summarizer_keeps_the_app_working() -> None:
    at = _run()
    at.selectbox(key="summarizer").set_value("hf:<model>")
    at = _run(at)
    at.text_input(key="summarizer_model").input("hf:/nonexistent/model-folder")
    at = _run(at)
    assert any("Summarizer" in e.value for e in at.tabs[4].error)
    assert int(_metric(at, "Shared facts")) > 0
    assert [b.label for b in at.tabs[5].get("download_button")][:4] == [
        "Download JSON", "Download MD", "Download HTML", "Download CSV"]


def test_upload_limit_in_the_config_matches_the_library() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES
