"""Fit the pair scorer (`compare.pairmodel`) on the Text+Berg gold, and cross-validate it.

`python -m compare.alignfit` prints document-level cross-validated scores (fit on three
documents, score the fourth, rotate, pool) for the model without and with the second-opinion
embedder; `--write` refits both on all four documents and writes
compare/data/align_model.json, the file the engine ships with.

Training rows are the candidate pairs of `compare.align.pair_features` (computed through
`compare.engine.text_features`, the engine's own path); a pair is positive when the gold
aligns its two lines. The only setting chosen from data is the probability threshold,
picked on the *training* documents as the one giving the best pooled F1 after grouping.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from compare.align import (
    EXTEND_FEATURES,
    FEATURES,
    SUPPORT_FEATURES,
    AlignSettings,
    PairFeatures,
    accept,
    extension_features,
    group_features,
)
from compare.embed import Embedder, get_embedder
from compare.engine import text_features
from compare.evaluation import EVAL_DIR, PRF, TEXTBERG_DOCS, read_gold_pairs
from compare.pairmodel import FLOOR_QUANTILE, MODEL_FILE, SOLO, SUPPORTED, PairModel, PairScorer

logger = logging.getLogger(__name__)

# Inverse regularisation strengths (scikit-learn's C, on standardised features) to choose
# from, by leave-one-document-out inside the training documents (nested: never the scored one).
REGULARISATION = (0.01, 0.05, 0.2, 1.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.20, 0.81, 0.05))


NEWS_KEEP = 0.5  # share of gold rows (facts) a news-like variant keeps on the French side
NEWS_VARIANTS = 2  # news-like variants per document


@dataclass
class Document:
    """Candidate pairs of one German-French pair of texts, their gold labels and the gold.

    `kind` is "original" (a Text+Berg document as it is) or "news-like" (its French side
    reduced to a random half of the gold rows in random order); `sources` names the
    documents it was built from, so cross-validation trains only on variants of training
    documents.
    """

    name: str
    kind: str
    sources: frozenset[str]
    left: int  # number of German lines (rows before it are German, after it French)
    features: PairFeatures
    labels: np.ndarray
    gold: set[tuple[int, int]]


def read_gold_rows(path: Path) -> list[tuple[list[int], list[int]]]:
    """Rows like `[4]:[5, 6, 7]` as ([4], [5, 6, 7]); either side may be empty."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            left, right = line.split(":")
            rows.append(([int(x) for x in re.findall(r"\d+", left)], [int(x) for x in re.findall(r"\d+", right)]))
    return rows


def news_like(
    fr: Sequence[str], rows: Sequence[tuple[list[int], list[int]]], rng: random.Random
) -> tuple[list[str], set[tuple[int, int]]]:
    """The French side as news would have it: a random half of the facts (gold rows), in
    random order, each row's lines kept together (a fact split over adjacent sentences stays
    adjacent). German sentences whose fact was dropped become unique coverage. Training on
    these teaches the scorer neither shared order nor near-complete overlap, which
    translations have and news articles do not."""
    kept = [r for r in rows if r[1] and rng.random() < NEWS_KEEP]
    rng.shuffle(kept)
    lines: list[str] = []
    gold: set[tuple[int, int]] = set()
    for left, right in kept:
        start = len(lines)
        lines.extend(fr[i] for i in right)
        gold.update((a, start + j) for a in left for j in range(len(right)))
    return lines, gold


def _document(
    name: str, kind: str, sources: Sequence[str], de: Sequence[str], fr: Sequence[str], gold: set[tuple[int, int]],
    embedder: Embedder, settings: AlignSettings, support: Embedder | None,
) -> Document:
    article_of = np.array([0] * len(de) + [1] * len(fr))
    languages = ["de"] * len(de) + ["fr"] * len(fr)
    features = text_features(list(de) + list(fr), article_of, languages, embedder, settings, support, note=lambda _m: None)
    labels = np.array([(int(a), int(b) - len(de)) in gold for a, b in zip(features.a, features.b)], dtype=int)
    return Document(name, kind, frozenset(sources), len(de), features, labels, gold)


