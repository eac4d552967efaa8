"""Negation cues in German, English and French."""

from __future__ import annotations

import pytest

from compare.facts.negation import negation_cues, negation_differs


@pytest.mark.parametrize(
    "sentence,language,cues",
    [
        ("Die Regierung hat den Bericht nicht bestätigt.", "de", ["nicht"]),
        ("Es gab keine Einigung.", "de", ["keine"]),
        ("Das war keineswegs sicher.", "de", ["keineswegs"]),
        ("The ministry did not confirm the report.", "en", ["not"]),
        ("The ministry didn't confirm the report.", "en", ["n't"]),
        ("He never visited Astana.", "en", ["never"]),
        ("Le ministère n'a pas confirmé.", "fr", ["pas"]),
        ("Ni l'un ni l'autre ne viendra jamais.", "fr", ["jamais"]),
        ("Die Regierung hat den Bericht bestätigt.", "de", []),
        ("Es geht nicht nur um Öl.", "de", []),
        ("It is not only about oil.", "en", []),
        ("Notably, the minister arrived.", "en", []),
    ],
)
def test_cues(sentence: str, language: str, cues: list[str]) -> None:
    found = negation_cues(sentence, language)
    assert [c.text for c in found] == cues
    for cue in found:
        assert sentence[cue.start : cue.end] == cue.text


def test_one_side_negated_differs() -> None:
    assert negation_differs("Kasachstan hat die Resolution unterstützt.", "de", "Kasachstan hat die Resolution nicht unterstützt.", "de")
    assert negation_differs("Kazakhstan backed the resolution.", "en", "Kasachstan hat die Resolution nicht unterstützt.", "de")
    assert not negation_differs("Er kam nicht.", "de", "He did not come.", "en")
    assert not negation_differs("Er kam.", "de", "He came.", "en")


def test_a_language_lexicon_added_from_a_folder_is_used(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Adding a language is adding files (issue 13): Spanish cues from a temporary folder."""
    from compare.facts import lexicon

    sentence = "El ministro no confirmó nunca la cifra."
    before = [c.text for c in negation_cues(sentence, "es")]
    assert before == ["no"]  # no Spanish list yet: every language's cues, "nunca" unknown
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "negation_cues.txt").write_text("# Spanish\nno\nnunca\njamás\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "_EXTRA", [])
    lexicon.add_lexicon_dir(tmp_path)
    assert lexicon.lexicon("negation_cues", "es") == ("no", "nunca", "jamás")
    assert "es" in lexicon.lexicon_languages("negation_cues")
    assert [c.text for c in negation_cues(sentence, "es")] == ["no", "nunca"]
    assert not negation_differs(sentence, "es", "El ministro no confirmó nunca la cifra, dijo.", "es")


def test_lexicon_folder_from_the_environment(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from compare.facts.lexicon import ENV_VAR, lexicon

    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "negation_cues.txt").write_text("nimmer\nnicht\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    words = lexicon("negation_cues", "de")
    assert words[0] == "nicht" and words[-1] == "nimmer" and words.count("nicht") == 1  # merged, built-in first
    assert [c.text for c in negation_cues("Das klappt nimmer.", "de")] == ["nimmer"]
    monkeypatch.delenv(ENV_VAR)
    assert negation_cues("Das klappt nimmer.", "de") == []
    assert lexicon("negation_cues", "../de") == ()


def test_bad_lexicon_folders_and_files_are_one_clear_error(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A user's lexicon is input: a missing folder, a file that is not UTF-8 or a pair list
    without '=' is an InputError naming it (one line and exit 2 in the CLI), not a crash."""
    from compare.errors import InputError
    from compare.facts import lexicon

    monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(InputError, match="lexicon folder not found"):
        lexicon.lexicon("negation_cues", "de")
    with pytest.raises(InputError, match="lexicon folder not found"):
        lexicon.add_lexicon_dir(tmp_path / "missing")
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "negation_cues.txt").write_bytes(b"\xff\xfe\x00n\x00i")
    (tmp_path / "xx" / "roles.txt").write_text("kaputt\n", encoding="utf-8")
    monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path))
    with pytest.raises(InputError, match="UTF-8 text expected"):
        lexicon.lexicon("negation_cues", "xx")
    with pytest.raises(InputError, match="expected 'entry = value'"):
        lexicon.lexicon_pairs("roles", "xx")


def test_cli_reports_a_broken_lexicon_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "roles.txt").write_text("kaputt\n", encoding="utf-8")
    env = {**os.environ, "PARALLAX_LEXICONS": str(tmp_path), "PYTHONPATH": str(root)}
    seeds = sorted(str(p) for p in (root / "seeds").glob("*.txt"))
    done = subprocess.run([sys.executable, "-m", "parallax", "compare", *seeds], capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "expected 'entry = value'" in done.stderr and "Traceback" not in done.stderr
