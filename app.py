"""Parallax in the browser: a thin Streamlit layer over the `compare` and `summarize` libraries.

Opens on the sample story in seeds/; editors add, rename and remove articles. All work
(loading, comparing, summarising, rendering, the data behind each view) happens in the
libraries and `webapp.views` (the data behind every view); this file only lays it out and caches it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import streamlit as st

from webapp import views
from compare.embed import get_embedder
from compare.engine import compare_articles, warm_up
from compare.errors import ParallaxError
from compare.export import render
from compare.export._common import display_name
from compare.labels import article_label
from compare.ingest import MAX_FILE_BYTES, SUPPORTED_EXTENSIONS, article_from_text, load_bytes, load_file
from compare.model import Article, Comparison
from compare.options import CompareOptions

SEEDS = sorted((Path(__file__).parent / "seeds").glob("*.txt"))
MIN_APP_ARTICLES = 2
MAX_APP_ARTICLES = 20
EMBEDDERS = ["e5", "e5-passage", "use"]
SUPPORTS = ["use", "none"]
SUMMARIZERS = ["extractive", "hf:<model>"]
LANGUAGES = ["detect", "de", "en", "fr", "it", "es", "nl", "pt", "pl", "ru"]
EXPORTS = (("json", "application/json"), ("md", "text/markdown"), ("html", "text/html"), ("csv", "text/csv"))
TABS = ["Overview", "Side by side", "Discrepancies", "Quotes", "Summaries & briefing", "Export"]


# --- cached work ------------------------------------------------------------------------------


@st.cache_resource(show_spinner="Loading the embedding model…")
def cached_embedder(spec: str):  # type: ignore[no-untyped-def]
    embedder = get_embedder(spec)
    warm_up(embedders=[embedder])
    return embedder


@st.cache_data(show_spinner="Comparing the articles (embedding, aligning, checking facts and quotes)…", max_entries=32)
def cached_comparison(articles: tuple[Article, ...], embedder: str, support: str, strictness: float) -> Comparison:
    options = CompareOptions(embedder=embedder, support=None if support == "none" else support, strictness=strictness)
    support_model = cached_embedder(support) if support != "none" else None
    return compare_articles(list(articles), options, embedder=cached_embedder(embedder), support=support_model)


@st.cache_data
def sample_articles() -> tuple[Article, ...]:
    return tuple(a for path in SEEDS for a in load_file(path))


@st.cache_resource(show_spinner="Loading the summarizer…")
def cached_summarizer(spec: str):  # type: ignore[no-untyped-def]
    from summarize import get_summarizer

    return get_summarizer(spec)


@st.cache_data(show_spinner="Summarising the articles and writing the briefing…", max_entries=32)
def cached_summaries(_c: Comparison, key: str, spec: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(article id -> summary dict, briefing dict); `key` is the comparison's fingerprint."""
    from summarize import Budget
    from summarize.pipeline import add_briefing

    work = replace(_c)  # the cached comparison itself stays as compared
    briefing = add_briefing(work, cached_summarizer(spec), Budget(sentences=3))
    return dict(work.summaries), briefing.to_dict()


@st.cache_data(show_spinner="Preparing the downloads…", max_entries=32)
def cached_exports(_c: Comparison, key: str) -> dict[str, str]:
    """Every export rendered once per comparison (`key`: its fingerprint), not in a download callback."""
    files = {fmt: render(_c, fmt) for fmt, _ in EXPORTS}
    if _c.briefing:
        from summarize.briefing import Briefing
        from summarize.briefing_render import render_briefing

        files["briefing.md"] = render_briefing(_c, Briefing.from_dict(_c.briefing), "md")
    return files


# --- the article list in the session -------------------------------------------------------------


def _state() -> Any:
    s = st.session_state
    if "articles" not in s:
        s.articles = [replace(a) for a in sample_articles()]
        s.upload_results = {}  # upload fingerprint -> error message or None (added)
        s.notices = []
    return s


def _add(articles: list[Article], where: str) -> str | None:
    """Add articles with ids made unique; refuse past the limit. Returns an error line or None."""
    s = _state()
    if len(s.articles) + len(articles) > MAX_APP_ARTICLES:
        return f"{where}: not added, at most {MAX_APP_ARTICLES} articles at once (remove some first)."
    for a in articles:
        a.id = views.unique_id(a.id, [x.id for x in s.articles])
        a.origin = where  # the upload name or url, never a path on this machine
        s.articles.append(a)
    return None


