"""Tests for compare.facts.entities: gold precision/recall per kind, keys, same_entity, offsets, speed.

Measured numbers (mention-level, exact spans; "other" is never scored):

* eval/seeds_entities_gold.json (the two seeds + blinken_en; the extractor was developed on
  these texts, so these are development-set numbers): person, place, organisation and
  role all P = R = 1.0 (47 person, 115 place, 12 organisation, 25 role mentions).
* HELDOUT below, first run before any tuning on it (the honest estimate):
  set 1 (politics, de/en/fr): person P/R 0.92/0.92, place 1.0/1.0, organisation 0.89/0.80,
  role 1.0/0.64; set 2 (Kyrgyzstan, de/en/fr): person 0.86/0.86, place 0.94/1.0,
  organisation 0.50/0.20, role 1.0/0.75; set 3 (business, de/en/fr): person 0.88/0.88,
  place 0.85/0.69, organisation 1.0/0.25, role 0.33/0.17.  After fixing the general gaps
  they exposed, all three sets score 1.0 - they are regression data now, not a blind test.

The thresholds below sit a little under the measured values, so one new miss in a later
change is allowed on the larger kinds but person recall on the gold must stay 1.0.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

import pytest

from compare.facts.entities import Entity, entity_key, extract_entities, same_entity

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "seeds_entities_gold.json"
SCORED = ("person", "place", "organisation")
THRESHOLDS = {  # kind: (min precision, min recall) on the seed gold
    "person": (0.95, 1.0),
    "place": (0.95, 0.95),
    "organisation": (0.9, 0.9),
    "role": (0.9, 0.9),
}


def entities(text: str, language: str | None) -> list[Entity]:
    """extract_entities plus the invariants every result must satisfy."""
    out = extract_entities(text, language)
    prev_end = 0
    for e in out:
        assert prev_end <= e.start < e.end <= len(text), e
        assert text[e.start : e.end] == e.text
        assert e.kind in ("person", "place", "organisation", "role", "other")
        assert e.key and e.key == e.key.lower()
        assert e.role_of is None or e.kind == "role"
        prev_end = e.end
    return out


# --------------------------------------------------------------------------- gold scoring

Mention = tuple[int, int, str, str | None]  # start, end, kind, person (roles)


def locate(text: str, items: list[dict]) -> list[Mention]:
    """Gold mentions as spans: longest surface first, whole words, contexts pin one occurrence."""
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for item in sorted(items, key=lambda it: -len(it["text"])):
        if item.get("context"):
            c = text.index(item["context"])
            s = c + item["context"].index(item["text"])
            spans = [(s, s + len(item["text"]))]
        else:
            spans = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(item["text"]) + r"(?!\w)", text)]
        found = False
        for s, e in spans:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append((s, e, item["kind"], item.get("person")))
            found = True
        assert found, f"gold entry not in its text: {item}"
    return out


def score(gold: list[Mention], pred: list[Entity], counts: dict[str, list[int]]) -> None:
    """Add (true positives, predicted, gold) per kind to counts."""
    for kind in SCORED:
        g = {(s, e) for s, e, k, _ in gold if k == kind}
        p = {(x.start, x.end) for x in pred if x.kind == kind}
        c = counts.setdefault(kind, [0, 0, 0])
        c[0] += len(g & p)
        c[1] += len(p)
        c[2] += len(g)
    roles = {(s, e): person for s, e, k, person in gold if k == "role"}
    resolved = {(x.start, x.end): x.role_of for x in pred if x.kind == "role" and x.role_of}
    c = counts.setdefault("role", [0, 0, 0])
    c[0] += sum(1 for span, who in resolved.items() if span in roles and same_entity(who, roles[span]))
    c[1] += len(resolved)
    c[2] += len(roles)


def prf(counts: dict[str, list[int]]) -> dict[str, tuple[float, float]]:
    return {k: (tp / p if p else 1.0, tp / g if g else 1.0) for k, (tp, p, g) in counts.items()}


def language_of(article: str) -> str:
    return "en" if article.endswith("_en.txt") else "de"


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold_scores(gold: dict) -> dict[str, tuple[float, float]]:
    counts: dict[str, list[int]] = {}
    for article in gold["articles"]:
        text = (ROOT / article).read_text(encoding="utf-8")
        items = [e for e in gold["entities"] if e["article"] == article]
        score(locate(text, items), entities(text, language_of(article)), counts)
    return prf(counts)


def test_gold_file_is_consistent(gold: dict) -> None:
    kinds = {"person", "place", "organisation", "role", "other"}
    for article in gold["articles"]:
        text = (ROOT / article).read_text(encoding="utf-8")
        items = [e for e in gold["entities"] if e["article"] == article]
        assert items, article
        persons = [e["text"] for e in items if e["kind"] == "person"]
        for e in items:
            assert e["kind"] in kinds, e
            if e["kind"] == "role":
                assert e["person"] in persons, e  # a role points at a person listed for the article
        assert locate(text, items)


@pytest.mark.parametrize("kind", list(THRESHOLDS))
def test_gold_precision_recall(gold_scores: dict[str, tuple[float, float]], kind: str) -> None:
    precision, recall = gold_scores[kind]
    min_p, min_r = THRESHOLDS[kind]
    assert precision >= min_p, (kind, precision)
    assert recall >= min_r, (kind, recall)


def test_scorer_counts_misses() -> None:
    """The scorer itself: a wrong kind, a wrong span and a wrong person all count against."""
    text = "Präsident Tokajew traf Antony Blinken in Astana."
    gold = locate(text, [{"text": "Tokajew", "kind": "person"}, {"text": "Antony Blinken", "kind": "person"},
                         {"text": "Astana", "kind": "place"},
                         {"text": "Präsident", "kind": "role", "person": "Tokajew", "context": "Präsident Tokajew"}])
    pred = [Entity(0, 9, "Präsident", "role", "prasident", "Antony Blinken"),
            Entity(10, 17, "Tokajew", "place", "tokayev"),
            Entity(23, 29, "Antony", "person", "antony")]
    counts: dict[str, list[int]] = {}
    score(gold, pred, counts)
    assert prf(counts)["person"] == (0.0, 0.0)
    assert prf(counts)["place"] == (0.0, 0.0)
    assert prf(counts)["role"] == (0.0, 0.0)


# --------------------------------------------------------------------------- held-out texts

HELDOUT = [
    {"lang": "de", "text": (
        "Bundeskanzler Olaf Scholz hat am Montag in Berlin den französischen Präsidenten Emmanuel Macron empfangen. "
        "Die beiden sprachen im Kanzleramt über die Lage in der Ukraine und die Energiepreise. Macron sagte "
        "anschließend, Frankreich und Deutschland stünden fest an der Seite Kiews. Am Abend reiste der Staatschef "
        "nach Brüssel weiter, wo die EU-Kommission einen neuen Gipfel vorbereitet. Nach Angaben der "
        "Nachrichtenagentur Reuters will auch Polens Regierungschef Mateusz Morawiecki an dem Treffen teilnehmen. "
        "Der Energiekonzern Uniper meldete unterdessen einen Verlust von 40 Milliarden Euro."),
     "person": ["Olaf Scholz", "Emmanuel Macron", "Macron", "Mateusz Morawiecki"],
     "place": ["Berlin", "Ukraine", "Frankreich", "Deutschland", "Kiews", "Brüssel", "Polens"],
     "organisation": ["EU-Kommission", "Reuters", "Uniper"], "other": ["Kanzleramt"],
     "role": [("Bundeskanzler", "Olaf Scholz"), ("Präsidenten", "Emmanuel Macron"),
              ("Staatschef", "Emmanuel Macron"), ("Regierungschef", "Mateusz Morawiecki")]},
    {"lang": "en", "text": (
        "BERLIN – German Chancellor Olaf Scholz hosted French President Emmanuel Macron in Berlin on Monday. "
        "The two leaders discussed the war in Ukraine and energy prices, a spokesman for the Chancellery said. "
        "Macron told reporters that France and Germany stood firmly behind Kyiv. The French president later "
        "travelled to Brussels, where the European Commission is preparing a summit. According to Reuters, Polish "
        "Prime Minister Mateusz Morawiecki will also attend. Energy company Uniper reported a loss of 40 billion "
        "euros, and analysts at Deutsche Bank expect more losses."),
     "person": ["Olaf Scholz", "Emmanuel Macron", "Macron", "Mateusz Morawiecki"],
     "place": ["BERLIN", "Berlin", "Ukraine", "France", "Germany", "Kyiv", "Brussels"],
     "organisation": ["European Commission", "Reuters", "Uniper", "Deutsche Bank"], "other": ["Chancellery"],
     "role": [("Chancellor", "Olaf Scholz"), ("President", "Emmanuel Macron"), ("president", "Emmanuel Macron"),
              ("Prime Minister", "Mateusz Morawiecki")]},
    {"lang": "fr", "text": (
        "Le président français Emmanuel Macron a reçu lundi à Paris le chancelier allemand Olaf Scholz. Les deux "
        "dirigeants ont évoqué la guerre en Ukraine et la situation à Kiev. Selon l'Agence France-Presse, le "
        "Premier ministre polonais Mateusz Morawiecki participera aussi au sommet de Bruxelles, organisé par la "
        "Commission européenne. Scholz a ensuite rencontré des représentants du groupe TotalEnergies."),
     "person": ["Emmanuel Macron", "Olaf Scholz", "Mateusz Morawiecki", "Scholz"],
     "place": ["Paris", "Ukraine", "Kiev", "Bruxelles"],
     "organisation": ["Agence France-Presse", "Commission européenne", "TotalEnergies"], "other": [],
     "role": [("président", "Emmanuel Macron"), ("chancelier", "Olaf Scholz"),
              ("Premier ministre", "Mateusz Morawiecki")]},
    {"lang": "de", "text": (
        "Der kirgisische Präsident Sadyr Dschaparow hat in Bischkek eine Delegation des Internationalen "
        "Währungsfonds empfangen. Nach einem Bericht der Zeitung „Wetschernij Bischkek“ ging es um neue Kredite. "
        "Dschaparow betonte, sein Land wolle die Zusammenarbeit mit Brüssel und Washington ausbauen. Zuvor hatte "
        "Außenminister Dschenbek Kulubajew in Moskau mit seinem russischen Kollegen Sergej Lawrow gesprochen. Die "
        "Eurasische Entwicklungsbank mit Sitz in Almaty stellte weitere 200 Millionen Dollar in Aussicht. Kritik "
        "kam von der Organisation Human Rights Watch, deren Expertin Syinat Sultanalijewa die Pressefreiheit in "
        "Kirgistan bemängelte."),
     "person": ["Sadyr Dschaparow", "Dschaparow", "Dschenbek Kulubajew", "Sergej Lawrow", "Syinat Sultanalijewa"],
     "place": ["Bischkek", "Brüssel", "Washington", "Moskau", "Almaty", "Kirgistan"],
     "organisation": ["Internationalen Währungsfonds", "Wetschernij Bischkek", "Eurasische Entwicklungsbank",
                      "Human Rights Watch"], "other": [],
     "role": [("Präsident", "Sadyr Dschaparow"), ("Außenminister", "Dschenbek Kulubajew"),
              ("Expertin", "Syinat Sultanalijewa")]},
    {"lang": "en", "text": (
        "Kyrgyz President Sadyr Japarov met a delegation from the International Monetary Fund in Bishkek on "
        "Wednesday, the presidential press service said. Japarov said his country wanted closer ties with Brussels "
        "and Washington. Earlier, Foreign Minister Jeenbek Kulubaev held talks in Moscow with his Russian "
        "counterpart Sergei Lavrov. The Eurasian Development Bank, based in Almaty, pledged another $200 million. "
        "Human Rights Watch criticised the government, and its researcher Syinat Sultanalieva said press freedom "
        "in Kyrgyzstan was declining."),
     "person": ["Sadyr Japarov", "Japarov", "Jeenbek Kulubaev", "Sergei Lavrov", "Syinat Sultanalieva"],
     "place": ["Bishkek", "Brussels", "Washington", "Moscow", "Almaty", "Kyrgyzstan"],
     "organisation": ["International Monetary Fund", "Eurasian Development Bank", "Human Rights Watch"],
     "other": [],
     "role": [("President", "Sadyr Japarov"), ("Foreign Minister", "Jeenbek Kulubaev"),
              ("researcher", "Syinat Sultanalieva")]},
    {"lang": "fr", "text": (
        "Le président kirghiz Sadyr Japarov a reçu mercredi à Bichkek une délégation du Fonds monétaire "
        "international. Japarov a affirmé que son pays souhaitait renforcer ses liens avec Bruxelles et Washington. "
        "Auparavant, le chef de la diplomatie Jeenbek Kouloubaïev s'était entretenu à Moscou avec Sergueï Lavrov. "
        "La Banque eurasienne de développement, basée à Almaty, a promis 200 millions de dollars. L'ONG Human "
        "Rights Watch a critiqué le gouvernement kirghiz."),
     "person": ["Sadyr Japarov", "Japarov", "Jeenbek Kouloubaïev", "Sergueï Lavrov"],
     "place": ["Bichkek", "Bruxelles", "Washington", "Moscou", "Almaty"],
     "organisation": ["Fonds monétaire international", "Banque eurasienne de développement", "Human Rights Watch"],
     "other": [],
     "role": [("président", "Sadyr Japarov"), ("chef de la diplomatie", "Jeenbek Kouloubaïev")]},
    {"lang": "de", "text": (
        "Siemens Energy hat am Donnerstag einen Großauftrag aus Saudi-Arabien erhalten. Konzernchef Christian Bruch "
        "sprach in München von einem „historischen Tag“. Die Aktie legte an der Frankfurter Börse um sieben Prozent "
        "zu. Analysten der Deutschen Bank rechnen mit weiteren Aufträgen aus dem Nahen Osten. Auch der Wettbewerber "
        "General Electric bewirbt sich um Projekte in Riad. Bundeswirtschaftsminister Robert Habeck begrüßte den "
        "Auftrag; Habeck sagte, die Energiewende schaffe Arbeitsplätze in Bayern und Niedersachsen."),
     "person": ["Christian Bruch", "Robert Habeck", "Habeck"],
     "place": ["Saudi-Arabien", "München", "Nahen Osten", "Riad", "Bayern", "Niedersachsen"],
     "organisation": ["Siemens Energy", "Frankfurter Börse", "Deutschen Bank", "General Electric"], "other": [],
     "role": [("Konzernchef", "Christian Bruch"), ("Bundeswirtschaftsminister", "Robert Habeck")]},
    {"lang": "en", "text": (
        "Siemens Energy won a major order from Saudi Arabia on Thursday, chief executive Christian Bruch told "
        "reporters in Munich. Shares rose seven percent on the Frankfurt Stock Exchange. Analysts at Deutsche Bank "
        "expect more orders from the Middle East, where rival General Electric is also bidding for projects in "
        "Riyadh. German Economy Minister Robert Habeck welcomed the deal. Habeck said the energy transition was "
        "creating jobs in Bavaria and Lower Saxony."),
     "person": ["Christian Bruch", "Robert Habeck", "Habeck"],
     "place": ["Saudi Arabia", "Munich", "Middle East", "Riyadh", "Bavaria", "Lower Saxony"],
     "organisation": ["Siemens Energy", "Frankfurt Stock Exchange", "Deutsche Bank", "General Electric"],
     "other": [],
     "role": [("chief executive", "Christian Bruch"), ("Economy Minister", "Robert Habeck")]},
    {"lang": "fr", "text": (
        "Siemens Energy a décroché jeudi une importante commande en Arabie saoudite, a indiqué son patron "
        "Christian Bruch à Munich. L'action a gagné 7 % à la Bourse de Francfort. Selon les analystes de Deutsche "
        "Bank, d'autres contrats pourraient suivre au Moyen-Orient, où le concurrent General Electric vise des "
        "projets à Riyad. Le ministre allemand de l'Économie Robert Habeck a salué cet accord."),
     "person": ["Christian Bruch", "Robert Habeck"],
     "place": ["Arabie saoudite", "Munich", "Moyen-Orient", "Riyad"],
     "organisation": ["Siemens Energy", "Bourse de Francfort", "Deutsche Bank", "General Electric"], "other": [],
     "role": [("patron", "Christian Bruch"), ("ministre", "Robert Habeck")]},
]


def heldout_items(case: dict) -> list[dict]:
    items = [{"text": t, "kind": k} for k in ("person", "place", "organisation", "other") for t in case[k]]
    return items + [{"text": t, "kind": "role", "person": p} for t, p in case["role"]]


def test_heldout_precision_recall() -> None:
    counts: dict[str, list[int]] = {}
    for case in HELDOUT:
        score(locate(case["text"], heldout_items(case)), entities(case["text"], case["lang"]), counts)
    for kind, (precision, recall) in prf(counts).items():
        assert precision >= 0.9 and recall >= 0.9, (kind, precision, recall)


# --------------------------------------------------------------------------- behaviour on the seeds


def seed(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_short_mentions_share_the_full_name_key() -> None:
    ents = entities(seed("seeds/002_888a840609f66060.txt"), "de")
    full = next(e for e in ents if e.text == "Kassym-Schomart Tokajew")
    assert full.kind == "person" and full.key == "tokayev"
    assert {e.key for e in ents if e.text == "Tokajew"} == {"tokayev"}
    assert {e.key for e in ents if e.text in ("Blinken", "Blinkens", "Antony Blinken")} == {"blinken"}
    english = entities(seed("tests/data/blinken_en.txt"), "en")
    assert {e.key for e in english if "Tokayev" in e.text} == {"tokayev"}


def test_roles_resolve_to_persons() -> None:
    text = seed("seeds/000_390fca3d3418ce8e.txt")
    ents = entities(text, "de")
    by_pos = {e.start: e for e in ents if e.kind == "role"}
    so_der = text.index("so der US-Außenminister") + len("so der ")
    assert by_pos[so_der].role_of == "Antony Blinken"
    kein = text.index("kein US-Außenminister") + len("kein ")
    assert by_pos[kein].role_of is None  # a negated role refers to nobody
    staatschef = text.index("der Staatschef") + len("der ")
    assert by_pos[staatschef].role_of == "Tokajew"
    genitive = text.index("Treffen der Außenminister") + len("Treffen der ")
    assert by_pos[genitive].role_of is None  # plural genitive attribute


def test_pompeo_apposition_across_relative_clause() -> None:
    text = seed("seeds/002_888a840609f66060.txt")
    start = text.index("Der letzte Außenminister") + len("Der letzte ")
    role = next(e for e in entities(text, "de") if e.start == start)
    assert (role.kind, role.role_of) == ("role", "Mike Pompeo")


def test_demonyms_and_adjectives_are_not_entities() -> None:
    texts = [(seed("seeds/000_390fca3d3418ce8e.txt"), "de"), (seed("seeds/002_888a840609f66060.txt"), "de"),
             (seed("tests/data/blinken_en.txt"), "en")]
    words = {"kasachische", "kasachischen", "amerikanische", "russischen", "Russen", "Zentralasiaten", "Russian",
             "Central Asian", "Asian", "Englisch", "Westen", "West"}
    for text, lang in texts:
        assert not words & {e.text for e in entities(text, lang)}


def test_astana_fc_is_an_organisation_not_the_city() -> None:
    ents = entities(seed("tests/data/blinken_en.txt"), "en")
    assert ("Astana FC", "organisation") in {(e.text, e.kind) for e in ents}
    assert [e.kind for e in ents if e.text == "Astana"] == ["place"]


def test_acronym_shares_the_key_of_its_expansion() -> None:
    ents = entities(seed("seeds/000_390fca3d3418ce8e.txt"), "de")
    keys = {e.text: e.key for e in ents if e.kind == "organisation"}
    assert keys["CPC"] == keys["Caspian Pipeline Consortium"]
    assert keys["US-Außenministeriums"] == keys["State Department"]


def test_dateline_is_a_place() -> None:
    ents = entities(seed("seeds/002_888a840609f66060.txt"), "de")
    assert (ents[0].text, ents[0].kind, ents[0].key) == ("WASHINGTON", "place", entity_key("Washington"))


def test_language_none_is_guessed() -> None:
    text = seed("seeds/000_390fca3d3418ce8e.txt")
    assert [(e.start, e.kind) for e in entities(text, None)] == [(e.start, e.kind) for e in entities(text, "de")]


def test_small_inputs() -> None:
    assert entities("", "de") == []
    assert entities("und die der", "de") == []
    assert [(e.text, e.kind) for e in entities("Us and them", "en")] == []  # "Us" is no country


def test_name_particles() -> None:
    ents = entities("Kommissionschefin Ursula von der Leyen traf in Paris Charles de Gaulle.", "de")
    assert [(e.text, e.kind) for e in ents] == [
        ("Ursula von der Leyen", "person"), ("Paris", "place"), ("Charles de Gaulle", "person")]
    ents = entities("Mardi, Bruno Le Maire a parlé avec Marine Le Pen et le maire de Paris.", "fr")
    assert [(e.text, e.kind) for e in ents] == [
        ("Bruno Le Maire", "person"), ("Marine Le Pen", "person"), ("maire", "role"), ("Paris", "place")]


def test_speed_after_warm_up() -> None:
    texts = [seed("seeds/000_390fca3d3418ce8e.txt"), seed("seeds/002_888a840609f66060.txt")]
    for text in texts:
        extract_entities(text, "de")
    for text in texts:
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            extract_entities(text, "de")
            runs.append(time.perf_counter() - t0)
        assert statistics.median(runs) < 0.1, runs


# --------------------------------------------------------------------------- keys and same_entity


@pytest.mark.parametrize("a,b", [
    ("Tokajew", "Tokayev"), ("Tleuberdi", "Tileuberdi"), ("Murtazaschwili", "Murtazashvili"),
    ("Taschkent", "Tashkent"), ("Tachkent", "Tashkent"), ("Moskau", "Moscow"), ("Moscou", "Moskau"),
    ("Peking", "Beijing"), ("Pékin", "Beijing"), ("Neu-Delhi", "New Delhi"), ("Kasachstan", "Kazakhstan"),
    ("Usbekistan", "Uzbekistan"), ("Vereinigte Staaten", "USA"), ("US", "United States"),
    ("États-Unis", "Vereinigte Staaten"), ("Tadschikistan", "Tajikistan"), ("Riad", "Riyadh"),
    ("Kassym-Schomart Tokajew", "Tokayev"), ("Kassym-Schomart Tokajew", "Kassym-Jomart Tokayev"),
    ("Wolodymyr Selenskyj", "Volodymyr Zelenskyy"), ("Lawrow", "Lavrov"),
    ("UN-Vollversammlung", "UN General Assembly"), ("US-Außenministerium", "State Department"),
])
def test_same_entity_true(a: str, b: str) -> None:
    assert same_entity(a, b) and same_entity(b, a)


@pytest.mark.parametrize("a,b", [
    ("Tokajew", "Tleuberdi"), ("Astana", "Almaty"), ("Blinken", "Pompeo"), ("Austria", "Australia"),
    ("Kasachstan", "Usbekistan"), ("Antony Blinken", "Donald Lu"), ("Russland", "Weißrussland"),
    ("Iran", "Irak"), ("Lu", "Li"), ("Chevron", "Transneft"), ("", "Blinken"),
])
def test_same_entity_false(a: str, b: str) -> None:
    assert not same_entity(a, b) and not same_entity(b, a)


def test_entity_key_folding() -> None:
    assert entity_key("Tokajew") == entity_key("Tokayev") == "tokayev"
    assert entity_key("Murtazaschwili") == "murtazashvili"
    assert entity_key("Kassym-Schomart Tokajew", "person") == "tokayev"
    assert entity_key("Antony Blinken") == "blinken"  # a known first name makes it a person
    assert entity_key("Moskau") == entity_key("Moscow") == entity_key("Moscou")
    assert entity_key("Straße") == "strase"  # ß -> ss, then repeated letters collapse
    assert entity_key("Ḱöln-Süd", "other") == entity_key("Koln Sud", "other")
    assert entity_key("") == ""
