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
