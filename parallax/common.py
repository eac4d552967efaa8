"""Options and helpers shared by every `parallax` command (the sqlite-utils option stacks).

A module of its own so that command modules (`parallax.batch_command`) and `parallax.cli`
both import it, without importing each other.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TypeVar

import click

from compare.embed import EMBEDDER_SPECS
from compare.export import FORMATS, write_atomic
from compare.options import DEFAULT_EMBEDDER, DEFAULT_SUPPORT, CompareOptions

if TYPE_CHECKING:  # summarize loads lazily: `--help` should not pay for it
    from summarize.base import Budget, Summarizer

F = TypeVar("F", bound=Callable[..., object])

EXIT_INPUT = 2
EXIT_INTERNAL = 1

logger = logging.getLogger("parallax")


class UserError(click.ClickException):
    """A library error shown as one line with exit code 2."""

    exit_code = EXIT_INPUT


def model_options(func: F) -> F:
    """Options shared by every command that embeds sentences."""
    specs = "; ".join(f"{name}: {text}" for name, text in EMBEDDER_SPECS.items())
    func = click.option(
        "--embedder",
        default=DEFAULT_EMBEDDER,
        show_default=True,
        metavar="SPEC",
        help=f"Sentence embedder. {specs}.",
    )(func)
    func = click.option(
        "--support",
        default=DEFAULT_SUPPORT,
        show_default=True,
        metavar="SPEC",
        help="Second-opinion embedder for alignment (same specs), or 'none' for faster, less precise runs.",
    )(func)
    func = click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk embedding cache.")(func)
    return func


def output_options(formats: Sequence[str] = FORMATS, default: str = "md") -> Callable[[F], F]:
    """Options shared by every command that writes a report (--format, -o, --force)."""

    def decorate(func: F) -> F:
        func = click.option(
            "--format", "fmt", type=click.Choice(list(formats)), default=default, show_default=True, help="Report format."
        )(func)
        func = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to FILE (atomically) instead of stdout.",
        )(func)
        func = click.option("--force", is_flag=True, help="Overwrite an existing --output file.")(func)
        return func

    return decorate


def summarizer_options(default: str = "extractive") -> Callable[[F], F]:
    """--summarizer and its budget, shared by compare, summarize and brief."""

    def decorate(func: F) -> F:
        func = click.option(
            "--summarizer",
            default=default,
            show_default=True,
            metavar="SPEC",
            help="Per-article summarizer: extractive (ranked sentences, offline), "
            "hf:<seq2seq hub id or folder> (abstractive), or none.",
        )(func)
        func = click.option(
            "--sentences", type=click.IntRange(1, 50), default=3, show_default=True, help="Summary length in sentences."
        )(func)
        func = click.option(
            "--chars", type=click.IntRange(50, 20000), default=None, help="Summary length in characters (wins over --sentences)."
        )(func)
        return func

    return decorate


def text_option(func: F) -> F:
    """--no-text: leave the article texts out of the JSON result (large exports)."""
    return click.option(
        "--no-text",
        is_flag=True,
        help="Leave each article's text out of the JSON result (offsets still index the source as loaded).",
    )(func)


def comparison_options(func: F) -> F:
    """Alignment and checking options of every command that compares articles."""
    func = click.option(
        "--strictness",
        type=click.FloatRange(0.0, 3.0),
        default=1.0,
        show_default=True,
        help="Alignment strictness: higher links fewer, surer sentence pairs.",
    )(func)
    func = click.option(
        "--nli",
        default=None,
        metavar="SPEC",
        help="Also score aligned pairs with an NLI cross-encoder, hf:<hub id or folder> (off by default).",
    )(func)
    func = click.option(
        "--nli-threshold",
        type=click.FloatRange(0.0, 1.0),
        default=0.5,
        show_default=True,
        help="Contradiction probability from which --nli reports a discrepancy.",
    )(func)
    return func


def build_options(
    embedder: str, support: str, no_cache: bool, strictness: float, nli: str | None, nli_threshold: float
) -> CompareOptions:
    return CompareOptions(
        embedder=embedder,
        support=None if support == "none" else support,
        cache=not no_cache,
        strictness=strictness,
        nli=nli,
        nli_threshold=nli_threshold,
    )


def build_summarizer(spec: str, embedder: str, no_cache: bool) -> Summarizer | None:
    """The summarizer for a spec ("none" -> None); extractive ones rank with the command's embedder."""
    from summarize.factory import summarizer_or_none

    return summarizer_or_none(spec, cache=not no_cache, embedder_spec=embedder)


def build_budget(sentences: int, chars: int | None) -> Budget:
    """N sentences, or N characters when --chars is given."""
    from summarize.base import Budget

    return Budget.choose(sentences, chars)


def refuse_existing(output: Path | None, force: bool) -> None:
    """Fail before any work when the output exists: nothing the user has is overwritten unasked."""
    if output is not None and output.exists() and not force:
        raise UserError(f"{output} exists; use --force to overwrite")


def emit(text: str, output: Path | None, force: bool) -> None:
    """Print to stdout, or write atomically to the output file."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    path = write_atomic(output, text, force=force)
    click.echo(f"wrote {path}", err=True)


@contextmanager
def progress_reporter() -> Iterator[Callable[[str], None]]:
    """A spinner with the current step on an interactive stderr; log lines otherwise."""
    if not sys.stderr.isatty():
        yield lambda message: logger.info("%s", message)
        return
    from rich.console import Console

    with Console(stderr=True).status("starting") as status:
        yield lambda message: status.update(message)
