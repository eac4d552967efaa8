"""`parallax batch --engine ray` on a local Ray: the same files as the local engine."""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from parallax.cli import cli
from tests.test_batch import FAST, index_rows, write_jsonl

pytestmark = pytest.mark.slow

if importlib.util.find_spec("ray") is None and not os.environ.get("CI"):
    pytest.skip("ray is not installed (pip install ray)", allow_module_level=True)


@pytest.fixture
def local_ray(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A local Ray with 2 CPUs whose files all go to a temporary folder; always shut down."""
    import ray

    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    # Ray's socket paths must stay under 108 characters: a short folder, not pytest's tmp_path.
    with tempfile.TemporaryDirectory(prefix="pxray") as temp:
        ray.init(num_cpus=2, include_dashboard=False, _temp_dir=temp, log_to_driver=False)
        try:
            yield
        finally:
            ray.shutdown()


def test_ray_engine_matches_local_engine(tmp_path: Path, local_ray: None) -> None:
    source = write_jsonl(tmp_path / "stories.jsonl")
    local, remote = tmp_path / "local", tmp_path / "ray"
    assert CliRunner().invoke(cli, ["batch", str(source), "--out", str(local), *FAST]).exit_code == 1
    result = CliRunner().invoke(cli, ["batch", str(source), "--out", str(remote), "--engine", "ray", "--workers", "2", *FAST])
    assert result.exit_code == 1, result.output
    local_rows, ray_rows = index_rows(local), index_rows(remote)
    assert list(ray_rows) == list(local_rows)
    for story, row in local_rows.items():
        assert ray_rows[story]["status"] == row["status"] and ray_rows[story]["error"] == row["error"]
        if row["status"] == "ok":
            folder = row["folder"]
            assert (remote / folder / "comparison.json").read_bytes() == (local / folder / "comparison.json").read_bytes()
            assert json.loads((remote / folder / "comparison.json").read_text(encoding="utf-8"))["schema"] == "parallax/comparison@1"
    before = {p: p.stat().st_mtime_ns for p in remote.glob("*/*")}
    again = CliRunner().invoke(cli, ["batch", str(source), "--out", str(remote), "--engine", "ray", "--resume", *FAST])
    assert again.exit_code == 1
    assert {p: p.stat().st_mtime_ns for p in remote.glob("*/*")} == before


def test_missing_ray_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_ray(name: str, *args: object, **kwargs: object) -> object:
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_ray)
    source = write_jsonl(tmp_path / "stories.jsonl")
    result = CliRunner().invoke(cli, ["batch", str(source), "--out", str(tmp_path / "o"), "--engine", "ray", *FAST])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --engine ray needs Ray: pip install ray (or use --engine local)"
