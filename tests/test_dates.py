"""Tests for compare.facts.dates: forms per language, offsets, resolution, conflicts, seed dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from compare.facts.dates import DateFact, dates_conflict, extract_dates

ROOT = Path(__file__).resolve().parent.parent
SEED_000 = ROOT / "seeds" / "000_390fca3d3418ce8e.txt"
SEED_002 = ROOT / "seeds" / "002_888a840609f66060.txt"
BLINKEN_EN = ROOT / "tests" / "data" / "blinken_en.txt"
REF = dt.date(2023, 2, 28)  # a Tuesday


def dates(text: str, language: str | None, reference: dt.date | None = None) -> list[DateFact]:
    """extract_dates plus the invariants every result must satisfy."""
    out = extract_dates(text, language, reference)
    prev_end = 0
    for f in out:
        assert prev_end <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.kind in ("date", "weekday", "relative", "month", "year", "time")
        assert (f.weekday is not None) == (f.kind == "weekday") or f.kind == "date"
        if f.resolved:
            assert f.value is not None
        prev_end = f.end
    return out


def one(text: str, language: str | None, reference: dt.date | None = REF) -> DateFact:
    out = dates(text, language, reference)
    assert len(out) == 1, [f.text for f in out]
    return out[0]


# --------------------------------------------------------------------------- forms

FORMS = [
    # (language, sentence, expression as written, kind, value against REF, resolved)
    ("de", "Er wurde am 9. September 1988 geboren.", "am 9. September 1988", "date", "1988-09-09", False),
    ("de", "Er wurde 9.9.1988 geboren.", "9.9.1988", "date", "1988-09-09", False),
    ("de", "Das Gesetz gilt ab dem 1. März.", "ab dem 1. März", "date", "2023-03-01", True),
    ("de", "Am 1. März tritt es in Kraft.", "Am 1. März", "date", "2023-03-01", True),
    ("de", "Er kam am Dienstag, 28. Februar 2023 an.", "am Dienstag, 28. Februar 2023", "date", "2023-02-28", False),
    ("de", "Am Dienstag besuchte er Astana.", "Am Dienstag", "weekday", "2023-02-28", True),
    ("de", "Er reiste Dienstag ab.", "Dienstag", "weekday", "2023-02-28", True),
    ("de", "Er reiste am Donnerstagabend ab.", "am Donnerstagabend", "weekday", "2023-02-23", True),
    ("de", "Das war vergangene Woche.", "vergangene Woche", "relative", "2023-W08", True),
    ("de", "Das war letzte Woche.", "letzte Woche", "relative", "2023-W08", True),
    ("de", "Das kommt nächste Woche.", "nächste Woche", "relative", "2023-W10", True),
    ("de", "Er kam diese Woche.", "diese Woche", "relative", "2023-W09", True),
    ("de", "Er kam gestern.", "gestern", "relative", "2023-02-27", True),
    ("de", "Er kam vorgestern.", "vorgestern", "relative", "2023-02-26", True),
    ("de", "Er kommt heute.", "heute", "relative", "2023-02-28", True),
    ("de", "Er kommt morgen.", "morgen", "relative", "2023-03-01", True),
    ("de", "Er reiste letztes Jahr nach Moskau.", "letztes Jahr", "relative", "2022", True),
    ("de", "Die Unruhen im vergangenen Jahr.", "im vergangenen Jahr", "relative", "2022", True),
    ("de", "Das war vor zwei Wochen.", "vor zwei Wochen", "relative", "2023-W07", True),
    ("de", "Rahmon sorgte im Oktober für Aufsehen.", "im Oktober", "month", "2022-10", True),
    ("de", "Das war im Oktober 2021.", "im Oktober 2021", "month", "2021-10", False),
    ("de", "Das war Ende Februar.", "Ende Februar", "month", "2023-02", True),
    ("de", "Das war im Jahr 2021.", "im Jahr 2021", "year", "2021", False),
    ("de", "Der Krieg, den Biden 2021 beendete.", "2021", "year", "2021", False),
    ("de", "Das gilt seit 1850.", "seit 1850", "year", "1850", False),
    ("de", "Das Treffen beginnt um 14 Uhr.", "um 14 Uhr", "time", "14:00", False),
    ("de", "Das Treffen beginnt 14.30 Uhr.", "14.30 Uhr", "time", "14:30", False),
    ("en", "He was born on September 9, 1988.", "on September 9, 1988", "date", "1988-09-09", False),
    ("en", "He was born 9 September 1988.", "9 September 1988", "date", "1988-09-09", False),
    ("en", "The law applies from March 1.", "March 1", "date", "2023-03-01", True),
    ("en", "It starts on the 1st of March.", "on the 1st of March", "date", "2023-03-01", True),
    ("en", "They met on Tuesday.", "on Tuesday", "weekday", "2023-02-28", True),
    ("en", "They met last Thursday.", "last Thursday", "weekday", "2023-02-23", True),
    ("en", "They met last week.", "last week", "relative", "2023-W08", True),
    ("en", "They met last year.", "last year", "relative", "2022", True),
    ("en", "They met yesterday.", "yesterday", "relative", "2023-02-27", True),
    ("en", "They meet this week.", "this week", "relative", "2023-W09", True),
    ("en", "They met three days ago.", "three days ago", "relative", "2023-02-25", True),
    ("en", "It happened in October.", "in October", "month", "2022-10", True),
    ("en", "It has been so since 2014.", "since 2014", "year", "2014", False),
    ("en", "They meet at 2 p.m.", "at 2 p.m.", "time", "14:00", False),
    ("fr", "Il est né le 9 septembre 1988.", "le 9 septembre 1988", "date", "1988-09-09", False),
    ("fr", "La loi s'applique le 1er mars.", "le 1er mars", "date", "2023-03-01", True),
    ("fr", "Ils se sont vus mardi.", "mardi", "weekday", "2023-02-28", True),
    ("fr", "Ils se sont vus jeudi dernier.", "jeudi dernier", "weekday", "2023-02-23", True),
    ("fr", "Ils se sont vus la semaine dernière.", "la semaine dernière", "relative", "2023-W08", True),
    ("fr", "Ils se sont vus l'année dernière.", "l'année dernière", "relative", "2022", True),
    ("fr", "Ils se sont vus hier.", "hier", "relative", "2023-02-27", True),
    ("fr", "Ils se voient cette semaine.", "cette semaine", "relative", "2023-W09", True),
    ("fr", "Cela s'est passé en octobre.", "en octobre", "month", "2022-10", True),
    ("fr", "Cela dure depuis 2014.", "depuis 2014", "year", "2014", False),
    ("fr", "La réunion commence à 14h30.", "à 14h30", "time", "14:30", False),
]


@pytest.mark.parametrize("language,sentence,expr,kind,value,resolved", FORMS)
def test_forms_with_reference(language: str, sentence: str, expr: str, kind: str, value: str, resolved: bool) -> None:
    f = one(sentence, language)
    assert (f.text, f.kind, f.value, f.resolved) == (expr, kind, value, resolved)


@pytest.mark.parametrize("language,sentence,expr,kind,value,resolved", FORMS)
def test_forms_without_reference(language: str, sentence: str, expr: str, kind: str, value: str,
                                 resolved: bool) -> None:
    """Without a reference only written-out values survive; the expression is kept as written."""
    f = one(sentence, language, reference=None)
    assert (f.text, f.kind) == (expr, kind)
    assert f.resolved is False
    assert f.value == (None if resolved else value)


@pytest.mark.parametrize("language,sentence,weekday", [
    ("de", "Am Dienstag kam er.", 1), ("en", "on Sunday evening", 6), ("fr", "jeudi", 3)])
def test_weekday_number_without_reference(language: str, sentence: str, weekday: int) -> None:
    f = one(sentence, language, reference=None)
    assert f.kind == "weekday" and f.weekday == weekday and f.value is None


def test_partial_day_and_month_without_reference() -> None:
    assert one("Am 1. März tritt es in Kraft.", "de", None).partial == "--03-01"
    assert one("Rahmon sorgte im Oktober für Aufsehen.", "de", None).partial == "--10"
    assert one("Er wurde am 9. September 1988 geboren.", "de", None).partial is None


# --------------------------------------------------------------------------- resolution rules


def test_weekday_past_is_on_or_before_reference() -> None:
    assert one("Am Dienstag besuchte er Astana.", "de").value == "2023-02-28"  # the reference day itself
    assert one("Am Donnerstag stimmte die Versammlung ab.", "de").value == "2023-02-23"
    assert one("Am Mittwoch flog er weiter.", "de").value == "2023-02-22"


def test_weekday_future_tense_is_on_or_after_reference() -> None:
    assert one("Er wird am Donnerstag nach Delhi reisen.", "de").value == "2023-03-02"
    assert one("He will travel to Delhi on Thursday.", "en").value == "2023-03-02"
    assert one("Il rencontrera le ministre jeudi.", "fr").value == "2023-03-02"
    assert one("Er wird am Dienstag sprechen.", "de").value == "2023-02-28"  # on or after: the same day


def test_weekday_modifiers_are_strict() -> None:
    assert one("Am vergangenen Dienstag kam er.", "de").value == "2023-02-21"
    assert one("Am kommenden Dienstag kommt er.", "de").value == "2023-03-07"
    assert one("He arrives next Tuesday.", "en").value == "2023-03-07"
    assert one("Il arrive lundi prochain.", "fr").value == "2023-03-06"


def test_day_without_year_takes_nearest_occurrence() -> None:
    assert one("Am 30. Dezember kam er.", "de", dt.date(2023, 1, 5)).value == "2022-12-30"
    assert one("Am 3. Januar kommt er.", "de", dt.date(2022, 12, 28)).value == "2023-01-03"


def test_reference_accepts_datetime() -> None:
    assert one("Er kam gestern.", "de", dt.datetime(2023, 2, 28, 23, 59)).value == "2023-02-27"


def test_relative_week_and_year_boundaries() -> None:
    assert one("vergangene Woche", "de", dt.date(2023, 1, 2)).value == "2022-W52"
    assert one("letztes Jahr", "de", dt.date(2023, 1, 1)).value == "2022"
    assert one("last month", "en", dt.date(2023, 1, 15)).value == "2022-12"


# --------------------------------------------------------------------------- what is not a date


@pytest.mark.parametrize("language,sentence", [
    ("de", "2000 Soldaten kamen."),
    ("de", "Er zahlte 2000 Euro."),
    ("de", "Es waren 41,5 Millionen US-Dollar."),
    ("de", "Im 21. Jahrhundert wird alles anders."),
    ("de", "mit den Stimmen von 141 Staaten"),
    ("de", "Ich bin hier."),  # German "hier" means "here"
    ("de", "Am Morgen war es kalt."),  # "Morgen" is the morning
    ("de", "Gerade in den letzten Jahren haben wir Erfolge erzielt."),  # a vague plural period
    ("de", "Er arbeitet dienstags."),  # habitual
    ("de", "Einen Monat vor dem Einmarsch rief er Truppen."),  # relative to an event, not the article
    ("en", "May I ask a question?"),  # a bare "May" is no month
    ("en", "They work Tuesdays."),
    ("en", "He sent 2000 troops."),
    ("en", "The COVID-2019 wave."),
    ("fr", "Il a payé 2000 euros."),
])
def test_not_dates(language: str, sentence: str) -> None:
    assert dates(sentence, language, REF) == []


def test_french_hier_is_yesterday_only_in_french() -> None:
    assert one("Il est arrivé hier.", "fr").value == "2023-02-27"
    assert dates("Er ist hier.", "de", REF) == []


def test_language_guess() -> None:
    assert one("Der Minister kam am Dienstag und die Reise war lang.", None).value == "2023-02-28"
    assert one("The minister came yesterday and the trip was long.", None).value == "2023-02-27"
    assert one("Le ministre est arrivé hier et le voyage était long.", None).value == "2023-02-27"


def test_empty() -> None:
    assert dates("", "de", REF) == []


# --------------------------------------------------------------------------- conflicts


def fact(text: str, language: str, reference: dt.date | None = REF) -> DateFact:
    return one(text, language, reference)


def test_conflict_weekdays() -> None:
    assert dates_conflict(fact("am Dienstag", "de"), fact("am Mittwoch", "de")) is True
    assert dates_conflict(fact("am Dienstag", "de", None), fact("am Mittwoch", "de", None)) is True
    assert dates_conflict(fact("am Dienstag", "de", None), fact("on Tuesday", "en", None)) is False
    assert dates_conflict(fact("am Dienstag", "de"), fact("on Tuesday", "en")) is False


def test_conflict_relative_unresolved_is_unknown() -> None:
    a, b = fact("vergangene Woche", "de", None), fact("am Donnerstag", "de", None)
    assert dates_conflict(a, b) is None
    assert dates_conflict(fact("gestern", "de", None), fact("heute", "de", None)) is None


def test_conflict_resolved_containment() -> None:
    week, thursday = fact("vergangene Woche", "de"), fact("am Donnerstag", "de")
    assert (week.value, thursday.value) == ("2023-W08", "2023-02-23")
    assert dates_conflict(week, thursday) is False
    assert dates_conflict(fact("diese Woche", "de"), thursday) is True
    assert dates_conflict(fact("im Februar 2023", "de"), fact("am 28. Februar 2023", "de")) is False
    assert dates_conflict(fact("im März 2023", "de"), fact("am 28. Februar 2023", "de")) is True
    assert dates_conflict(fact("letztes Jahr", "de"), fact("im Jahr 2022", "de")) is False
    assert dates_conflict(fact("letztes Jahr", "de"), fact("in 2021", "en")) is True


def test_conflict_partial_overlap_is_unknown() -> None:
    week = fact("diese Woche", "de", dt.date(2023, 3, 1))  # 2023-W09: Feb 27 - Mar 5
    assert dates_conflict(week, fact("im Februar 2023", "de")) is None


def test_conflict_absolute_dates() -> None:
    assert dates_conflict(fact("9. September 1988", "de"), fact("September 9, 1988", "en")) is False
    assert dates_conflict(fact("9. September 1988", "de"), fact("9 septembre 1989", "fr")) is True
    assert dates_conflict(fact("am 1. März", "de", None), fact("March 2", "en", None)) is True
    assert dates_conflict(fact("am 1. März", "de", None), fact("le 1er mars", "fr", None)) is False
    assert dates_conflict(fact("am 1. März", "de", None), fact("im März 2023", "de")) is False


def test_conflict_weekday_vs_day() -> None:
    tuesday = fact("am Dienstag", "de", None)
    assert dates_conflict(tuesday, fact("28. Februar 2023", "de")) is False  # a Tuesday
    assert dates_conflict(tuesday, fact("1. März 2023", "de")) is True  # a Wednesday
    assert dates_conflict(tuesday, fact("im März 2023", "de")) is None


def test_conflict_times() -> None:
    assert dates_conflict(fact("um 14 Uhr", "de"), fact("at 2 p.m.", "en")) is False
    assert dates_conflict(fact("um 14 Uhr", "de"), fact("à 15h", "fr")) is True
    assert dates_conflict(fact("um 14 Uhr", "de"), fact("am Dienstag", "de")) is None


# --------------------------------------------------------------------------- seeds


def test_seed_000_dates() -> None:
    text = SEED_000.read_text(encoding="utf-8")
    got = [(f.text, f.kind, f.value) for f in dates(text, "de", dt.date(2023, 3, 1))]
    assert got == [
        ("diese Woche", "relative", "2023-W09"),
        ("Am Dienstag", "weekday", "2023-02-28"),
        ("am Mittwoch", "weekday", "2023-03-01"),
        ("vergangene Woche", "relative", "2023-W08"),
        ("am Dienstag", "weekday", "2023-02-28"),
    ]


def test_seed_002_dates() -> None:
    text = SEED_002.read_text(encoding="utf-8")
    got = [(f.text, f.kind, f.value) for f in dates(text, "de", dt.date(2023, 2, 27))]
    assert got == [
        ("am Dienstag", "weekday", "2023-02-28"),  # "wird … am Dienstag … Gespräche führen": future
        ("am Donnerstag", "weekday", "2023-02-23"),
        ("letztes Jahr", "relative", "2022"),
        ("im Oktober", "month", "2022-10"),
        ("im vergangenen Jahr", "relative", "2022"),
        ("2021", "year", "2021"),
        ("2020", "year", "2020"),
    ]


def test_blinken_en_dates() -> None:
    text = BLINKEN_EN.read_text(encoding="utf-8")
    got = [(f.text, f.value) for f in dates(text, "en", dt.date(2023, 2, 28))]
    assert got == [("on Tuesday", "2023-02-28"), ("last week", "2023-W08"), ("on Sunday evening", "2023-02-26")]


def test_seeds_agree_across_articles() -> None:
    """The two seeds date the UN vote and Blinken's Astana visit consistently."""
    a = dates(SEED_000.read_text(encoding="utf-8"), "de", dt.date(2023, 3, 1))
    b = dates(SEED_002.read_text(encoding="utf-8"), "de", dt.date(2023, 2, 27))
    vote_a = next(f for f in a if f.text == "vergangene Woche")
    vote_b = next(f for f in b if f.text == "am Donnerstag")
    assert dates_conflict(vote_a, vote_b) is False
    visit_a = next(f for f in a if f.text == "Am Dienstag")
    visit_b = next(f for f in b if f.text == "am Dienstag")
    assert dates_conflict(visit_a, visit_b) is False
    assert dates_conflict(visit_a, vote_b) is True
