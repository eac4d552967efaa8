"""Batch benchmark: stories per minute with 1 and 2 workers, peak memory per worker, vs embedding alone.

Builds N stories (default 200) of 2-5 articles each from the seeds: rewritten variants
(bench/clusters.make_variant) plus, in some stories, the seed with one planted change
(compare/perturbations.py). Every sentence of story k starts with a story tag ("#k"),
so no two stories share a sentence, as in a real archive; without the tags the
embedding cache would serve story 3's sentences from story 1 and the benchmark would
time only the work around the model (`--shared-text` measures that regime). Each
measurement runs in a fresh subprocess with an empty embedding cache:
* batch, 1 worker and 2 workers: `batch.runner.run_batch` over all stories, all four
  report formats, wall time including starting the workers and loading their models;
  peak RSS of the driver and of each worker process (psutil, sampled every 0.1 s);
* embedding alone: the same models embedding every distinct sentence of all stories
  once (model loading excluded).
Target: batch with 2 workers within 1.5x of the embedding-alone time.
Usage: python bench/batch.py [--stories N] [--output bench/batch_results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.5
WORKER_COUNTS = (1, 2)


def tag_sentences(text: str, language: str | None, tag: str) -> str:
    """`text` with `tag` before every sentence, so the sentence is unique to its story."""
    from compare.segment import segment

    parts, pos = [], 0
    for seg in segment(text, language):
        parts += [text[pos : seg.start], f"{tag} ", text[seg.start : seg.end]]
        pos = seg.end
    return "".join(parts) + text[pos:]


def build_stories(count: int, shared_text: bool = False) -> list[dict[str, str]]:
    """JSONL records: story k has 2 + k % 4 articles, variants of one seed, some with a planted change."""
    from bench.clusters import SEEDS, make_variant
    from compare.ingest import load_articles
    from compare.perturbations import PERTURBATIONS, SEED, apply

    seeds = load_articles(SEEDS)
    planted_base = next(a for a, path in zip(seeds, SEEDS) if path == SEED)
    records = []
    for k in range(count):
        base = seeds[k % len(seeds)]
        size = 2 + k % 4
        articles = [make_variant(base, j, seed=k + 1) for j in range(size)]
        if base is planted_base and k % 3 == 0:
            p = PERTURBATIONS[k % len(PERTURBATIONS)]
            articles[-1].text = apply(planted_base.text, p)
            articles[-1].id = f"planted-{p.name.replace(' ', '-')}"
        for a in articles:
            text = a.text if shared_text else tag_sentences(a.text, a.language, f"#{k + 1}")
            records.append({"story": f"story-{k + 1:03d}", "id": a.id, "source": a.source, "language": a.language, "text": text})
    return records


class PeakSampler:
    """Peak RSS per process (this one and its children) in MB, sampled in a background thread."""

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self.me = psutil.Process()
        self.interval = interval
        self.peaks: dict[int, float] = {}
        self.helpers: set[int] = set()  # multiprocessing's resource tracker: not a worker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        for proc in [self.me, *self.me.children(recursive=True)]:
            try:
                mb = proc.memory_info().rss / 2**20
                if proc.pid not in self.peaks and "resource_tracker" in " ".join(proc.cmdline()):
                    self.helpers.add(proc.pid)
            except psutil.Error:
                continue
            self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0.0), mb)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def child_batch(stories_path: Path, workers: int) -> dict[str, object]:
    from batch.inputs import assign_folders, read_input
    from batch.runner import BatchSettings, LocalEngine, run_batch

    stories = assign_folders(read_input(stories_path).stories)
    with tempfile.TemporaryDirectory(prefix="parallax-batch-out-") as out:
        settings = BatchSettings(out=Path(out) / "reports", workers=workers)
        with PeakSampler() as sampler:
            start = time.perf_counter()
            result = run_batch(stories, settings, LocalEngine(workers))
            seconds = time.perf_counter() - start
    me = os.getpid()
    workers_mb = [mb for pid, mb in sampler.peaks.items() if pid != me and pid not in sampler.helpers]
    return {
        "workers": workers,
        "stories": len(stories),
        "ok": result.counts()["ok"],
        "seconds": round(seconds, 2),
        "stories_per_minute": round(60 * len(stories) / seconds, 1),
        "driver_peak_rss_mb": round(sampler.peaks.get(me, 0.0), 1),
        "worker_peak_rss_mb": [round(mb, 1) for mb in sorted(workers_mb)] or None,
    }


def child_embed(stories_path: Path) -> dict[str, object]:
    from batch.inputs import read_input
    from compare.embed import get_embedder
    from compare.engine import segment_article
    from compare.options import CompareOptions

    options = CompareOptions()
    models = [get_embedder(options.embedder, cache=False)]
    if options.support:
        models.append(get_embedder(options.support, cache=False))
    for model in models:
        model.embed(["Warm-up."])
    texts = sorted(
        {s.text for story in read_input(stories_path).stories for a in story.articles for s in segment_article(a, "A")}
    )
    start = time.perf_counter()
    for model in models:
        model.embed(texts)
    return {"unique_sentences": len(texts), "seconds": round(time.perf_counter() - start, 2)}


def run_child(args: list[str], cache_dir: Path) -> dict[str, object]:
    env = {**os.environ, "PARALLAX_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200, help="number of stories (default 200)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "batch_results.json")
    parser.add_argument("--child", choices=["batch", "embed"])
    parser.add_argument("--input", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--shared-text", action="store_true", help="let stories share sentences (times the work around the model)")
    args = parser.parse_args()
    if args.child == "batch":
        print(json.dumps(child_batch(args.input, args.workers)))
        return 0
    if args.child == "embed":
        print(json.dumps(child_embed(args.input)))
        return 0

    with tempfile.TemporaryDirectory(prefix="parallax-bench-batch-") as tmp:
        stories_path = Path(tmp) / "stories.jsonl"
        records = build_stories(args.stories, args.shared_text)
        stories_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        runs = {}
        for workers in WORKER_COUNTS:
            runs[f"workers_{workers}"] = run_child(
                ["--child", "batch", "--input", str(stories_path), "--workers", str(workers)], Path(tmp) / f"cache{workers}"
            )
            print(f"workers={workers}: {runs[f'workers_{workers}']}", file=sys.stderr)
        embed = run_child(["--child", "embed", "--input", str(stories_path)], Path(tmp) / "unused")
        print(f"embedding alone: {embed}", file=sys.stderr)
    ratio = runs["workers_2"]["seconds"] / embed["seconds"] if embed["seconds"] else None  # type: ignore[operator]
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "stories": args.stories,
        "articles": len(records),
        "shared_text": args.shared_text,
        "target": {"batch_2_workers_vs_embedding_max_ratio": TARGET_RATIO},
        "runs": runs,
        "embedding_only": embed,
        "batch_2_workers_vs_embedding_ratio": round(ratio, 3) if ratio else None,
        "target_missed": bool(ratio and ratio > TARGET_RATIO),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}; ratio {report['batch_2_workers_vs_embedding_ratio']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
