"""Real texts the fast-path tests compare fast and plain code on.

One loader, so every such test reads the same material, all of it in the repository (a
clean clone has it): the bench cluster, the seeds, the test stories, the held-out stories
and the Text+Berg German and French documents of the alignment gate.
"""

from __future__ import annotations

from pathlib import Path

from compare.segment import segment

ROOT = Path(__file__).resolve().parent.parent
TEXTBERG = ROOT / "eval" / "textberg"  # one sentence a line, German and French


def textberg_files(limit: int | None = None) -> list[Path]:
    """The Text+Berg document files, German then French (the first `limit` of each)."""
    return [p for lang in ("de", "fr") for p in sorted(p for p in (TEXTBERG / lang).iterdir() if p.is_file())[:limit]]


def real_texts(textberg_limit: int | None = None) -> list[tuple[str, str]]:
    """Whole texts and their language, in a fixed order."""
    from bench.clusters import cluster

    texts: list[tuple[str, str]] = [(a.text, a.language or "de") for a in cluster(12)]
    texts += [(p.read_text(encoding="utf-8"), "de") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [
        (p.read_text(encoding="utf-8"), p.stem.rsplit("_", 1)[-1]) for p in sorted((ROOT / "tests" / "data").glob("*_??.txt"))
    ]
    for story in sorted(p for p in (ROOT / "eval" / "heldout").iterdir() if p.is_dir()):
        texts += [(p.read_text(encoding="utf-8"), p.stem) for p in sorted(story.glob("??.txt"))]
    texts += [(p.read_text(encoding="utf-8"), p.parent.name) for p in textberg_files(textberg_limit)]
    return texts


def real_sentences(texts: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """The distinct sentences of `texts` (default: `real_texts()`) and their language."""
    seen: dict[tuple[str, str], None] = {}
    for text, lang in real_texts() if texts is None else texts:
        for s in segment(text, lang):
            if s.kind == "sentence":
                seen[text[s.start : s.end], lang] = None
    return list(seen)
