"""`parallax` command line: parse options, call the `compare` library, print or write.

Library errors (`ParallaxError`) become one line on stderr and exit code 2; nothing
here does comparison work itself.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

import click

from compare.embed import EMBEDDER_SPECS
from compare.errors import ParallaxError
from compare.export import FORMATS, render, write_atomic
from compare.options import DEFAULT_EMBEDDER, DEFAULT_SUPPORT, CompareOptions

F = TypeVar("F", bound=Callable[..., object])

EXIT_INPUT = 2
EXIT_INTERNAL = 1

logger = logging.getLogger("parallax")


def _fail(message: str, code: int = EXIT_INPUT) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class UserError(click.ClickException):
    """A library error shown as one line with exit code 2."""

    exit_code = EXIT_INPUT


class ParallaxGroup(click.Group):
    """Turns `ParallaxError` from any command into a one-line `UserError`."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ParallaxError as exc:
            message = str(exc).strip().splitlines()
            raise UserError(message[0] if message else type(exc).__name__) from exc


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


def output_options(func: F) -> F:
    """Options shared by every command that writes a report."""
    func = click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True, help="Report format."
    )(func)
    func = click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (atomically) instead of stdout."
    )(func)
    func = click.option("--force", is_flag=True, help="Overwrite an existing --output file.")(func)
    return func


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
@output_options
@click.option(
    "--strictness",
    type=click.FloatRange(0.0, 3.0),
    default=1.0,
    show_default=True,
    help="Alignment strictness: higher links fewer, surer sentence pairs.",
)
def compare(
    files: Sequence[Path],
    embedder: str,
    support: str,
    no_cache: bool,
    fmt: str,
    output: Path | None,
    force: bool,
    strictness: float,
) -> None:
    """Align the facts of two or more articles (txt, md, html, json, jsonl).

    Prints a report of shared facts (groups of sentences from different articles)
    and what only one article reports. Example: parallax compare seeds/*.txt
    """
    from compare.engine import compare_files

    if output is not None and output.exists() and not force:
        raise UserError(f"{output} exists; use --force to overwrite")
    options = CompareOptions(
        embedder=embedder, support=None if support == "none" else support, cache=not no_cache, strictness=strictness
    )
    with progress_reporter() as progress:
        comparison = compare_files(list(files), options, progress=progress)
    emit(render(comparison, fmt), output, force)


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


if __name__ == "__main__":
    main()
