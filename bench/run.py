"""`make bench`: wall time and peak memory of `compare` vs one bare e5 pass over the same sentences.

Each measurement runs in a fresh subprocess (so peak RSS and model loading are its own):
* compare, cold: empty embedding cache, default options (second opinion included if default),
  timed from the raw articles (segmentation is compare's work too);
* compare, warm: the same cluster again with the cache filled by the cold run;
* embed: the primary model (e5) alone embedding the distinct sentences once, no cache;
* support: the second-opinion model alone on the same sentences (what it adds), when the
  default uses one.
Model loading (and `compare.engine.warm_up`: word-frequency lexicons, locale data, the
background sentences' vectors) is timed separately and excluded from the compare/embed
seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"seeds": 2, "cluster12": 12, "cluster50": 50}
REPEATS = 3  # each figure is the best of this many fresh-process runs (CPU timing on a shared VM is noisy)
TARGET_RATIO = 1.2  # cold compare / one bare e5 pass over the distinct sentences
TARGET_PEAK_MB_50 = 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child(scenario: str, what: str) -> dict[str, float | int]:
    """Runs inside the subprocess; prints one JSON object."""
    from bench.clusters import cluster
    from compare.embed import get_embedder
    from compare.engine import compare_articles, segment_article, warm_up
    from compare.labels import article_label
    from compare.options import CompareOptions

    options = CompareOptions()
    articles = cluster(SIZES[scenario])
    use_cache = what == "compare"
    t = time.perf_counter()
    primary = get_embedder(options.embedder, cache=use_cache)
    support = get_embedder(options.support, cache=use_cache) if options.support and what != "embed" else None
    if what == "support":
        primary, support = support, None
    for model in (primary, support):
        if model is not None:
            model.embed(["Warm-up."])  # load weights now, outside the timed part
    if what == "compare":
        # lexicons, locale data and the background sentences' vectors: prepared once per
        # process (the vectors once per model and cache), like the weights
        warm_up(embedders=[m for m in (primary, support) if m is not None])
    load_s = time.perf_counter() - t

    def distinct_sentences() -> list[str]:
        return sorted({s.text for i, a in enumerate(articles) for s in segment_article(a, article_label(i))})

    if what == "compare":
        # timed from the raw articles: segmenting them is part of compare's work (and
        # segmentation is cached per process, so the sentences are read off afterwards)
        t = time.perf_counter()
        result = compare_articles(articles, options, embedder=primary, support=support)
        seconds = time.perf_counter() - t
        texts = distinct_sentences()
        extra = {"groups": len(result.groups)}
    else:
        texts = distinct_sentences()
        t = time.perf_counter()
        if primary is not None:
            primary.embed(texts)
        seconds = time.perf_counter() - t
        extra = {}
    return {
        "articles": len(articles),
        "unique_sentences": len(texts),
        "seconds": round(seconds, 3),
        "model_load_seconds": round(load_s, 3),
        "peak_rss_mb": round(_peak_mb(), 1),
        **extra,
    }


def run_child(scenario: str, what: str, cache_dir: Path) -> dict[str, float | int]:
    env = {**os.environ, "PARALLAX_CACHE_DIR": str(cache_dir)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", scenario, "--what", what],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    from compare.options import CompareOptions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--scenarios", default=",".join(SIZES), help="comma-separated subset of " + ",".join(SIZES))
    parser.add_argument("--child")
    parser.add_argument("--what", choices=["compare", "embed", "support"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.what)))
        return 0

    report: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "targets": {"compare_vs_embedding_max_ratio": TARGET_RATIO, "peak_rss_mb_50_articles_max": TARGET_PEAK_MB_50},
        "scenarios": {},
    }
    failures = []
    for scenario in args.scenarios.split(","):
        colds, warms, bares, seconds_opinion = [], [], [], []
        for _ in range(REPEATS):
            with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
                cache = Path(tmp)
                colds.append(run_child(scenario, "compare", cache))
                warms.append(run_child(scenario, "compare", cache))
                bares.append(run_child(scenario, "embed", Path(tmp) / "unused"))
                if CompareOptions().support:
                    seconds_opinion.append(run_child(scenario, "support", Path(tmp) / "unused"))
        fastest = lambda runs: min(runs, key=lambda r: r["seconds"])  # noqa: E731
        cold, warm, bare = fastest(colds), fastest(warms), fastest(bares)
        ratio = cold["seconds"] / bare["seconds"] if bare["seconds"] else None
        entry = {"cold": cold, "warm": warm, "embedding_only": bare, "cold_vs_embedding_ratio": round(ratio, 3) if ratio else None}
        if seconds_opinion:
            entry["support_only"] = fastest(seconds_opinion)
        report["scenarios"][scenario] = entry  # type: ignore[index]
        print(
            f"{scenario:10s} articles={cold['articles']:3d} sentences={cold['unique_sentences']:4d} "
            f"cold={cold['seconds']:.2f}s warm={warm['seconds']:.2f}s embed-only={bare['seconds']:.2f}s "
            f"ratio={entry['cold_vs_embedding_ratio']} peak={cold['peak_rss_mb']:.0f}MB",
            file=sys.stderr,
        )
        if ratio and ratio > TARGET_RATIO:
            failures.append(f"{scenario}: compare/embedding ratio {ratio:.2f} > {TARGET_RATIO}")
        if scenario == "cluster50" and cold["peak_rss_mb"] > TARGET_PEAK_MB_50:
            failures.append(f"{scenario}: peak memory {cold['peak_rss_mb']} MB > {TARGET_PEAK_MB_50} MB")
    report["target_misses"] = failures
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    for failure in failures:
        print(f"TARGET MISSED {failure}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
