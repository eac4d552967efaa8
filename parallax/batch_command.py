"""`parallax batch`: compare many stories and write one folder of reports per story.

A thin click layer over the `batch` package (registered in parallax/cli.py with
`cli.add_command(batch)`). Unusable arguments fail before any work with one line and
exit code 2; once the run starts, a failing story is a row in the index, and the exit
code says whether every story was ok (0) or not (1).
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import replace
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from compare.errors import ParallaxError, one_line
from compare.export import write_atomic
from compare.model import Article
from compare.options import CompareOptions
from parallax.common import UserError, build_options, comparison_options, model_options, summarizer_options, text_option

from batch.inputs import BatchInput, Story, assign_folders, read_input
from batch.runner import BatchResult, BatchSettings, Engine, LocalEngine, StoryRow, prepare_out, run_batch
from batch.story import FORMAT_FILES, ReportSettings

logger = logging.getLogger("parallax")

EXIT_NOT_ALL_OK = 1
CLUSTERS_FILE = "clusters.json"
ENGINES = ("local", "ray")
NO_STORY = "no story given; use --cluster to group articles without a story into stories"


@click.command()
@click.argument("input_path", metavar="INPUT", required=False, type=click.Path(path_type=Path))
@click.option("--out", "out", metavar="DIR", type=click.Path(path_type=Path), help="Folder for the reports (required).")
@click.option(
    "--format",
    "formats",
    default=",".join(FORMAT_FILES),
    show_default=True,
    help="Comma-separated reports per story: json (comparison.json), md (briefing.md), html (report.html), csv (groups.csv).",
)
@click.option("--workers", default="1", show_default=True, metavar="N", help="Stories compared in parallel (processes, or Ray actors).")
@click.option("--resume", is_flag=True, help="Continue a previous run: skip stories whose inputs and settings are unchanged.")
@click.option("--force", is_flag=True, help="Write into a non-empty --out (replacing reports of the same stories).")
@click.option("--engine", default="local", show_default=True, metavar="local|ray", help="Run on local processes or on Ray.")
@click.option("--ray-address", metavar="ADDR", help="Ray cluster to join (default: RAY_ADDRESS, else a local Ray).")
@click.option("--cluster", "use_cluster", is_flag=True, help="Group articles without a story into stories automatically.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; only the exit code and errors.")
@model_options
@comparison_options
@summarizer_options()
@text_option
def batch(
    input_path: Path | None,
    out: Path | None,
    formats: str,
    workers: str,
    resume: bool,
    force: bool,
    engine: str,
    ray_address: str | None,
    use_cluster: bool,
    quiet: bool,
    embedder: str,
    support: str,
    no_cache: bool,
    strictness: float,
    nli: str | None,
    nli_threshold: float,
    summarizer: str,
    sentences: int,
    chars: int | None,
    no_text: bool,
) -> None:
    """Compare every story in INPUT and write DIR/<story>/ reports plus DIR/index.jsonl and DIR/index.html.

    INPUT is a folder of story folders (article files in any supported format) or a
    JSONL file with one article per line and a "story" key. Exit code 0 when every
    story is ok, 1 when any failed or was skipped, 2 for unusable arguments.
    Example: parallax batch archive.jsonl --out reports --workers 2
    """
    try:
        settings = _settings(input_path, out, formats, workers, resume, force, engine,
                             build_options(embedder, support, no_cache, strictness, nli, nli_threshold))
        settings = replace(settings, reports=replace(
            settings.reports, summarizer=summarizer, sentences=sentences, chars=chars, text=not no_text
        ))
        _check_models(settings.options, settings.reports)
        runner = _engine(engine, settings.workers, ray_address)
        prepare_out(settings)
        assert input_path is not None
        stories = _stories(read_input(input_path), use_cluster, settings)
        with _progress(quiet) as on_row:
            result = run_batch(stories, settings, runner, on_row)
    except ParallaxError as exc:
        raise UserError(one_line(exc)) from exc
    if not quiet:
        click.echo(_summary(result, settings.out), err=True)
    if not result.ok:
        sys.exit(EXIT_NOT_ALL_OK)


def _settings(
    input_path: Path | None,
    out: Path | None,
    formats: str,
    workers: str,
    resume: bool,
    force: bool,
    engine: str,
    options: CompareOptions,
) -> BatchSettings:
    """Check every argument before any work; UserError (exit 2) names the first bad one."""
    if input_path is None:
        raise UserError("missing INPUT: a folder of story folders or a .jsonl file")
    if not input_path.exists():
        raise UserError(f"{input_path}: does not exist")
    if out is None:
        raise UserError("missing --out DIR: the folder for the reports")
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} exists and is not a folder")
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMAT_FILES]
    if not wanted or unknown:
        shown = ", ".join(unknown) if unknown else "(empty)"
        raise UserError(f"--format: unknown format {shown}; choose from {','.join(FORMAT_FILES)}")
    try:
        count = int(workers)
    except ValueError:
        count = 0
    if count < 1:
        raise UserError(f"--workers must be a whole number >= 1, got {workers!r}")
    if engine not in ENGINES:
        raise UserError(f"--engine must be local or ray, got {engine!r}")
    if resume and force:
        raise UserError("--resume and --force exclude each other: resume keeps unchanged reports, force redoes all")
    ordered = tuple(f for f in FORMAT_FILES if f in wanted)
    return BatchSettings(
        out=out, reports=ReportSettings(formats=ordered), options=options, workers=count, resume=resume, force=force
    )


def _check_models(options: CompareOptions, reports: ReportSettings) -> None:
    """Build (not load) the models now, so a bad spec is one line before any work."""
    from compare.embed import get_embedder
    from compare.facts.nli import get_nli_scorer
    from summarize.factory import summarizer_or_none

    get_embedder(options.embedder, cache=options.cache)
    if options.support and options.support != "none":
        get_embedder(options.support, cache=options.cache)
    if options.nli and options.nli.strip().lower() != "none":
        get_nli_scorer(options.nli)
    summarizer_or_none(reports.summarizer, options.cache, options.embedder)


def _engine(name: str, workers: int, address: str | None) -> Engine:
    if name == "ray":
        from batch.ray_engine import RayEngine

        return RayEngine(workers=workers, address=address)
    return LocalEngine(workers)


def _stories(found: BatchInput, use_cluster: bool, settings: BatchSettings) -> list[Story]:
    """The input's stories, plus the loose articles: clustered, or one error row each."""
    stories = list(found.stories)
    clusters: list[tuple[Story, list[tuple[str, Article]]]] = []
    if found.loose and use_cluster:
        from batch.cluster import cluster_articles
        from compare.embed import get_embedder

        articles = [a for _, a in found.loose]
        model = get_embedder(settings.options.embedder, cache=settings.options.cache)
        for members in cluster_articles(articles, model):
            chosen = [found.loose[i] for i in members]
            story = Story(name=f"cluster-{chosen[0][1].id}", articles=[a for _, a in chosen])
            clusters.append((story, chosen))
            stories.append(story)
    else:
        stories.extend(Story(name=where, errors=[f"{where}: {NO_STORY}"]) for where, _ in found.loose)
    assign_folders(stories)
    if use_cluster:
        _write_clusters(settings.out, clusters)
    return stories