def _take_uploads() -> list[str]:
    """Add each newly uploaded file once; the errors of files still in the uploader stay shown."""
    s = _state()
    errors = []
    for f in st.session_state.get("uploads") or []:
        data = f.getvalue()
        key = hashlib.sha1(f.name.encode() + b"\0" + data).hexdigest()
        if key not in s.upload_results:
            try:
                s.upload_results[key] = _add(load_bytes(data, f.name), f.name)
            except ParallaxError as exc:
                s.upload_results[key] = str(exc)
        if s.upload_results[key]:
            errors.append(s.upload_results[key])
    return errors


def _paste() -> None:
    s = _state()
    text = st.session_state.get("paste_text") or ""
    title = st.session_state.get("paste_title") or None
    language = st.session_state.get("paste_language")
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "pasted").lower()).strip("-")[:40] or "pasted"
    try:
        article = article_from_text(
            text,
            slug,
            title=title,
            source=st.session_state.get("paste_source") or None,
            date=st.session_state.get("paste_date") or None,
            language=None if language == "detect" else language,
            origin="pasted text",
        )
        error = _add([article], "Pasted text")
    except ParallaxError as exc:
        error = f"Pasted text: {exc}"
    s.notices.append(("error", error) if error else ("success", f"Added “{article.title or article.id}”."))


def _fetch() -> None:
    s = _state()
    url = (st.session_state.get("url") or "").strip()
    try:
        error = _add(views.article_from_url(url), url)
    except ParallaxError as exc:
        error = str(exc)
    s.notices.append(("error", error) if error else ("success", f"Added {url}."))


def _remove(article_id: str) -> None:
    s = _state()
    s.articles = [a for a in s.articles if a.id != article_id]


def _reset() -> None:
    s = _state()
    s.articles = [replace(a) for a in sample_articles()]
    for key in [k for k in st.session_state if str(k).startswith(("title_", "source_"))]:
        del st.session_state[key]


def _names() -> dict[str, dict[str, str | None]]:
    """Display names the editor typed, by article id (applied after the comparison: no re-run)."""
    out = {}
    for a in _state().articles:
        title, source = st.session_state.get(f"title_{a.id}"), st.session_state.get(f"source_{a.id}")
        if (title is not None and title != (a.title or "")) or (source is not None and source != (a.source or "")):
            out[a.id] = {"title": title if title is not None else a.title, "source": source if source is not None else a.source}
    return out


# --- sidebar -------------------------------------------------------------------------------------


def sidebar() -> dict[str, Any]:
    s = _state()
    with st.sidebar:
        st.header("Add articles")
        st.file_uploader(
            f"Upload files ({', '.join(e.lstrip('.') for e in SUPPORTED_EXTENSIONS)}; up to {MAX_FILE_BYTES // 2**20} MB each)",
            type=[e.lstrip(".") for e in SUPPORTED_EXTENSIONS],
            accept_multiple_files=True,
            key="uploads",
        )
        with st.expander("Paste text"):
            with st.form("paste", clear_on_submit=True):
                st.text_area("Article text", key="paste_text", height=150)
                st.text_input("Title", key="paste_title")
                st.text_input("Outlet", key="paste_source")
                st.text_input("Date (e.g. 2023-02-28)", key="paste_date")
                st.selectbox("Language", LANGUAGES, key="paste_language")
                st.form_submit_button("Add pasted article", on_click=_paste)
        with st.expander("From a web address"):
            st.text_input("URL", key="url", placeholder="https://…")
            st.button("Fetch article", on_click=_fetch, key="fetch")

        st.header(f"Sources ({len(s.articles)} of at most {MAX_APP_ARTICLES})")
        for i, a in enumerate(s.articles):
            with st.expander(f"{article_label(i)} · {a.source or a.title or a.id}"[:70]):
                st.text_input("Title", value=a.title or "", key=f"title_{a.id}")
                st.text_input("Outlet", value=a.source or "", key=f"source_{a.id}")
                st.button("Remove", key=f"remove_{a.id}", on_click=_remove, args=(a.id,))
        st.button("Reset to the sample story", on_click=_reset, key="reset")

        st.header("Settings")
        settings = {
            "embedder": st.selectbox("Embedder", EMBEDDERS, key="embedder", help="Sentence model that aligns the facts."),
            "support": st.selectbox("Second opinion", SUPPORTS, key="support", help="'none': faster, less precise."),
            "strictness": st.slider(
                "Alignment strictness", 0.0, 3.0, 1.0, 0.25, key="strictness",
                help="Higher links fewer, surer sentence pairs; lower finds more, looser ones.",
            ),
            "types": st.multiselect(
                "Discrepancy types to show", list(views.DISCREPANCY_TYPES), default=list(views.DISCREPANCY_TYPES), key="types"
            ),
        }
        summarizer = st.selectbox("Summarizer", SUMMARIZERS, key="summarizer")
        if summarizer.startswith("hf:"):
            model = st.text_input("Model (hub id or local folder)", key="summarizer_model", placeholder="hf:…")
            model = model.strip()
            settings["summarizer"] = model if model.startswith("hf:") else (f"hf:{model}" if model else "")
        else:
            settings["summarizer"] = summarizer
    return settings


