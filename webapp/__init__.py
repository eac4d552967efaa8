"""The Streamlit app's own code: the data and escaped HTML behind each view (`webapp.views`).

`app.py` at the repository root is the thin Streamlit entry that lays these out; the engine
in `compare/` and the summaries in `summarize/` know nothing of the app. Nothing here
imports Streamlit, so every view is tested without a browser.
"""