def load_documents(
    embedder: Embedder,
    settings: AlignSettings,
    support: Embedder | None = None,
    root: Path | None = None,
    variants: bool = True,
) -> list[Document]:
    """Features of every Text+Berg document (and, with `variants`, of its news-like
    variants), as the engine computes them. Variants are seeded: refits repeat."""
    root = root or EVAL_DIR / "textberg"
    texts = {}
    docs = []
    for name in TEXTBERG_DOCS:
        de = (root / "de" / name).read_text(encoding="utf-8").splitlines()
        fr = (root / "fr" / name).read_text(encoding="utf-8").splitlines()
        texts[name] = (de, fr, read_gold_rows(root / "gold" / name))
        gold = read_gold_pairs(root / "gold" / name)
        docs.append(_document(name, "original", [name], de, fr, gold, embedder, settings, support))
    if not variants:
        return docs
    for name in TEXTBERG_DOCS:
        de, fr, rows = texts[name]
        for v in range(NEWS_VARIANTS):
            lines, gold = news_like(fr, rows, random.Random(f"{name}-{v}"))
            docs.append(_document(f"{name}~news{v}", "news-like", [name], de, lines, gold, embedder, settings, support))
    return docs


def training_part(docs: Sequence[Document], names: set[str]) -> list[Document]:
    """The documents built only from the named Text+Berg documents."""
    return [d for d in docs if d.sources <= names]


def found_pairs(doc: Document, scorer: PairScorer, settings: AlignSettings) -> set[tuple[int, int]]:
    """(de, fr) line pairs sharing a group when `scorer` decides the links (as the engine groups)."""
    if doc.features.context is None:
        return set()
    groups = group_features(doc.features, doc.features.context.article_of, settings, with_support=False, scorer=scorer)
    pairs = set()
    for g in groups:
        lefts = [m for m in g.members if m < doc.left]
        rights = [m - doc.left for m in g.members if m >= doc.left]
        pairs.update((a, b) for a in lefts for b in rights)
    return pairs


def score(docs: Sequence[Document], scorer: PairScorer, settings: AlignSettings) -> PRF:
    """Pooled precision/recall over the documents."""
    total = PRF(0, 0, 0)
    for doc in docs:
        found = found_pairs(doc, scorer, settings)
        total = PRF(total.tp + len(found & doc.gold), total.fp + len(found - doc.gold), total.fn + len(doc.gold - found))
    return total


def _logistic(x: np.ndarray, y: np.ndarray, features: Sequence[str], c: float) -> PairModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    regression = LogisticRegression(C=c, max_iter=1000).fit((x - mean) / scale, y)
    return PairModel(tuple(features), mean, scale, regression.coef_[0], float(regression.intercept_[0]))


def _best_threshold(docs: Sequence[Document], make: Callable[[float], PairScorer], settings: AlignSettings) -> float:
    """The grid threshold with the best pooled F1 on `docs` (ties: nearest 0.5)."""
    return float(max(THRESHOLDS, key=lambda t: (score(docs, make(t), settings).f1, -abs(t - 0.5))))


def _extension_rows(
    docs: Sequence[Document], link: PairModel, settings: AlignSettings, floor: float
) -> list[tuple[PairFeatures, np.ndarray]]:
    """Extension candidates of the links `link` accepts on each document, with gold labels."""
    rows = []
    for doc in docs:
        ext = extension_features(doc.features.context, accept(doc.features, link, settings, floor))
        labels = np.array([(int(a), int(b) - doc.left) in doc.gold for a, b in zip(ext.a, ext.b)], dtype=int)
        rows.append((ext, labels))
    return rows


def fit_with(
    docs: Sequence[Document],
    features: Sequence[str],
    settings: AlignSettings,
    extend_features: Sequence[str] | None,
    c: float,
) -> PairScorer:
    """Both models at regularisation `c` on the candidates of `docs`: first the evidence
    floor (the FLOOR_QUANTILE of true candidates pass), then each threshold by pooled F1
    on the same docs."""
    at_default = replace(settings, strictness=1.0)  # the thresholds are what strictness moves
    floor = evidence_floor(docs)
    x = np.vstack([d.features.matrix(features) for d in docs])
    y = np.concatenate([d.labels for d in docs])
    link = _logistic(x, y, features, c)
    choose = lambda t: PairScorer(replace(link, threshold=t), None, floor)  # noqa: E731
    link = replace(link, threshold=_best_threshold(docs, choose, at_default))
    if not extend_features:
        return PairScorer(link, None, floor)
    rows = _extension_rows(docs, link, at_default, floor)
    ext_x = np.vstack([f.matrix(extend_features) for f, _ in rows if len(f)])
    ext_y = np.concatenate([labels for f, labels in rows if len(f)])
    extend = _logistic(ext_x, ext_y, extend_features, c)
    threshold = _best_threshold(docs, lambda t: PairScorer(link, replace(extend, threshold=t), floor), at_default)
    return PairScorer(link, replace(extend, threshold=threshold), floor)