def _write_clusters(out: Path, clusters: list[tuple[Story, list[tuple[str, Article]]]]) -> None:
    """DIR/clusters.json: which loose articles went into which story, for review."""
    data: dict[str, Any] = {
        "clusters": [
            {
                "story": story.name,
                "folder": story.folder,
                "articles": [{"id": a.id, "from": where, "title": a.title, "date": a.date} for where, a in members],
            }
            for story, members in clusters
        ]
    }
    write_atomic(out / CLUSTERS_FILE, json.dumps(data, ensure_ascii=False, indent=2) + "\n", force=True)


def _summary(result: BatchResult, out: Path) -> str:
    counts = result.counts()
    resumed = sum(r.resumed for r in result.rows)
    parts = [f"{counts['ok']} ok", f"{counts['error']} error", f"{counts['skipped']} skipped"]
    if resumed:
        parts.append(f"{resumed} unchanged (resumed)")
    return f"{len(result.rows)} stories: {', '.join(parts)}; index: {out / 'index.html'}"


def _row_line(row: StoryRow, done: int, total: int) -> str:
    detail = f" ({row.groups} groups)" if row.status == "ok" else f": {row.error}" if row.error else ""
    return f"[{done}/{total}] {row.story}: {row.status}{detail}"


@contextmanager
def _progress(quiet: bool) -> Iterator[Any]:
    """A rich bar with stories/s and ETA on a terminal; plain lines otherwise; nothing with --quiet."""
    if quiet:
        yield None
        return
    if not sys.stderr.isatty():
        yield lambda row, done, total: click.echo(_row_line(row, done, total), err=True)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.2f} stories/s" if speed else "- stories/s")

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("stories", total=None)

        def update(row: StoryRow, done: int, total: int) -> None:
            bar.update(task, total=total, completed=done, description=row.story[:30])
            if row.status != "ok":
                bar.console.print(_row_line(row, done, total), markup=False, highlight=False)

        yield update
