"""Parallax in the browser: a thin Streamlit layer over the `compare` library.

Opens on the sample story in seeds/; editors can add their own articles. All work
(loading, comparing, rendering) happens in the library; this file only lays it out.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from compare.embed import get_embedder
from compare.engine import MAX_ARTICLES, compare_articles, warm_up
from compare.errors import ParallaxError
from compare.export import render
from compare.export._common import display_name
from compare.ingest import load_bytes, load_file
from compare.model import Article, Comparison
from compare.options import CompareOptions

SEEDS = sorted((Path(__file__).parent / "seeds").glob("*.txt"))
EMBEDDERS = ["e5", "use"]
SUPPORTS = ["use", "none"]


@st.cache_resource(show_spinner="Loading the embedding model…")
def cached_embedder(spec: str):  # type: ignore[no-untyped-def]
    embedder = get_embedder(spec)
    warm_up(embedders=[embedder])
    return embedder


@st.cache_data(show_spinner="Comparing the articles…", max_entries=32)
def cached_comparison(articles: tuple[Article, ...], embedder: str, support: str, strictness: float) -> Comparison:
    options = CompareOptions(embedder=embedder, support=None if support == "none" else support, strictness=strictness)
    support_model = cached_embedder(support) if support != "none" else None
    return compare_articles(list(articles), options, embedder=cached_embedder(embedder), support=support_model)


@st.cache_data
def sample_articles() -> tuple[Article, ...]:
    return tuple(a for path in SEEDS for a in load_file(path))


def uploaded_articles() -> list[Article]:
    """Articles from the uploader; a bad file gets an error line and is skipped."""
    files = st.session_state.get("uploads") or []
    articles: list[Article] = []
    for f in files:
        try:
            articles.extend(load_bytes(f.getvalue(), f.name))
        except ParallaxError as exc:
            st.error(f"{f.name}: {exc}")
    return articles


def main() -> None:
    st.set_page_config(page_title="Parallax", layout="wide")
    st.title("Parallax")
    st.caption("How do different outlets cover the same story? Shared facts, and what only one source reports.")

    with st.sidebar:
        st.header("Articles")
        use_sample = st.checkbox("Include the sample story (2 German articles)", value=True, key="use_sample")
        st.file_uploader(
            "Add articles (txt, md, html, json, jsonl)",
            type=["txt", "md", "html", "htm", "json", "jsonl"],
            accept_multiple_files=True,
            key="uploads",
        )
        st.header("Settings")
        embedder = st.selectbox("Embedder", EMBEDDERS, key="embedder")
        support = st.selectbox("Second opinion", SUPPORTS, key="support")
        strictness = st.slider("Alignment strictness", 0.0, 3.0, 1.0, 0.25, key="strictness")

    articles = (list(sample_articles()) if use_sample else []) + uploaded_articles()
    seen: set[str] = set()
    unique_articles = []
    for a in articles:
        if a.id in seen:
            continue
        seen.add(a.id)
        unique_articles.append(a)
    if len(unique_articles) < 2:
        st.info("Add at least two articles to compare (or include the sample story).")
        return
    if len(unique_articles) > MAX_ARTICLES:
        st.error(f"At most {MAX_ARTICLES} articles at once; remove some files.")
        return

    try:
        comparison = cached_comparison(tuple(unique_articles), embedder, support, strictness)
    except ParallaxError as exc:
        st.error(str(exc))
        return

    shared_sentences = {sid for g in comparison.groups for sid in g.sentences}
    cols = st.columns(len(comparison.articles) + 1 if len(comparison.articles) <= 6 else 1)
    cols[0].metric("Shared facts", len(comparison.groups))
    if len(comparison.articles) <= 6:
        for col, result in zip(cols[1:], comparison.articles):
            col.metric(f"Only in {result.label}: {display_name(result)}"[:60], len(comparison.unique[result.article.id]))

    side, facts, export = st.tabs(["Side by side", "Shared facts", "Export"])
    with side:
        st.caption("Green: reported by several sources (the G-number leads to the group). Blue: only in this source. Hover a sentence for details.")
        components.html(render(comparison, "html"), height=900, scrolling=True)
    with facts:
        index = comparison.sentence_index()
        labels = {r.article.id: f"{r.label} · {display_name(r)}" for r in comparison.articles}
        for group in comparison.groups:
            with st.container(border=True):
                st.markdown(f"**{group.id}** · {len(group.articles)} sources · score {group.score:.2f}")
                for sid in group.sentences:
                    s = index[sid]
                    st.text(f"[{sid}] {labels[s.article]}\n{s.text}")
        if not comparison.groups:
            st.write("No shared facts found at this strictness.")
        st.caption(f"{len(shared_sentences)} sentences in shared facts.")
    with export:
        for fmt, mime in (("json", "application/json"), ("md", "text/markdown"), ("html", "text/html"), ("csv", "text/csv")):
            st.download_button(f"Download {fmt.upper()}", render(comparison, fmt), file_name=f"parallax.{fmt}", mime=mime)


main()
