"""Tests for compare.facts.reported (reported speech) and its use in split_by_speaker."""

from __future__ import annotations

from compare.engine import segment_article
from compare.facts.quote_links import ArticleQuote, collect_quotes, link_quotes
from compare.facts.reported import Attribution, collect_reported, extract_reported
from compare.facts.speaker_groups import split_by_speaker
from compare.model import Article, ArticleResult, Comparison, Group


def reported(text: str, language: str = "de") -> list[Attribution]:
    """Attributions of `text`, with the offset invariants every result must satisfy."""
    found = extract_reported(text, language)
    for a in found:
        assert 0 <= a.sentence_start <= a.cue_start < a.cue_end <= a.sentence_end <= len(text)
        assert 0 <= a.speaker_start < a.speaker_end <= a.sentence_end
    return found


def sentence_of(text: str, a: Attribution) -> str:
    return text[a.sentence_start : a.sentence_end]


def test_laut_names_the_speaker() -> None:
    text = (
        "Die Ministerin Petra Hollmann besuchte am Montag das Werk in Görlitz. "
        "Laut Hollmann soll die Fabrik im kommenden Jahr 400 neue Stellen schaffen."
    )
    [a] = reported(text)
    assert a.rule == "according" and a.speaker == "Petra Hollmann"
    assert text[a.cue_start : a.cue_end] == "Laut" and text[a.speaker_start : a.speaker_end] == "Hollmann"
    assert sentence_of(text, a).startswith("Laut Hollmann")


def test_konjunktiv_continues_the_reported_speaker_over_two_sentences() -> None:
    text = (
        "Der Bürgermeister Karl Ostendorf erklärte am Abend, die Brücke werde bis Ende Mai gesperrt. "
        "Eine Umleitung sei bereits ausgeschildert. "
        "Die Kosten trage das Land, das Geld stehe schon bereit."
    )
    first, second, third = reported(text)
    assert first.rule == "verb" and text[first.cue_start : first.cue_end] == "erklärte"
    assert [second.rule, third.rule] == ["continuation", "continuation"]
    assert {a.speaker for a in (first, second, third)} == {"Karl Ostendorf"}
    assert text[second.cue_start : second.cue_end] == "sei" and text[third.cue_start : third.cue_end] == "trage"
    assert text[third.speaker_start : third.speaker_end] == "Karl Ostendorf"  # the mention that named him


def test_pronoun_at_sentence_start_is_the_last_named_speaker() -> None:
    text = (
        "„Wir bauen hier die Zukunft“, sagte Firmenchefin Mira Castell bei der Eröffnung. "
        "Sie betonte, dass das Werk ohne Fördergeld nicht entstanden wäre."
    )
    [a] = reported(text)
    assert a.rule == "verb" and a.speaker == "Mira Castell"
    assert text[a.speaker_start : a.speaker_end] == "Sie" and text[a.cue_start : a.cue_end] == "betonte"


def test_konjunktiv_in_the_writers_own_voice_is_no_report() -> None:
    text = (
        "Der Stadtrat beschloss am Dienstag den Abriss der alten Schwimmhalle. "
        "Es wäre besser gewesen, die Halle schon vor Jahren zu sanieren. "
        "Ein Neubau könnte frühestens 2028 eröffnen."
    )
    assert reported(text) == []


def test_writers_counterfactual_after_a_report_does_not_continue_it() -> None:
    text = (
        "Laut Innenminister Henrik Bauer sei der Schaden erheblich. "
        "Es wäre besser gewesen, früher zu handeln."
    )
    [a] = reported(text)
    assert a.speaker == "Henrik Bauer" and sentence_of(text, a).startswith("Laut")


def test_a_sentence_with_another_person_breaks_the_continuation() -> None:
    text = (
        "Laut Innenminister Henrik Bauer sei der Schaden erheblich. "
        "Die Bürgermeisterin Anna Seidl sagte dagegen, der Fall sei verjährt. "
        "Eine Anklage komme daher nicht in Frage."
    )
    bauer, seidl, after = reported(text)
    assert bauer.speaker == "Henrik Bauer" and seidl.speaker == "Anna Seidl"
    assert after.rule == "continuation" and after.speaker == "Anna Seidl"