# --- tabs ----------------------------------------------------------------------------------------


def overview(c: Comparison) -> None:
    cards = views.source_cards(c)
    for start in range(0, len(cards), 4):
        for col, card in zip(st.columns(4), cards[start : start + 4]):
            with col.container(border=True):
                st.html(views.card_html(card))
    n = views.counts(c)
    cols = st.columns(4)
    cols[0].metric("Shared facts", n.shared_facts, help="Facts reported by two or more sources.")
    cols[1].metric("Agreeing", n.agreeing)
    cols[2].metric("Disputed", n.disputed, help="Shared facts where the sources differ.")
    cols[3].metric("Quotes", n.quotes)
    shown = {t: k for t, k in n.discrepancies.items() if t in (st.session_state.get("types") or [])}
    if shown:
        st.caption("Discrepancies by type (the types chosen in the sidebar)")
        for col, (kind, k) in zip(st.columns(len(shown)), shown.items()):
            col.metric(kind, k)
    results = {r.article.id: r for r in c.articles}
    cols = st.columns(min(len(n.unique), 6))
    for i, (aid, k) in enumerate(n.unique.items()):
        cols[i % len(cols)].metric(f"Only in {results[aid].label}: {display_name(results[aid])}"[:60], k)
    st.subheader("Coverage overlap")
    st.caption("How many facts each pair of sources both report.")
    ov = views.overlap(c)
    pairs = ov.pairs()
    st.bar_chart(
        {"pair": [p["pair"] for p in pairs], "shared facts": [p["shared facts"] for p in pairs]},
        x="pair", y="shared facts", horizontal=True, height=min(80 + 28 * len(pairs), 420),
    )
    st.subheader("What only one source reports")
    unique = views.unique_per_source(c)
    for r in c.articles:
        with st.expander(f"Only in {r.label} · {display_name(r)} ({len(unique[r.article.id])})"):
            st.html(views.cited_sentences_html(c, [s.id for s in unique[r.article.id]]))


def side_by_side(c: Comparison) -> None:
    st.html(views.legend_html())
    groups = views.ordered(c)
    left, right = st.columns(2)
    group_id = left.selectbox(
        "Select a shared fact to see it in every source",
        [None] + [g.id for g in groups],
        format_func=lambda gid: "—" if gid is None else views.group_label(c, next(g for g in groups if g.id == gid)),
        key="focus_group",
    )
    sentence_id = right.selectbox(
        "…or any sentence",
        [None] + [s.id for r in c.articles for s in r.sentences if s.kind == "sentence"],
        format_func=lambda sid: "—" if sid is None else views.sentence_label(c, sid),
        key="focus_sentence",
    )
    focus: list[str] = []
    chosen = sentence_id or group_id
    if chosen:
        group, members = views.counterparts(c, chosen)
        focus = [s.id for ss in members.values() for s in ss]
        with st.container(border=True):
            if group is None:
                st.markdown(f"**{chosen}** is reported by this source only.")
            else:
                st.markdown(f"**{group.id}**: reported by {len(members)} of {len(c.articles)} sources.")
            missing = [r.label for r in c.articles if r.article.id not in members]
            st.html(views.cited_sentences_html(c, focus))
            if missing:
                st.caption("Not reported by: " + ", ".join(missing))
    st.html(views.columns_html(c, focus))


def discrepancies(c: Comparison) -> None:
    present = sorted({str(d.get("type")) for d in c.discrepancies}, key=lambda t: (t not in views.DISCREPANCY_TYPES, t))
    if not present:
        hidden = len(st.session_state.get("types") or []) < len(views.DISCREPANCY_TYPES)
        st.info(
            "No discrepancies" + (" of the types selected in the sidebar" if hidden else "") + ": wherever the sources "
            "report the same fact, they agree on its numbers, dates, names, negation and quotes."
        )
        return
    chosen = st.pills("Filter by type", present, selection_mode="multi", default=present, key="disc_filter") or []
    rows = views.discrepancy_rows(c, chosen)
    st.dataframe([r.to_dict() for r in rows], hide_index=True, width="stretch")
    for i, r in enumerate(rows):
        with st.expander(f"{r.id} · {r.type} · {r.explanation}"[:160], expanded=i == 0):
            st.html(views.discrepancy_sentences_html(c, r.id))


