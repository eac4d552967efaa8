"""Quality gate for summaries and briefings: figures pinned in `eval/baseline.json`.

Per article (the seeds and the held-out stories), the default extractive summary of 3
sentences is measured for
* redundancy      - the highest cosine (e5) between two of its sentences (a ceiling);
* entity coverage - the share of the article's distinct people, places and
                    organisations the summary names (a floor);
* lead            - whether the first body sentence, the news lead, was chosen (a rate).
Per comparison, the briefing is measured for
* disputed coverage - the share of discrepancies listed under Disputed (must be 1.0);
* traceable lines   - the share of lines whose cited sentences hold what the line says
                      (`line_is_traceable`; must be 1.0);
* consensus share   - consensus lines over agreeing groups (a floor, at the default cap).

`python -m summarize.evaluation` prints the figures; `--update-baseline` pins them under
the "summaries" key of the shared baseline file (the other keys are left alone).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from itertools import combinations
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from compare.embed import Embedder, get_embedder
from compare.engine import compare_articles
from compare.evaluation import BASELINE, EVAL_DIR, FLOOR_SLACK
from compare.facts.entities import extract_entities
from compare.ingest import load_articles
from compare.model import ArticleResult, Comparison
from compare.options import CompareOptions
from summarize.base import Budget, body_sentences
from summarize.briefing import MAX_CONSENSUS, Briefing, BriefingItem, build_briefing
from summarize.extractive import ExtractiveSummarizer

logger = logging.getLogger(__name__)

ROOT = EVAL_DIR.parent
ENTITY_KINDS = frozenset({"person", "place", "organisation"})


def stories() -> dict[str, list[Path]]:
    """The seeds and every held-out story (eval/heldout/<story>/*.txt)."""
    out = {"seeds": sorted((ROOT / "seeds").glob("*.txt"))}
    for folder in sorted(p for p in (EVAL_DIR / "heldout").iterdir() if p.is_dir()):
        out[f"heldout/{folder.name}"] = sorted(folder.glob("*.txt"))
    return out


def _entity_keys(text: str, language: str | None) -> set[str]:
    return {e.key for e in extract_entities(text, language) if e.kind in ENTITY_KINDS and e.key}


def summary_figures(result: ArticleResult, summarizer: ExtractiveSummarizer, embedder: Embedder) -> dict[str, Any]:
    """Redundancy, entity coverage and lead choice of one article's summary."""
    summary = summarizer.summarize(result, Budget(sentences=3))
    index = {s.id: s for s in result.sentences}
    picked = [index[sid].text for sid in summary.sentences]
    vectors = embedder.embed(picked) if picked else np.zeros((0, 1), np.float32)
    redundancy = max((float(vectors[i] @ vectors[j]) for i, j in combinations(range(len(picked)), 2)), default=0.0)
    language = result.article.language
    in_article = _entity_keys(result.article.text, language)
    in_summary = set().union(*(_entity_keys(t, language) for t in picked)) if picked else set()
    body = body_sentences(result)
    return {
        "sentences": summary.sentences,
        "redundancy": round(redundancy, 4),
        "entity_coverage": round(len(in_summary & in_article) / len(in_article), 4) if in_article else 1.0,
        "lead": bool(body) and body[0].id in summary.sentences,
    }


def line_is_traceable(c: Comparison, item: BriefingItem, groups: dict[str, set[str]]) -> bool:
    """Do the cited sentences hold what the line says? Every citation exists; a consensus
    line is one of its sentences and cites one aligned group; a unique line is its
    sentence; a disputed line's values stand in its cited sentences (a negation's bare
    side has no value); a quote line cites the sentences its quotes stand in."""
    index = c.sentence_index()
    cited = [index.get(sid) for sid in item.citations]
    if not cited or any(s is None for s in cited):
        return False
    texts = [s.text for s in cited]
    if item.kind == "consensus":
        return item.text in texts and any(set(item.citations) <= members for members in groups.values())
    if item.kind == "unique":
        return texts == [item.text]
    if "values" in item.extra:
        return all(any(v in t for t in texts) for v in item.extra["values"].values() if v)
    quotes = {q["id"]: q for q in c.quotes}
    for qid in item.extra.get("quotes", []):
        q = quotes.get(qid)
        if q is not None and not any(s.start <= q["start"] < s.end for s in cited if s.article == q["article"]):
            return False
    return True


def briefing_figures(c: Comparison, briefing: Briefing) -> dict[str, Any]:
    """Disputed coverage, traceable lines and consensus share of one briefing."""
    listed = {item.extra.get("discrepancy") for item in briefing.disputed}
    covered = sum(1 for d in c.discrepancies if d.get("id") in listed)
    groups = {g.id: set(g.sentences) for g in c.groups}
    lines = briefing.items()
    traceable = sum(1 for item in lines if line_is_traceable(c, item, groups))
    # The briefing lists at most MAX_CONSENSUS consensus lines by design: every agreeing
    # group up to that many must have one.
    agreeing = min(sum(1 for g in c.groups if g.status == "agree"), MAX_CONSENSUS)
    return {
        "discrepancies": len(c.discrepancies),
        "disputed_coverage": round(covered / len(c.discrepancies), 4) if c.discrepancies else 1.0,
        "traceable_lines": round(traceable / len(lines), 4) if lines else 1.0,
        "consensus_share": round(len(briefing.consensus) / agreeing, 4) if agreeing else 1.0,
    }


def run_evaluation(options: CompareOptions | None = None) -> dict[str, Any]:
    options = options or CompareOptions()
    embedder = get_embedder(options.embedder, cache=options.cache)
    summarizer = ExtractiveSummarizer(embedder=embedder)
    per_story: dict[str, Any] = {}
    articles_seen: list[dict[str, Any]] = []
    briefings: list[dict[str, Any]] = []
    for name, paths in stories().items():
        comparison = compare_articles(load_articles(paths), options, embedder=embedder)
        summaries = {r.article.id: summary_figures(r, summarizer, embedder) for r in comparison.articles}
        brief = briefing_figures(comparison, build_briefing(comparison))
        per_story[name] = {"summaries": summaries, "briefing": brief}
        articles_seen += summaries.values()
        briefings.append(brief)
    return {
        "embedder": options.embedder,
        "articles": len(articles_seen),
        "redundancy_max": max(a["redundancy"] for a in articles_seen),
        "entity_coverage_mean": round(float(np.mean([a["entity_coverage"] for a in articles_seen])), 4),
        "lead_rate": round(float(np.mean([a["lead"] for a in articles_seen])), 4),
        "disputed_coverage_min": min(b["disputed_coverage"] for b in briefings),
        "traceable_lines_min": min(b["traceable_lines"] for b in briefings),
        "consensus_share_mean": round(float(np.mean([b["consensus_share"] for b in briefings])), 4),
        "stories": per_story,
    }


def baseline_from(results: dict[str, Any]) -> dict[str, Any]:
    """Floors just below, ceilings just above the measured figures (float noise only)."""
    return {
        "redundancy_max": round(results["redundancy_max"] + FLOOR_SLACK, 4),
        "entity_coverage_mean": round(results["entity_coverage_mean"] - FLOOR_SLACK, 4),
        "lead_rate": round(results["lead_rate"] - FLOOR_SLACK, 4),
        "disputed_coverage_min": 1.0,
        "traceable_lines_min": 1.0,
        "consensus_share_mean": round(results["consensus_share_mean"] - FLOOR_SLACK, 4),
    }


def check_against(results: dict[str, Any], pinned: dict[str, Any]) -> list[str]:
    """Human-readable failures; empty when every floor and ceiling holds."""
    failures = []
    if results["redundancy_max"] > pinned["redundancy_max"]:
        failures.append(f"summary redundancy {results['redundancy_max']} > ceiling {pinned['redundancy_max']}")
    for key in ("entity_coverage_mean", "lead_rate", "disputed_coverage_min", "traceable_lines_min",
                "consensus_share_mean"):
        if results[key] < pinned[key]:
            failures.append(f"{key} {results[key]} < floor {pinned[key]}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m summarize.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--update-baseline", action="store_true", help="pin new figures from this run (deliberate)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    results = run_evaluation()
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    if args.update_baseline:
        baseline["summaries"] = baseline_from(results)
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
        return 0
    failures = check_against(results, baseline["summaries"])
    for failure in failures:
        sys.stderr.write(f"FAIL {failure}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