def evidence_floor(docs: Sequence[Document]) -> float:
    """The evidence level (background standing) that FLOOR_QUANTILE of the true candidate
    pairs of `docs` reach: links weaker than nearly every true one are refused."""
    values = [
        d.features.context.evidence[d.features.a, d.features.b][d.labels == 1]
        for d in docs
        if d.features.context is not None and d.features.context.evidence is not None and len(d.features)
    ]
    pooled = np.concatenate(values) if values else np.zeros(0)
    return float(np.quantile(pooled, 1.0 - FLOOR_QUANTILE)) if len(pooled) else 0.0


def choose_regularisation(
    docs: Sequence[Document], features: Sequence[str], settings: AlignSettings, extend_features: Sequence[str] | None
) -> float:
    """The C with the best pooled F1 over leave-one-document-out inside `docs` (originals scored)."""
    names = sorted({d.name for d in docs if d.kind == "original"})
    if len(names) < 2:
        return REGULARISATION[-1]

    def inner(c: float) -> float:
        total = PRF(0, 0, 0)
        for held in names:
            scorer = fit_with(training_part(docs, set(names) - {held}), features, settings, extend_features, c)
            s = score([d for d in docs if d.name == held], scorer, settings)
            total = PRF(total.tp + s.tp, total.fp + s.fp, total.fn + s.fn)
        return total.f1

    return max(REGULARISATION, key=lambda c: (inner(c), -c))


def fit(
    docs: Sequence[Document], features: Sequence[str], settings: AlignSettings, extend_features: Sequence[str] | None = None
) -> PairScorer:
    """Regularisation by inner cross-validation, then both models on all of `docs`."""
    c = choose_regularisation(docs, features, settings, extend_features)
    logger.info("pair scorer: C=%s on %s", c, ", ".join(sorted({d.name for d in docs if d.kind == "original"})))
    return fit_with(docs, features, settings, extend_features, c)


def cross_validate(
    docs: Sequence[Document], features: Sequence[str], settings: AlignSettings, extend_features: Sequence[str] | None = None
) -> tuple[PRF, dict[str, dict[str, float]], list[PairScorer]]:
    """Leave-one-document-out: pooled held-out PRF, per-document scores, and the fold models."""
    total, per_doc, models = PRF(0, 0, 0), {}, []
    names = [d.name for d in docs if d.kind == "original"]
    for held in (d for d in docs if d.kind == "original"):
        model = fit(training_part(docs, set(names) - {held.name}), features, settings, extend_features)
        models.append(model)
        s = score([held], model, settings)
        news = score([d for d in docs if d.kind == "news-like" and d.sources == held.sources], model, settings)
        per_doc[held.name] = {**s.as_dict(), "news_like_f1": news.as_dict()["f1"], "thresholds": [
            model.link.threshold, model.extend.threshold if model.extend else None]}
        total = PRF(total.tp + s.tp, total.fp + s.fp, total.fn + s.fn)
    return total, per_doc, models


def feature_sets(with_support: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(link features, extension features) with or without the second opinion's."""
    extra = SUPPORT_FEATURES if with_support else ()
    return FEATURES + extra, EXTEND_FEATURES + extra


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compare.alignfit", description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="e5")
    parser.add_argument("--support", default="use", help="second-opinion embedder for the 'support' model")
    parser.add_argument("--write", action="store_true", help=f"refit on all documents and write {MODEL_FILE.name}")
    parser.add_argument("--drop", default="", help="comma-separated features to leave out (ablation)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = AlignSettings()
    embedder = get_embedder(args.embedder)
    support = get_embedder(args.support)
    dropped = {f for f in args.drop.split(",") if f}
    report: dict[str, object] = {}
    fitted: dict[str, dict[str, object]] = {}
    for name, second in ((SOLO, None), (SUPPORTED, support)):
        docs = load_documents(embedder, settings, second)
        link_set, extend_set = feature_sets(second is not None)
        features = [f for f in link_set if f not in dropped]
        extend = [f for f in extend_set if f not in dropped] if "extend" not in dropped else None
        total, per_doc, _ = cross_validate(docs, features, settings, extend)
        final = fit(docs, features, settings, extend)
        in_sample = score([d for d in docs if d.kind == "original"], final, settings)
        report[name] = {"cross_validated": total.as_dict(), "folds": per_doc, "in_sample": in_sample.as_dict()}
        fitted[name] = final.to_dict()
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if args.write:
        data = {
            "about": "pair scorer of compare.align; written by `python -m compare.alignfit --write` "
            "(logistic regression on the Text+Berg gold, documents " + ", ".join(TEXTBERG_DOCS) + ")",
            "embedder": args.embedder,
            "support": args.support,
            "models": fitted,
        }
        MODEL_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        sys.stderr.write(f"wrote {MODEL_FILE}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
