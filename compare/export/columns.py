"""One renderer for the article columns that the HTML report and the app both show.

Each article's full text, every sentence wrapped in a span coloured by its role, the
differing values marked inside it and the ids of its groups as superscripts. The roles
have one vocabulary (`Role`); a page picks its class names with a `ColumnClasses`: the
standalone report uses plain classes and anchors (`#s-A3`, `#g-G1`), the app prefixed
classes (`px-`, so they cannot clash with Streamlit's) and data attributes. Article
text is untrusted: every piece goes through `html.escape`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable, Literal, Mapping

from compare.export._common import display_name, fmt_score, groups_by_sentence, plain
from compare.export.highlight import DiffSpan, mark_text
from compare.export.markup import BREAKS_RE, escape, html_link, safe_url, text_html
from compare.model import ArticleResult, Comparison, Group, Sentence

__all__ = ["ColumnClasses", "Role", "article_column", "marked_html", "sentence_roles"]

Role = Literal["agree", "disputed", "unique", "heading"]

_PARAGRAPH_RE = re.compile(r"\s*\n\s*\n\s*")
_EMPTY_P_RE = re.compile(r"<p>\s*</p>")
_LANG_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def marked_html(text: str, spans: list[DiffSpan], mark: Callable[[str, DiffSpan], str], shift: int = 0) -> str:
    """Escaped `text` with the differing spans passed through `mark`; `shift` moves
    sentence-relative spans onto a text that starts `shift` characters later."""
    if shift:
        spans = [DiffSpan(s.start - shift, s.end - shift, s.type, s.discrepancy, s.explanation) for s in spans]
    return mark_text(text, spans, plain=text_html, mark=mark)


def sentence_roles(c: Comparison, disputed: Collection[str]) -> dict[str, Role]:
    """Sentence id -> role: heading (not a claim), disputed (in `disputed`), agree (in a
    group), else unique. Which sentences count as disputed is the page's call."""
    grouped = {sid for g in c.groups for sid in g.sentences}
    out: dict[str, Role] = {}
    for r in c.articles:
        for s in r.sentences:
            if s.kind != "sentence":
                out[s.id] = "heading"
            elif s.id in disputed:
                out[s.id] = "disputed"
            elif s.id in grouped:
                out[s.id] = "agree"
            else:
                out[s.id] = "unique"
    return out


@dataclass(frozen=True)
class ColumnClasses:
    """How one page names the parts of a column: every class is `prefix` + a part's name,
    a role's name comes from `roles` (also the word its tooltip uses), `mark` draws one
    differing span. `linked` pages are standalone documents: columns, sentences, group and
    discrepancy ids are anchors and links; otherwise they carry data attributes only."""

    prefix: str
    roles: Mapping[Role, str]
    mark: Callable[[str, DiffSpan], str]
    linked: bool

    def css(self, *names: str) -> str:
        return " ".join(self.prefix + n for n in names if n)


def _tooltip(s: Sentence, role: Role, word: str, groups: list[Group], name: str) -> str:
    if role == "heading":
        return f"{s.id} · {s.kind}"
    if groups:
        return f"{s.id} · {word} · " + ", ".join(f"{g.id} ({g.status}, score {fmt_score(g.score)})" for g in groups)
    if role == "disputed":
        return f"{s.id} · {word} (see discrepancies)"
    return f"{s.id} · only in {name}"


def _ref(classes: ColumnClasses, anchor: str, ref_id: str, *extra: str) -> str:
    inner = f'<a href="#{anchor}-{escape(ref_id)}">{escape(ref_id)}</a>' if classes.linked else escape(ref_id)
    return f'<sup class="{classes.css("g", *extra)}">{inner}</sup>'


def _gap_html(gap: str) -> str:
    """Text between sentences: blank lines end the paragraph, anything else is kept verbatim."""
    return "</p><p>".join(html.escape(p, quote=True) for p in _PARAGRAPH_RE.split(BREAKS_RE.sub("\n", gap)))


def _body(
    r: ArticleResult,
    roles: Mapping[str, Role],
    classes: ColumnClasses,
    spans: Mapping[str, list[DiffSpan]],
    grouped: Mapping[str, list[Group]],
    focus: Collection[str],
    discrepancies: Mapping[str, list[dict[str, Any]]],
) -> str:
    """The whole article text with each sentence in its span.

    Offsets are trusted only as far as they are sane: sentences are sorted, clamped to the
    text and never overlap, and every sentence gets its span (possibly empty), so every
    anchor a report links to exists.
    """
    text = r.article.text
    name = display_name(r)
    out: list[str] = ["<p>"]
    cursor = 0
    first = True
    for s in sorted(r.sentences, key=lambda s: (s.start, s.end)):
        start = min(max(int(s.start), cursor), len(text))
        end = min(max(int(s.end), start), len(text))
        gap = text[cursor:start]
        out.append(_gap_html(gap.lstrip() if first else gap))
        first = False
        groups = grouped.get(s.id, [])
        role = roles.get(s.id, "unique")
        word = classes.roles[role]
        refs = "".join(_ref(classes, "g", g.id) for g in groups)
        refs += "".join(_ref(classes, "d", plain(d.get("id")), "d") for d in discrepancies.get(s.id, []))
        body = marked_html(text[start:end], spans.get(s.id, []), classes.mark, shift=start - int(s.start))
        anchor = f' id="s-{escape(s.id)}"' if classes.linked else ""
        css = classes.css("sent", word, "focus" if s.id in focus else "")
        out.append(
            f'<span{anchor} class="{css}" data-sid="{escape(s.id)}" title="{escape(_tooltip(s, role, word, groups, name))}">'
            f"{body}{refs}</span>"
        )
        cursor = end
    out.append(_gap_html(text[cursor:].rstrip()))
    out.append("</p>")
    return _EMPTY_P_RE.sub("", "".join(out))


def article_column(
    c: Comparison,
    r: ArticleResult,
    roles: Mapping[str, Role],
    classes: ColumnClasses,
    spans: Mapping[str, list[DiffSpan]],
    *,
    grouped: Mapping[str, list[Group]] | None = None,
    focus: Iterable[str] = (),
    discrepancies: Mapping[str, list[dict[str, Any]]] | None = None,
) -> str:
    """One article as an `<article>` column: header (label, title, outlet · date · language)
    and the full text, the sentences in `focus` outlined, each sentence followed by its
    group ids (and, when given, the ids of the `discrepancies` naming it)."""
    a = r.article
    meta = " · ".join(escape(v) for v in (a.source, a.date, a.language) if v)
    lang = f' lang="{escape(a.language)}"' if a.language and _LANG_RE.fullmatch(a.language) else ""
    if classes.linked:  # the report lists article ids in its sources table: untitled columns show the id
        where = f' id="a-{escape(r.label)}"'
        title = escape(a.title or a.id)
        link = f' <span class="{classes.css("muted")}">({html_link(a.url, "link")})</span>' if safe_url(a.url) else ""
    else:
        where = f' data-article="{escape(a.id)}"'
        title = escape(a.title or display_name(r))
        link = ""
    grouped = groups_by_sentence(c) if grouped is None else grouped
    body = _body(r, roles, classes, spans, grouped, set(focus), discrepancies or {})
    return (
        f'<article class="{classes.css("col")}"{where}{lang}><header><span class="{classes.css("label")}">'
        f"{escape(r.label)}</span><strong>{title}</strong>{link}<br>"
        f'<span class="{classes.css("muted")}">{meta}</span></header>{body}</article>'
    )

