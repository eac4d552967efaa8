"""The app in a real headless browser: `streamlit run app.py`, driven with Playwright.

Uses Debian's chromium (/usr/bin/chromium, installed by `make test`; Playwright downloads no
browser). A planted variant of seed A is uploaded so there are differences to mark; the
test checks the side-by-side view marks them, and saves a full-page PNG of every tab to
test-artifacts/ (and to $PARALLAX_SCREENSHOTS as well, e.g. docs/screenshots).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from compare.perturbations import PERTURBATIONS, SEED, apply

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TABS = ["Overview", "Side by side", "Discrepancies", "Quotes", "Summaries & briefing", "Export"]
PLANTED = ("amount", "percentage", "quote wording", "quote speaker")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]

pytestmark = pytest.mark.slow


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (`sudo apt-get install -y chromium`; `make test` does it as root or with sudo)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A streamlit server on a free local port, stopped by its PID afterwards."""
    _require_chromium()
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "PARALLAX_CACHE_DIR": os.environ.get("PARALLAX_CACHE_DIR", str(ROOT / ".pytest_cache" / "parallax-embeddings")),
           "HF_HUB_OFFLINE": "1"}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _variant_json() -> bytes:
    """Seed A with four planted changes, as a .json upload that names its outlet."""
    text = SEED.read_text(encoding="utf-8")
    for p in PERTURBATIONS:
        if p.name in PLANTED:
            text = apply(text, p)
    record = {"id": "variant", "title": "Variant of A with planted changes", "source": "Planted variant", "text": text}
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def _screens() -> list[Path]:
    folders = [ARTIFACTS]
    if os.environ.get("PARALLAX_SCREENSHOTS"):
        folders.append(ROOT / os.environ["PARALLAX_SCREENSHOTS"])
    for f in folders:
        f.mkdir(parents=True, exist_ok=True)
    return folders


def test_side_by_side_marks_the_differences_in_a_real_browser(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    folders = _screens()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1400})
            page.goto(server, wait_until="domcontentloaded")
            # The first screen: the sample story, compared.
            page.get_by_role("tab", name="Overview").wait_for(timeout=120_000)
            expect(page.get_by_text("Only in B", exact=False).first).to_be_visible(timeout=120_000)

            page.locator("input[type=file]").set_input_files(
                files=[{"name": "variant.json", "mimeType": "application/json", "buffer": _variant_json()}]
            )
            expect(page.get_by_text("Only in C: Planted variant", exact=False)).to_be_visible(timeout=120_000)

            page.get_by_role("tab", name="Side by side").click()
            side = page.locator("#px-side-by-side")
            side.wait_for(state="visible", timeout=60_000)
            assert side.locator("article.px-col").count() == 3
            marks = side.locator("mark.px-diff")
            assert marks.count() >= 4
            texts = marks.all_inner_texts()
            assert "45 Millionen US-Dollar" in texts and "41,5 Millionen US-Dollar" in texts
            assert "27 Prozent" in texts
            # The marks are styled (the app's CSS survived st.html's sanitiser).
            background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
            assert background == "rgb(255, 213, 79)"
            # Select the disputed fact: its sentences are outlined in every column.
            # The picker lists every shared fact; its menu renders only the options in view, so
            # type to filter it as a user with many facts would.
            page.get_by_role("combobox", name="Select a shared fact to see it in every source").click()
            page.keyboard.type("disputed")
            page.get_by_role("option").filter(has_text="disputed").first.click()
            expect(side.locator(".px-focus").first).to_be_visible(timeout=60_000)
            assert side.locator(".px-focus mark.px-diff").count() >= 1

            for n, name in enumerate(TABS, start=1):
                page.get_by_role("tab", name=name).click()
                page.wait_for_timeout(1500)
                assert page.get_by_role("tab", name=name).get_attribute("aria-selected") == "true"
                shot = page.screenshot(full_page=True)
                slug = name.lower().replace(" & ", "-").replace(" ", "-")
                for folder in folders:
                    (folder / f"{n}-{slug}.png").write_bytes(shot)
            assert (ARTIFACTS / "2-side-by-side.png").stat().st_size > 10_000
            # The export tab (open now) hands over the precomputed JSON of what is on screen.
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="Download JSON").click()
            result = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
            assert result["schema"] == "parallax/comparison@1"
            assert [a["source"] for a in result["articles"]][2] == "Planted variant"
            assert {d["type"] for d in result["discrepancies"]} >= {"number", "quote", "attribution"}
            assert len(result["summaries"]) == 3
        finally:
            browser.close()
