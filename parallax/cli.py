"""`parallax` command line: parse options, call the `compare` library, print or write.

Library errors (`ParallaxError`) become one line on stderr and exit code 2; nothing
here does comparison work itself.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import click

from compare.errors import ParallaxError, one_line
from compare.export import render
from compare.model import Comparison
from compare.options import DEFAULT_EMBEDDER, CompareOptions
from parallax.batch_command import batch
from parallax.common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    UserError,
    build_budget,
    build_options,
    build_summarizer,
    comparison_options,
    emit,
    model_options,
    output_options,
    progress_reporter,
    refuse_existing,
    summarizer_options,
    text_option,
)

if TYPE_CHECKING:  # summarize loads lazily: `--help` should not pay for it
    from summarize.briefing import Briefing

logger = logging.getLogger("parallax")


def _fail(message: str, code: int = EXIT_INPUT) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class ParallaxGroup(click.Group):
    """Turns `ParallaxError` from any command into a one-line `UserError`."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ParallaxError as exc:
            raise UserError(one_line(exc)) from exc


@click.group(cls=ParallaxGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parallax")
@click.option("-v", "--verbose", count=True, help="Log progress (-v) or debug details (-vv) to stderr.")
@click.option("--debug", is_flag=True, help="Show full tracebacks for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, debug: bool) -> None:
    """Parallax: see how different outlets cover the same story."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_options
@comparison_options
@summarizer_options()
@output_options()
@text_option
def compare(
    files: Sequence[Path],
    embedder: str,
    support: str,
    no_cache: bool,
    strictness: float,
    nli: str | None,
    nli_threshold: float,
    summarizer: str,
    sentences: int,
    chars: int | None,
    fmt: str,
    output: Path | None,
    force: bool,
    no_text: bool,
) -> None:
    """Align the facts of two or more articles (txt, md, html, json, jsonl).

    Prints a report of shared facts (groups of sentences from different articles),
    typed discrepancies, quotes and what only one article reports; the JSON result
    also holds per-article summaries and the briefing. Example: parallax compare seeds/*.txt
    """
    refuse_existing(output, force)
    comparison, _ = _compare_and_brief(
        files, build_options(embedder, support, no_cache, strictness, nli, nli_threshold),
        summarizer, sentences, chars,
    )
    emit(render(comparison, fmt, text=not no_text), output, force)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@summarizer_options()
@click.option("--embedder", default=DEFAULT_EMBEDDER, show_default=True, metavar="SPEC", help="Embedder the extractive summarizer ranks with.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk caches.")
@output_options(("md", "json"))
def summarize(
    files: Sequence[Path],
    summarizer: str,
    sentences: int,
    chars: int | None,
    embedder: str,
    no_cache: bool,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Summarize each article on its own (one or more files).

    Extractive summaries cite their sentences ([A1], [A4]); hf:<model> writes new text.
    Example: parallax summarize seeds/*.txt --sentences 2
    """
    from compare.ingest import load_articles
    from summarize.articles import results_for, summarize_articles
    from summarize.render import render_summaries

    if summarizer.strip().lower() == "none":
        raise UserError("summarize needs a summarizer, not 'none'")
    refuse_existing(output, force)
    model = build_summarizer(summarizer, embedder, no_cache)
    results = results_for(load_articles(list(files)))
    with progress_reporter() as progress:
        summaries = summarize_articles(results, model, build_budget(sentences, chars), progress)
    emit(render_summaries(results, summaries, fmt), output, force)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_options
@comparison_options
@summarizer_options()
@output_options(("md", "json", "html"))
def brief(
    files: Sequence[Path],
    embedder: str,
    support: str,
    no_cache: bool,
    strictness: float,
    nli: str | None,
    nli_threshold: float,
    summarizer: str,
    sentences: int,
    chars: int | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Write a briefing across two or more articles: consensus, disputed, only-in, quotes.

    Every line cites its sentences ([A3] = article A, sentence 3). An hf:<model>
    summarizer adds a one-paragraph lead. Example: parallax brief seeds/*.txt -o briefing.md
    """
    from summarize.briefing_render import render_briefing

    refuse_existing(output, force)
    comparison, briefing = _compare_and_brief(
        files, build_options(embedder, support, no_cache, strictness, nli, nli_threshold),
        summarizer, sentences, chars,
    )
    emit(render_briefing(comparison, briefing, fmt), output, force)


def _compare_and_brief(
    files: Sequence[Path], options: CompareOptions, summarizer: str, sentences: int, chars: int | None
) -> tuple[Comparison, Briefing]:
    """The flow `compare` and `brief` share: load, compare, summarise, brief, with progress."""
    from compare.engine import compare_files
    from summarize.pipeline import add_briefing

    summary_model = build_summarizer(summarizer, options.embedder, not options.cache)
    with progress_reporter() as progress:
        comparison = compare_files(list(files), options, progress=progress)
        briefing = add_briefing(comparison, summary_model, build_budget(sentences, chars), progress)
    return comparison, briefing


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point; an unexpected bug gives one line unless --debug is set."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        code = cli.main(args=args, prog_name="parallax", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - a bug must still not dump a traceback on users
        if "--debug" in args:
            raise
        logger.debug("internal error", exc_info=True)
        _fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)", EXIT_INTERNAL)
    else:
        sys.exit(code if isinstance(code, int) else 0)


cli.add_command(batch)