def quotes(c: Comparison) -> None:
    groups = views.quote_groups(c)
    shared = [g for g in groups if len(g.quotes) > 1]
    single = [g for g in groups if len(g.quotes) == 1]
    if not groups:
        st.info("No quotes found in these articles.")
    if shared:
        st.caption(f"{len(shared)} statements quoted by more than one source. Relations: verbatim, trimmed, altered (word diff), translation.")
    for g in shared:
        with st.container(border=True):
            if g.speaker_conflict:
                st.warning("Speaker conflict: the sources give these words to different people.")
            st.html(views.quote_group_html(g))
    if single:
        with st.expander(f"Quotes only one source has ({len(single)})"):
            for g in single:
                st.html(views.quote_group_html(g))
    if c.reported_speech:
        with st.expander(f"Reported speech: statements attributed without quotation marks ({len(c.reported_speech)})"):
            st.html(views.reported_speech_html(c))


def summaries_tab(c: Comparison, spec: str, result: tuple[dict[str, Any], dict[str, Any]] | None, error: str | None) -> None:
    if error:
        st.error(error)
    if result is None:
        if not error:
            st.info(f"Summarizer {spec!r} not available.")
        return
    summaries, briefing = result
    st.subheader("Briefing")
    st.caption("Every line cites the sentences it comes from; open a line to read them.")
    if briefing.get("lead"):
        st.html(f"<p>{views.html_escape(briefing['lead'])}</p>")
    for title, lines in views.briefing_sections(c, briefing):
        if not lines:
            continue
        st.html(f"<strong>{views.html_escape(title)}</strong>")
        for line in lines:
            with st.container(border=True):
                st.html(f"<p>{views.html_escape(line.text)} " + views.chips_html(line.citations) + "</p>")
                if line.citations:
                    with st.expander("Show cited sentences: " + ", ".join(line.citations)):
                        st.html(views.cited_sentences_html(c, line.citations))
    st.subheader("Per-article summaries")
    for r in c.articles:
        s = summaries.get(r.article.id)
        with st.container(border=True):
            st.html(f"<strong>{views.html_escape(r.label)}</strong> · {views.html_escape(display_name(r))}")
            if not s:
                st.caption("No summary.")
                continue
            st.html(f"<p>{views.html_escape(s.get('text', ''))}</p>")
            if s.get("sentences"):
                with st.expander("Show summary sentences: " + ", ".join(s["sentences"])):
                    st.html(views.cited_sentences_html(c, s["sentences"]))
            st.caption(f"Method: {s.get('method', '')}")


def export(c: Comparison, key: str) -> None:
    files = cached_exports(c, key)
    st.caption("The current comparison (with the names, discrepancy types and summaries shown here).")
    for col, (fmt, mime) in zip(st.columns(len(EXPORTS)), EXPORTS):
        col.download_button(f"Download {fmt.upper()}", files[fmt], file_name=f"parallax.{fmt}", mime=mime, key=f"dl_{fmt}")
    if "briefing.md" in files:
        st.download_button(
            "Download the briefing (Markdown)", files["briefing.md"], file_name="parallax-briefing.md",
            mime="text/markdown", key="dl_briefing",
        )


# --- page ------------------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Parallax", layout="wide")
    s = _state()
    st.html(views.APP_CSS)  # the view classes (role colours, marks), once per page
    settings = sidebar()
    st.title("Parallax")
    st.caption("How do different outlets cover the same story? Where they agree, where they differ, and what only one reports.")
    for kind, message in s.notices:
        (st.error if kind == "error" else st.success)(message)
    s.notices = []
    for message in _take_uploads():
        st.error(message)

    articles = s.articles
    if len(articles) < MIN_APP_ARTICLES:
        st.info(f"Add at least {MIN_APP_ARTICLES} articles to compare (or reset to the sample story in the sidebar).")
        return
    try:
        base = cached_comparison(tuple(articles), settings["embedder"], settings["support"], settings["strictness"])
    except ParallaxError as exc:
        st.error(str(exc))
        return
    c = views.with_discrepancy_types(views.with_names(base, _names()), settings["types"])

    spec = settings["summarizer"]
    result, error = None, None
    if spec:
        try:
            result = cached_summaries(c, views.fingerprint(c), spec)
        except ParallaxError as exc:
            error = f"Summarizer {spec}: {exc}"
    else:
        error = "Enter a summarization model (hf:<hub id or local folder>) in the sidebar."
    current = replace(c, summaries=result[0], briefing=result[1]) if result else c

    tabs = st.tabs(TABS)
    with tabs[0]:
        overview(c)
    with tabs[1]:
        side_by_side(c)
    with tabs[2]:
        discrepancies(c)
    with tabs[3]:
        quotes(c)
    with tabs[4]:
        summaries_tab(c, spec, result, error)
    with tabs[5]:
        export(current, views.fingerprint(current))


main()