def test_heading_breaks_the_continuation() -> None:
    text = "Laut Innenminister Henrik Bauer sei der Schaden erheblich.\n\nNeue Regeln ab Mai\n\nDas Gesetz gelte ab Mai."
    [a] = reported(text)
    assert sentence_of(text, a).startswith("Laut")


def test_unknown_single_word_source_is_no_speaker() -> None:
    text = "Laut Reuters sei die Lieferung gestoppt worden."
    assert reported(text) == []


def test_english_according_to_and_said_that() -> None:
    text = (
        "The port reopened on Friday, according to Elena Ruiz, the harbour master. "
        "Tom Baxter said that the strike would end next week."
    )
    ruiz, baxter = reported(text, "en")
    assert ruiz.speaker == "Elena Ruiz" and text[ruiz.cue_start : ruiz.cue_end] == "according to"
    assert baxter.speaker == "Tom Baxter" and text[baxter.cue_start : baxter.cue_end] == "said"


def test_french_selon() -> None:
    text = "Selon la ministre Claire Dumont, le projet sera terminé en juin."
    [a] = reported(text, "fr")
    assert a.speaker == "Claire Dumont" and text[a.cue_start : a.cue_end] == "Selon"


# --------------------------------------------------------------------------- split_by_speaker


def _grouped(a_text: str, b_text: str) -> tuple[Comparison, list[ArticleQuote]]:
    """Two articles whose last sentences are grouped together."""
    results = []
    for label, text in (("A", a_text), ("B", b_text)):
        article = Article(id=label.lower(), text=text, language="de")
        results.append(ArticleResult(article, label, segment_article(article, label)))
    last = [r.sentences[-1].id for r in results]
    comparison = Comparison(results, [Group("G1", last, ["a", "b"], 1.0)], {"a": [], "b": []})
    return comparison, collect_quotes(comparison)


def test_reported_statement_and_another_persons_quote_are_split() -> None:
    comparison, quotes = _grouped(
        "Der Verkehrsminister Jonas Ebert stellte am Montag den Plan vor. "
        "Er erklärte, die Bahn habe für die Strecke zusätzliche Mittel erhalten.",
        "„Die Bahn braucht endlich mehr Geld für ihre Strecken, sonst verfällt das Netz“, sagte der Fahrgastverband-Sprecher Lukas Brand.",
    )
    reported_speech = collect_reported(comparison)
    assert [(r.sentence, r.speaker) for r in reported_speech] == [("A2", "Jonas Ebert")]
    assert quotes[0].quote.speaker == "Lukas Brand"
    assert split_by_speaker(comparison, quotes, link_quotes(quotes), reported_speech) == 2  # one each: both leave
    assert comparison.groups == [] and comparison.unique == {"a": ["A1", "A2"], "b": ["B1"]}


def test_reported_statement_and_a_quote_of_the_same_person_stay_grouped() -> None:
    comparison, quotes = _grouped(
        "Der Verkehrsminister Jonas Ebert stellte am Montag den Plan vor. "
        "Er erklärte, die Bahn habe für die Strecke zusätzliche Mittel erhalten.",
        "„Die Bahn hat für die Strecke mehr Geld bekommen“, sagte Verkehrsminister Jonas Ebert.",
    )
    reported_speech = collect_reported(comparison)
    assert [r.speaker for r in reported_speech] == ["Jonas Ebert"]
    assert split_by_speaker(comparison, quotes, link_quotes(quotes), reported_speech) == 0
    assert comparison.groups[0].sentences == ["A2", "B1"]


def test_same_reported_words_given_to_two_people_stay_grouped() -> None:
    """An attribution conflict in reported speech: the checks must still see both sentences."""
    comparison, quotes = _grouped(
        "Laut Innenminister Henrik Bauer sei der Schaden höher als eine Million Euro.",
        "Laut Bürgermeisterin Anna Seidl sei der Schaden höher als eine Million Euro.",
    )
    reported_speech = collect_reported(comparison)
    assert [r.speaker for r in reported_speech] == ["Henrik Bauer", "Anna Seidl"]
    assert split_by_speaker(comparison, quotes, link_quotes(quotes), reported_speech) == 0
