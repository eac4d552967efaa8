"""Evaluation gate: alignment quality on gold data, checked against pinned floors.

Two gold sets live in `eval/`:
* `textberg/` - Text+Berg German-French yearbook articles with human sentence alignments
  (from the Bertalign repository). Scored as precision/recall/F1 over (de, fr) line pairs,
  aligning without any use of sentence order; twice: in-sample with the shipped pair
  scorer (fitted on all four documents), and cross-validated by document (fit on three,
  score the fourth, rotate, pool the four held-out scores), the figure that measures
  generalisation.
* `seeds_gold.json` - pairs of the two seed articles that must / must not share a group.
* the perturbation suite (`compare.perturbations`) - planted changes that must be flagged
  with the right discrepancy type, and controls that must raise nothing.

`eval/baseline.json` pins floors (and a hash of the gold data, so a silent data change
is caught). `python -m compare.evaluation` prints the scores; `--update-baseline`
rewrites the floors explicitly (the trafilatura pattern).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from compare.align import AlignSettings
from compare.embed import Embedder, get_embedder
from compare.engine import align_texts
from compare.options import CompareOptions
from compare.pairmodel import PairScorer

logger = logging.getLogger(__name__)

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
BASELINE = EVAL_DIR / "baseline.json"
TEXTBERG_DOCS = ("001", "002", "003", "004")
FLOOR_SLACK = 0.005  # floors sit this far below the measured value, to absorb float noise only


@dataclass
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def read_gold_pairs(path: Path) -> set[tuple[int, int]]:
    """Expand lines like `[4]:[5, 6, 7]` into (de, fr) index pairs."""
    pairs: set[tuple[int, int]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        left, right = line.split(":")
        de = [int(x) for x in re.findall(r"\d+", left)]
        fr = [int(x) for x in re.findall(r"\d+", right)]
        pairs.update((a, b) for a in de for b in fr)
    return pairs


def align_lines(
    left: Sequence[str],
    right: Sequence[str],
    languages: tuple[str, str],
    embedder: Embedder,
    settings: AlignSettings,
    support: Embedder | None = None,
) -> set[tuple[int, int]]:
    """Align two pre-segmented texts; returns (left index, right index) pairs sharing a group."""
    article_of = np.array([0] * len(left) + [1] * len(right))
    langs = [languages[0]] * len(left) + [languages[1]] * len(right)
    pairs: set[tuple[int, int]] = set()
    groups = align_texts(list(left) + list(right), article_of, langs, embedder, settings, support)
    for group in groups:
        lefts = [m for m in group.members if m < len(left)]
        rights = [m - len(left) for m in group.members if m >= len(left)]
        pairs.update((a, b) for a in lefts for b in rights)
    return pairs


def _textberg_document(root: Path, doc: str) -> tuple[list[str], list[str], set[tuple[int, int]]]:
    de = (root / "de" / doc).read_text(encoding="utf-8").splitlines()
    fr = (root / "fr" / doc).read_text(encoding="utf-8").splitlines()
    return de, fr, read_gold_pairs(root / "gold" / doc)


def evaluate_textberg(
    embedder: Embedder,
    settings: AlignSettings,
    support: Embedder | None = None,
    root: Path | None = None,
    scorers: dict[str, PairScorer] | None = None,
) -> dict[str, Any]:
    """Pooled PRF over the documents; `scorers` gives a document its own pair scorer (the
    cross-validation's fold models), otherwise `settings` decides (the shipped scorer)."""
    root = root or EVAL_DIR / "textberg"
    total = PRF(0, 0, 0)
    per_doc: dict[str, dict[str, float]] = {}
    for doc in TEXTBERG_DOCS:
        de, fr, gold = _textberg_document(root, doc)
        doc_settings = replace(settings, scorer=scorers[doc]) if scorers else settings
        found = align_lines(de, fr, ("de", "fr"), embedder, doc_settings, support)
        score = PRF(len(found & gold), len(found - gold), len(gold - found))
        per_doc[doc] = score.as_dict()
        total = PRF(total.tp + score.tp, total.fp + score.fp, total.fn + score.fn)
    return {**total.as_dict(), "documents": per_doc}


def evaluate_textberg_cv(
    embedder: Embedder, settings: AlignSettings, support: Embedder | None = None, root: Path | None = None
) -> dict[str, Any]:
    """Document-level cross-validation: each document is scored, through the engine's own
    alignment path, by a pair scorer fitted (features and thresholds) on the other three."""
    from compare.alignfit import feature_sets, fit, load_documents

    docs = load_documents(embedder, settings, support, root)
    link_features, extend_features = feature_sets(support is not None)
    scorers = {
        held.name: fit([d for d in docs if d is not held], link_features, settings, extend_features) for held in docs
    }
    return evaluate_textberg(embedder, settings, support, root, scorers)


def _find(sentences: Sequence[Any], prefix: str, where: str) -> str:
    hits = [s.id for s in sentences if s.text.startswith(prefix)]
    if len(hits) != 1:
        raise ValueError(f"seeds gold: {prefix!r} matches {len(hits)} sentences of {where}")
    return hits[0]


def evaluate_seeds(
    embedder: Embedder, options: CompareOptions, support: Embedder | None = None, gold_path: Path | None = None
) -> dict[str, Any]:
    """Share of must-align pairs grouped together, and share of must-not pairs wrongly grouped."""
    from compare.engine import compare_articles
    from compare.ingest import load_articles

    gold_path = gold_path or EVAL_DIR / "seeds_gold.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    repo = EVAL_DIR.parent
    comparison = compare_articles(load_articles([repo / p for p in gold["articles"]]), options, embedder, support=support)
    left, right = comparison.articles[0], comparison.articles[1]
    group_of = {sid: g.id for g in comparison.groups for sid in g.sentences}

    def together(pair: Sequence[str]) -> bool:
        a = _find(left.sentences, pair[0], left.article.id)
        b = _find(right.sentences, pair[1], right.article.id)
        return a in group_of and group_of.get(a) == group_of.get(b)

    aligned = [together(p) for p in gold["must_align"]]
    wrong = [together(p) for p in gold["must_not_align"]]
    return {
        "must_align_recall": round(sum(aligned) / len(aligned), 4),
        "must_not_align_rate": round(sum(wrong) / len(wrong), 4),
        "groups": len(comparison.groups),
    }


def evaluate_perturbations(embedder: Embedder, options: CompareOptions, support: Embedder | None = None) -> dict[str, Any]:
    """Share of planted changes flagged with the right type on the right sentence, and
    the number of discrepancies raised that no planted change explains (controls included)."""
    from compare.engine import compare_articles
    from compare.ingest import article_from_text, load_file
    from compare.perturbations import CONTROLS, PERTURBATIONS, SEED, apply

    original = load_file(SEED)[0]
    detected, false_positives = 0, 0
    for p in PERTURBATIONS + CONTROLS:
        changed = article_from_text(apply(original.text, p), id="changed", language=original.language)
        comparison = compare_articles([original, changed], options, embedder, support=support)
        if p.expected is None:
            false_positives += len(comparison.discrepancies)
            continue
        position = changed.text.index(p.new)
        target = next(s for s in comparison.articles[1].sentences if s.start <= position < s.end)
        right = [d for d in comparison.discrepancies if d["type"] == p.expected and target.id in d["sentences"]]
        detected += bool(right)
        false_positives += len(comparison.discrepancies) - min(len(right), 1)
    return {
        "detection_rate": round(detected / len(PERTURBATIONS), 4),
        "false_positives": false_positives,
        "planted": len(PERTURBATIONS),
        "controls": len(CONTROLS),
    }


def gold_hash() -> str:
    """Hash of every gold file, so the baseline notices when evaluation data changes."""
    digest = hashlib.sha256()
    files = sorted((EVAL_DIR / "textberg").rglob("*")) + [EVAL_DIR / "seeds_gold.json"]
    files.append(Path(__file__).resolve().parent / "perturbations.py")
    for path in files:
        if path.is_file() and path.name != "README.md":
            digest.update(path.relative_to(EVAL_DIR.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run_evaluation(options: CompareOptions | None = None) -> dict[str, Any]:
    """Scores of the given settings (the defaults, unless told otherwise) on both gold sets."""
    options = options or CompareOptions()
    embedder = get_embedder(options.embedder, cache=options.cache)
    support = get_embedder(options.support, cache=options.cache) if options.support else None
    settings = AlignSettings(neighbours=options.neighbours, term_weight=options.term_weight, strictness=options.strictness)
    return {
        "embedder": options.embedder,
        "support": options.support,
        "gold_sha256": gold_hash(),
        "textberg": evaluate_textberg(embedder, settings, support),
        "textberg_cv": evaluate_textberg_cv(embedder, settings, support),
        "seeds": evaluate_seeds(embedder, options, support),
        "perturbations": evaluate_perturbations(embedder, options, support),
    }


def baseline_from(results: dict[str, Any]) -> dict[str, Any]:
    """Floors a little below the measured scores; the must-not rate gets a ceiling instead."""
    tb, seeds = results["textberg"], results["seeds"]
    return {
        "embedder": results["embedder"],
        "support": results["support"],
        "gold_sha256": results["gold_sha256"],
        "textberg": {k: round(tb[k] - FLOOR_SLACK, 4) for k in ("precision", "recall", "f1")},
        "textberg_cv": {k: round(results["textberg_cv"][k] - FLOOR_SLACK, 4) for k in ("precision", "recall", "f1")},
        "seeds": {
            "must_align_recall": round(seeds["must_align_recall"] - FLOOR_SLACK, 4),
            "must_not_align_rate_max": round(seeds["must_not_align_rate"] + FLOOR_SLACK, 4),
        },
        "perturbations": {
            "detection_rate": round(results["perturbations"]["detection_rate"] - FLOOR_SLACK, 4),
            "false_positives_max": results["perturbations"]["false_positives"],
        },
    }


def check_against(results: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Human-readable failures; empty when every floor holds."""
    failures = []
    if results["gold_sha256"] != baseline["gold_sha256"]:
        failures.append("gold data changed since the baseline was pinned (rerun with --update-baseline on purpose)")
    for part in ("textberg", "textberg_cv"):
        for key, floor in baseline.get(part, {}).items():
            if results[part][key] < floor:
                failures.append(f"{part} {key} {results[part][key]:.4f} < floor {floor}")
    if results["seeds"]["must_align_recall"] < baseline["seeds"]["must_align_recall"]:
        failures.append(
            f"seeds must_align_recall {results['seeds']['must_align_recall']} < floor {baseline['seeds']['must_align_recall']}"
        )
    if results["seeds"]["must_not_align_rate"] > baseline["seeds"]["must_not_align_rate_max"]:
        failures.append(
            f"seeds must_not_align_rate {results['seeds']['must_not_align_rate']} > ceiling {baseline['seeds']['must_not_align_rate_max']}"
        )
    pert, pert_floor = results.get("perturbations"), baseline.get("perturbations")
    if pert_floor is not None and pert is not None:
        if pert["detection_rate"] < pert_floor["detection_rate"]:
            failures.append(f"perturbation detection_rate {pert['detection_rate']} < floor {pert_floor['detection_rate']}")
        if pert["false_positives"] > pert_floor["false_positives_max"]:
            failures.append(f"perturbation false_positives {pert['false_positives']} > {pert_floor['false_positives_max']}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compare.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=CompareOptions.embedder)
    parser.add_argument("--support", default=CompareOptions.support, help="second-opinion embedder, or 'none'")
    parser.add_argument("--update-baseline", action="store_true", help="pin new floors from this run (deliberate)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    support = None if args.support in (None, "none") else args.support
    results = run_evaluation(CompareOptions(embedder=args.embedder, support=support))
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if args.update_baseline:
        # other stages pin their own keys in the same file (summarize.evaluation: "summaries")
        kept = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
        BASELINE.write_text(json.dumps({**kept, **baseline_from(results)}, indent=2) + "\n", encoding="utf-8")
        return 0
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    if (baseline["embedder"], baseline["support"]) != (results["embedder"], results["support"]):
        sys.stderr.write("note: the baseline pins the default settings; these scores are for comparison only\n")
        return 0
    failures = check_against(results, baseline)
    for failure in failures:
        sys.stderr.write(f"FAIL {failure}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
