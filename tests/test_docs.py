"""Every command and option of the CLI is documented in the README (the sqlite-utils rule)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from parallax.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, click.Command]]:
    return sorted(cli.commands.items())


@pytest.mark.parametrize("name,command", _commands())
def test_command_documented(name: str, command: click.Command) -> None:
    assert f"parallax {name}" in README


@pytest.mark.parametrize(
    "name,option",
    [(name, opt) for name, command in _commands() for param in command.params if isinstance(param, click.Option) for opt in param.opts if opt.startswith("--")],
)
def test_option_documented(name: str, option: str) -> None:
    assert option in README, f"{option} of `parallax {name}` is not in README.md"


def test_json_schema_fields_documented() -> None:
    for field in ("articles", "groups", "unique", "discrepancies", "quotes", "quote_links", "reported_speech", "text_length", "status"):
        assert f"`{field}`" in README
