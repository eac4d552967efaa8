"""`--engine ray`: the same per-story function on Ray actors that each load the models once.

Only computing moves to Ray; the runner still writes every file on this machine, so
outputs, resume marks and error rows are the same as with the local engine. Joins the
cluster at --ray-address (or RAY_ADDRESS); without one, starts a local Ray for the run
and stops it afterwards.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from compare.errors import ModelError, one_line
from compare.options import CompareOptions

from batch.runner import StoryJob, StoryOutcome, limit_threads, load_models, process_story
from batch.story import ReportSettings

logger = logging.getLogger(__name__)


def import_ray() -> Any:
    """The ray module, or a one-line ModelError saying how to get it."""
    try:
        import ray
    except ImportError:
        raise ModelError("--engine ray needs Ray: pip install ray (or use --engine local)") from None
    return ray


class StoryActor:
    """Holds the models of one Ray worker process; becomes a Ray actor class in `RayEngine`."""

    def __init__(self, options: CompareOptions, reports: ReportSettings, threads: int) -> None:
        self._thread_limits = limit_threads(threads)
        self.options = options
        self.reports = reports
        self.embedder, self.support = load_models(options)

    def run(self, job: StoryJob) -> StoryOutcome:
        return process_story(job, self.options, self.reports, self.embedder, self.support)


class RayEngine:
    """`workers` actors (one CPU each); at most two stories in flight per actor."""

    def __init__(self, workers: int = 1, address: str | None = None, temp_dir: str | None = None) -> None:
        self.ray = import_ray()
        self.workers = workers
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.temp_dir = temp_dir

    def map(self, jobs: Iterable[StoryJob], options: CompareOptions, reports: ReportSettings) -> Iterator[StoryOutcome]:
        ray = self.ray
        started_here = False
        if not ray.is_initialized():
            self._init()
            started_here = True
        try:
            yield from self._run(jobs, options, reports)
        finally:
            if started_here:
                ray.shutdown()

    def _init(self) -> None:
        ray = self.ray
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        if self.address:
            logger.info("joining Ray at %s", self.address)
            ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False)
            return
        temp_dir = self.temp_dir or os.path.join(tempfile.gettempdir(), f"parallax-ray-{os.getuid()}")
        logger.info("starting a local Ray (%d CPUs, temp %s)", self.workers, temp_dir)
        ray.init(
            num_cpus=self.workers,
            include_dashboard=False,
            _temp_dir=temp_dir,
            logging_level=logging.WARNING,
            log_to_driver=False,
        )

    def _run(self, jobs: Iterable[StoryJob], options: CompareOptions, reports: ReportSettings) -> Iterator[StoryOutcome]:
        ray = self.ray
        threads = max(1, (os.cpu_count() or 1) // self.workers)
        actor_class = ray.remote(num_cpus=1)(StoryActor)
        actors = [actor_class.remote(options, reports, threads) for _ in range(self.workers)]
        pending: dict[Any, tuple[int, int]] = {}  # object ref -> (job index, actor number)
        load = [0] * len(actors)
        queue = iter(jobs)
        exhausted = False
        try:
            while True:
                while not exhausted and min(load) < 2:
                    job = next(queue, None)
                    if job is None:
                        exhausted = True
                        break
                    slot = load.index(min(load))
                    pending[actors[slot].run.remote(job)] = (job.index, slot)
                    load[slot] += 1
                if not pending:
                    return
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    index, slot = pending.pop(ref)
                    load[slot] -= 1
                    try:
                        outcome = ray.get(ref)
                    except Exception as exc:  # noqa: BLE001 - a dead actor fails its story, with the reason
                        outcome = StoryOutcome(index, error=f"ray worker failed: {type(exc).__name__}: {one_line(exc)}")
                    yield outcome
        finally:
            for actor in actors:
                ray.kill(actor)
