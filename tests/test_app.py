"""The Streamlit app, driven headless with AppTest on the sample story."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

pytestmark = pytest.mark.slow

THIRD = (
    "Blinken besucht Kasachstan\n\n"
    "US-Außenminister Antony Blinken ist am Dienstag in Astana mit Präsident Tokajew zusammengetroffen. "
    "Kasachstan unterhält komplexe Beziehungen zu Russland, mit dem es seine längste Landgrenze teilt. "
    "Bei der UN-Abstimmung zum Jahrestag der Invasion hatten sich alle fünf Staaten Zentralasiens enthalten. "
    "Am Abend reiste Blinken nach Usbekistan weiter."
)



def _run(at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=300)
    return at.run()


def _metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_first_screen_shows_the_sample_story() -> None:
    at = _run()
    assert not at.exception
    assert int(_metric(at, "Shared facts")) > 0
    assert [t.label for t in at.tabs] == ["Side by side", "Shared facts", "Export"]
    assert len(at.get("download_button")) == 4
    shared_tab_text = " ".join(t.value for t in at.tabs[1].text)
    assert "[A" in shared_tab_text and "[B" in shared_tab_text


def test_uploading_a_third_article_adds_a_source() -> None:
    at = _run()
    before = len(at.metric)
    at.file_uploader(key="uploads").set_value([("third.txt", THIRD.encode("utf-8"), "text/plain")])
    at = _run(at)
    assert not at.exception
    assert len(at.metric) == before + 1
    assert any("Blinken besucht Kasachstan" in m.label or "C:" in m.label for m in at.metric)


def test_bad_upload_shows_an_error_and_keeps_the_others() -> None:
    at = _run()
    at.file_uploader(key="uploads").set_value(
        [("empty.txt", b"", "text/plain"), ("blob.txt", b"\x00\x01\x02\x89PNG" * 20, "text/plain")]
    )
    at = _run(at)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "empty.txt" in errors and "blob.txt" in errors
    assert int(_metric(at, "Shared facts")) > 0


def test_changing_strictness_reruns_the_comparison() -> None:
    at = _run()
    loose = int(_metric(at, "Shared facts"))
    at.slider(key="strictness").set_value(3.0)
    at = _run(at)
    assert not at.exception
    assert int(_metric(at, "Shared facts")) <= loose
