"""Named entities in news text (German, English, French) without a statistical NER model.

Outlets covering one event name the same people, places and organisations in different
spellings and languages ("Tokajew"/"Tokayev", "Taschkent"/"Tashkent", "UN-Vollversammlung"/
"UN General Assembly").  No German NER model is available offline, so `extract_entities`
combines lexicons with capitalisation and word-frequency evidence, and `entity_key` /
`same_entity` make spellings from different languages meet.

Extraction passes (a token belongs to at most one entity; earlier passes win)
---------------------------------------------------------------------------
1. Datelines: an all-caps word opening a line before a dash ("ASTANA –") -> place.
2. Codes: letters glued to digits ("G20", "C5+1", the "G20" of "G20-Außenministertreffen")
   -> other.
3. Organisation keywords: a keyword that ends a name (Consortium, Endowment, University,
   Universität, Université, Institute, Foundation, Stiftung, Bank, Group, Corporation, Inc.,
   Ltd, AG, GmbH, Council, Commission, Ministry, Department, Party, FC, Club, ...) with the
   capitalised words before it, and "of/for/für/de/du/des" + capitalised words after it
   ("Carnegie Endowment for International Peace", "University of Pittsburgh", "Astana FC").
   A keyword alone ("die Bank") is no name.
4. Gazetteer (longest match, German -s/-es/-n/-en endings stripped: "Kasachstans",
   "Vereinigten Staaten", "Niederlanden"): countries from pycountry in en/de/fr (name, common
   and official names, and their translations); a built-in list of cities, regions and exonyms
   (Astana, Taschkent/Tashkent/Tachkent, Neu-Delhi/New Delhi, Moskau/Moscow, Peking/Beijing/
   Pékin, Zentralasien/Central Asia, ...); the German Länder and US states; and the cities of
   the time-zone database with Babel's German/French names (Riad/Riyad, Bischkek/Bichkek),
   less island/Antarctic zones and names that are ordinary words or first names -> place.
   Known organisations (UN, NATO, EU, UN-Generalversammlung/UN General Assembly, State
   Department/US-Außenministerium, Kreml, Gazprom, Transneft, Chevron, ...) -> organisation.
   Aliases of two or three letters ("US", "UK", "EU") match only in capitals, and a word the
   alias capitalises must be capitalised in the text.
4b. Adjective names: in German a capitalised adjective inside a sentence only occurs in names,
   so "Eurasische Entwicklungsbank", "Internationalen Währungsfonds", "Frankfurter Börse"
   (adjective + a noun ending in -bank/-fonds/-börse/-union/-partei/...) -> organisation; in
   French a capitalised organisation noun followed by lower-case adjectives and "de" phrases
   ("Fonds monétaire international", "Banque eurasienne de développement", "Bourse de
   Francfort") -> organisation.
5. Roles (de/en/fr role words: Präsident, Staatschef, Außenminister, Außenamtschef,
   Staatssekretär, Kanzler, Minister, Diplomat, Beamter, Experte, Secretary of State, foreign
   minister, President, top diplomat, ministre, président, ...), with a hyphen qualifier in the
   word ("US-Außenminister") or a written "US"/"U.S." before an English role.
6. Persons: a role directly followed by capitalised name words ("Präsident Kassym-Schomart
   Tokajew", "Staatssekretär Lu"); a known first name (a small multilingual list) followed by
   capitalised name words ("Antony Blinken", "Jennifer Brick Murtazaschwili"); a courtesy
   title (Mr, Frau, M., ...) followed by a name; a well-known surname from a short list
   ("Putin", "Selenskyj").
7. Organisations after a trigger noun: "US-Konzern Chevron", "Staatsunternehmen „Transneft“",
   "energy company X", "la société X"; a quoted title after the trigger is one name even when
   it contains a city ("Zeitung „Wetschernij Bischkek“"); in English/French a capitalised
   trigger inside a sentence is part of the name ("Agence France-Presse").
8. Acronyms in capitals (2-6 letters, not a place, not a Roman numeral) -> organisation; an
   acronym equal to the initials of an organisation in the same text ("Caspian Pipeline
   Consortium (CPC)") shares its key.
9. Reported speech: a rare capitalised word right before a speech verb ("Lu verwies",
   "Murtazaschwili sagte") or after "so"/"laut"/"said"/"according to" -> person.
10. Propagation: later (and earlier) mentions of a person's last name, also in the German
   genitive ("Blinkens") or English possessive, and of organisation names found by rule 3/7/8
   -> the same kind and key ("Tokajew" merges with "Kassym-Schomart Tokajew").
11. Anything else name-like -> other: in English/French a capitalised word inside a sentence
   (or a rare one opening it); in German (where every noun is capitalised) a word that is rare
   (wordfreq zipf < 3), is no compound of common German words, has no noun suffix (-ung,
   -heit, -keit, -schaft, -tion, ...) and does not derive from a place name ("Zentralasiaten").
   Demonyms and adjectives are never entities ("kasachisch", "amerikanische" are lower case;
   "Central Asian", "Russian" are skipped, with the capitalised words before them).

Roles are resolved to a person (`role_of`, the longest form of that person's name in the
article) when the person follows directly ("Außenminister Antony Blinken"), stands in an
apposition ("der US-Staatssekretär für Süd- und Zentralasien, Donald Lu," / "Donald Lu, der
führende US-Diplomat"), or - for a singular role after a definite determiner ("der
Staatschef", "so der US-Außenminister", "dem Beamten", "the president", "America's top
diplomat") - when a person was linked to the same role class (or a more specific class of a
generic role: a "Diplomat" may be the foreign minister) with a compatible country qualifier;
the most recent such person before the mention wins, else the first after it.  Plurals
("Außenministern", "foreign ministers"), "kein/ein/a" roles and German genitive attributes
("Treffen der Außenminister") stay unresolved.

Keys
----
`entity_key` lower-cases, strips accents and folds transliterations so that German, English
and French spellings meet: ß -> ss, umlauts -> base letters, "-"/apostrophes removed,
dsch -> j, tsch -> ch, sch -> sh, kh -> ch, j -> y, w -> v (everywhere: both sides of a
comparison are folded alike, so "Washington" -> "vashington" costs nothing), "ij"/"iy"/"yy"
-> "y", ph -> f, ck -> k, an initial s before a vowel -> z (German "Selenskyj" = "Zelensky"),
repeated letters collapsed.  A known place or organisation alias becomes its canonical English
name first ("Moskau" -> key of "Moscow"), and a person's key is the last name only.
`same_entity` is: equal keys, or rapidfuzz ratio >= 85 on the keys - unless both are known
aliases of different canonical entities ("Austria"/"Australia").
"""

from __future__ import annotations

import gettext
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from compare.facts.lexicon import lexicon, lexicon_languages
from compare.facts.names import ROLE_FAMILIES, fold_accents, multi_roles, name_key, role_class

logger = logging.getLogger(__name__)

__all__ = ["Entity", "extract_entities", "entity_key", "same_entity", "KINDS", "SAME_ENTITY_MIN_RATIO"]

KINDS = ("person", "place", "organisation", "role", "other")
SAME_ENTITY_MIN_RATIO = 85.0
_LANGS = ("de", "en", "fr")
COMMON_ZIPF = 3.0  # a German capitalised word at least this frequent is a common noun
NAME_AFTER_ROLE_MAX_ZIPF = 4.5  # a word after a role up to this frequency may be a name
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class Entity:
    """One entity mention; ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    kind: str  # person, place, organisation, role, other
    key: str  # normalised match key (persons: last name; known places/orgs: canonical name)
    role_of: str | None = None  # for roles: the person it refers to, as named in the article


# --------------------------------------------------------------------------- lexicons

_STOP: dict[str, frozenset[str]] = {lang: frozenset(lexicon("name_stop_words", lang)) for lang in _LANGS}
# Capitalised words that are never (part of) a name.
_CAP_STOP = frozenset(
    """i west east north south western eastern northern southern mr mrs ms dr prof sir
    herr frau m mme mlle monsieur madame""".split()
)
_TITLES = frozenset("mr mrs ms dr prof sir herr frau m mme mlle monsieur madame".split())

_FIRST_NAMES = frozenset(
    """aaron abdullah adam adrian ahmed alain alan albert alejandro aleksandr alex alexander
    alexandra alexei alexej ali alice alina alisher amir amy ana andrea andreas andrei andrej
    andrew andrzej angela angelika anna annalena anne annegret anthony antonio antony anton
    armin arnold arseni arsenij ashraf askar baerbock barack ben benjamin bernard bernd bill
    boris brian bruno carl carlos caroline catherine charles charlotte chris christian
    christine christoph christopher claudia daniel david dieter dmitri dmitrij dmitry donald
    doris elena elisabeth elizabeth emmanuel emomali emma erdogan eric erik ernst eva fabian
    felix florian francois françois frank frans franz friedrich gabriel georg george gerhard
    giorgia gordon gregor günter hans hassan heiko heinrich helmut henry hillary horst hu igor
    ilham ivan jacinda jack jacques jake james jan janet javier jean jeanne jennifer jens jerome
    jim joachim joe johann johannes john jonathan jose josé josef joseph juan julia julian
    jurij justin kai kamala karin karl kassym kassym-jomart kassym-schomart katarina katrin
    keir kevin kim klaus kristalina kurt lars laura leon li linda lisa lloyd lothar louis lukas
    luis manfred marco margaret maria marie marine mark markus martin mary matthias max maxim
    michael michel mike mikhail michail mohammed muhammad mukhtar muchtar nancy narendra nicolas
    nikolai nikolaus nursultan olaf olena oleksandr oleksij olga oliver omar pascal patrick
    paul pedro peter petro philipp pierre rainer ralf recep richard rishi robert roman rudolf
    sadyr sahra samantha sarah sebastian serdar sergei sergej sergey serhij shavkat schawkat
    sigmar simon sophie stefan steffen stephan steven susanne sven thomas tim tobias tony
    ulrich ursula uwe valentina vladimir viktor volker volodymyr walter werner wladimir
    wolfgang wolodymyr xi yulia yuri zhanna""".split()
)
# Well-known surnames that appear without a first name.
_FAMOUS = frozenset(
    """putin biden trump obama merkel scholz macron selenskyj selenski zelensky zelenskyy
    erdogan erdoğan lawrow lavrov blinken tokajew tokayev tokaïev nasarbajew nazarbayev
    mirsijojew mirziyoyev lukaschenko lukashenko loukachenko stoltenberg guterres modi
    netanjahu netanyahu orban orbán meloni sunak baerbock habeck lindner pistorius kuleba
    schoigu shoigu peskow peskov xi pompeo kishida jinping rahmon""".split()
)

# A capitalised word before a speech verb (any language's, compare/data/*/speech_verbs.txt) is a name.
_SPEECH_VERBS = frozenset(w for code in lexicon_languages("speech_verbs") for w in lexicon("speech_verbs", code))
_ARTICLES = frozenset("the a an der die das dem den des ein eine le la les l un une".split())
_SPEECH_BEFORE = frozenset({"so", "laut", "sagte", "said", "selon", "according"})

_MULTI_ROLES = multi_roles(elided=False)  # this tokenizer drops French elision marks
_DEFINITE = {
    "de": frozenset({"der", "dem", "des", "den", "die", "zum", "vom", "beim", "dieser", "diesem", "dieses"}),
    "en": frozenset({"the", "his", "her", "its", "their", "this"}),
    "fr": frozenset({"le", "la", "l", "du", "au", "ce", "cette"}),
}
_ADJ_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("amerikan", "United States"), ("us", "United States"), ("u.s", "United States"),
    ("americ", "United States"), ("améric", "United States"), ("kasach", "Kazakhstan"),
    ("kazakh", "Kazakhstan"), ("russ", "Russia"), ("ukrain", "Ukraine"), ("usbek", "Uzbekistan"),
    ("uzbek", "Uzbekistan"), ("ouzbek", "Uzbekistan"), ("tadschik", "Tajikistan"),
    ("tajik", "Tajikistan"), ("kirgis", "Kyrgyzstan"), ("kyrgyz", "Kyrgyzstan"),
    ("turkmen", "Turkmenistan"), ("chines", "China"), ("chinois", "China"), ("deutsch", "Germany"),
    ("german", "Germany"), ("allemand", "Germany"), ("französ", "France"), ("french", "France"),
    ("français", "France"), ("brit", "United Kingdom"),
)

_ORG_SUFFIXES = frozenset(
    """consortium endowment university universität université universitat institute institut
    foundation stiftung bank group corporation corp inc ltd llc plc gmbh company council
    agency agentur organisation organization committee komitee ministry ministerium department
    party partei fc club verband commission kommission parliament parlament assembly court
    tribunal office airlines airways motors holdings petroleum times post herald journal
    gazette fund fonds college school schule network watch forum monitor international exchange
    börse energy electric systems technologies pharma capital partners media telecom
    banque cour conseil organisation agence union parlement office institut fondation comité
    parti ministère assemblée commission""".split()
)
# French organisation names continue with lower-case adjectives and "de" phrases.
_FR_ORG_HEADS = frozenset(
    """fonds banque cour conseil organisation agence union parlement office institut fondation comité
    parti ministère assemblée commission société caisse bourse""".split()
)
_FR_ORG_ADJ_ENDINGS = ("al", "ale", "aux", "el", "elle", "ien", "ienne", "éen", "éenne", "aire", "ique",
                       "ial", "iale", "in", "ine", "ais", "aise", "ois", "oise", "and", "ande", "ain", "aine",
                       "if", "ive", "eux", "euse", "ial", "iaux")
# German organisation heads: a capitalised adjective + a compound ending in one of these.
_DE_ORG_HEADS = ("bank", "börse", "fonds", "union", "partei", "organisation", "stiftung", "kommission", "rat",
                 "gericht", "agentur", "gesellschaft", "verband", "bund", "institut", "zentrum", "komitee",
                 "amt", "ministerium", "konzern", "zeitung", "universität", "hochschule", "akademie",
                 "versammlung", "allianz", "front", "bewegung", "liga")
_DE_ADJ_ENDINGS = ("ische", "ischen", "ischer", "isches", "ale", "alen", "aler", "ales", "ige", "igen",
                   "iger", "ene", "enen", "te", "ten", "ter", "che", "chen", "cher")
# Acronyms that name a kind of thing, not one organisation.
_GENERIC_ACRONYMS = frozenset(
    """NGO ONG NRO CEO PDG GDP BIP PIB TV PR IT KI AI USB PDF SMS FAQ CO2 PS MP EVP UAV LNG LPG VIP""".split()
)
_ORG_CASED_SUFFIXES = frozenset({"AG", "SE", "SA", "GmbH", "KG", "NV", "AB", "ASA", "Inc", "Ltd", "PLC"})
_ORG_CONNECTORS = frozenset({"of", "for", "für", "de", "du", "des", "d", "la", "and", "&", "on"})
_ORG_TRIGGERS = frozenset(
    """konzern unternehmen staatsunternehmen firma gesellschaft staatskonzern energiekonzern
    ölkonzern gaskonzern zeitung nachrichtenagentur agentur sender partei
    company firm giant newspaper agency société entreprise groupe compagnie journal agence""".split()
)
_ORG_HEADS = (
    "versammlung", "sicherheitsrat", "kommission", "parlament", "ministeri", "regierung", "rat",
    "behörde", "gericht", "botschaft", "mission", "agentur",
)
_ORG_ACRONYM_PREFIXES = frozenset({"UN", "UNO", "EU", "NATO", "Nato", "OSZE", "IWF", "WHO", "OPEC", "Opec"})
_NOUN_SUFFIXES = (
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen",
    "ität", "itäten", "ismus", "nis", "nisse", "tum", "ling", "chen", "sion", "sionen", "ik", "ur",
    "anz", "enz", "ei", "eien", "ierung", "isten", "ist",
)
_ROMAN = re.compile(r"^(?=[MDCLXVI]+$)M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")

# Cities, regions and exonyms: canonical English name -> other spellings.
_PLACES: dict[str, tuple[str, ...]] = {
    "Astana": ("Nur-Sultan", "Nursultan"),
    "Almaty": ("Alma-Ata",),
    "Tashkent": ("Taschkent", "Tachkent"),
    "New Delhi": ("Neu-Delhi",),
    "Delhi": (),
    "Washington": ("Washington D.C.",),
    "Moscow": ("Moskau", "Moscou"),
    "Beijing": ("Peking", "Pékin"),
    "Kyiv": ("Kiew", "Kiev", "Kyjiw", "Kiev"),
    "Warsaw": ("Warschau", "Varsovie"),
    "Vienna": ("Wien", "Vienne"),
    "Rome": ("Rom",),
    "Brussels": ("Brüssel", "Bruxelles"),
    "London": ("Londres",),
    "Paris": (),
    "Berlin": (),
    "Geneva": ("Genf", "Genève"),
    "Munich": ("München",),
    "Cologne": ("Köln",),
    "Hamburg": ("Hambourg",),
    "Frankfurt": ("Francfort",),
    "Prague": ("Prag",),
    "Athens": ("Athen", "Athènes"),
    "Lisbon": ("Lissabon", "Lisbonne"),
    "Copenhagen": ("Kopenhagen", "Copenhague"),
    "Stockholm": (),
    "Oslo": (),
    "Helsinki": (),
    "Madrid": (),
    "Budapest": (),
    "Bucharest": ("Bukarest", "Bucarest"),
    "Istanbul": (),
    "Ankara": (),
    "Tehran": ("Teheran", "Téhéran"),
    "Baghdad": ("Bagdad",),
    "Damascus": ("Damaskus", "Damas"),
    "Cairo": ("Kairo", "Le Caire"),
    "Jerusalem": ("Jérusalem",),
    "Tel Aviv": (),
    "Bishkek": ("Bischkek", "Bichkek"),
    "Dushanbe": ("Duschanbe", "Douchanbé"),
    "Ashgabat": ("Aschgabat", "Achgabat"),
    "Samarkand": ("Samarcande",),
    "Minsk": (),
    "Tbilisi": ("Tiflis",),
    "Yerevan": ("Eriwan", "Erevan"),
    "Baku": ("Bakou",),
    "Tokyo": ("Tokio",),
    "Seoul": ("Séoul",),
    "Pyongyang": ("Pjöngjang",),
    "Mumbai": ("Bombay",),
    "Islamabad": (),
    "Kabul": ("Kaboul",),
    "New York": (),
    "Los Angeles": (),
    "Chicago": (),
    "Pittsburgh": (),
    "Shanghai": ("Schanghai",),
    "Hong Kong": ("Hongkong",),
    "Taipei": ("Taipeh",),
    "The Hague": ("Den Haag", "La Haye"),
    "Strasbourg": ("Straßburg",),
    "Mariupol": ("Marioupol",),
    "Kharkiv": ("Charkiw", "Kharkov", "Charkow"),
    "Odesa": ("Odessa",),
    "Kherson": ("Cherson",),
    "Donetsk": ("Donezk",),
    "Luhansk": ("Lugansk",),
    "Bakhmut": ("Bachmut",),
    "Saint Petersburg": ("Sankt Petersburg", "St. Petersburg", "Saint-Pétersbourg"),
    "Xinjiang": ("Sinkiang",),
    "Tibet": (),
    "Crimea": ("Krim", "Crimée"),
    "Donbas": ("Donbass",),
    "Central Asia": ("Zentralasien", "Asie centrale"),
    "Europe": ("Europa",),
    "Asia": ("Asien", "Asie"),
    "Africa": ("Afrika", "Afrique"),
    "Middle East": ("Nahost", "Naher Osten", "Nahen Osten", "Moyen-Orient", "Proche-Orient"),
    "Soviet Union": ("Sowjetunion", "Union soviétique", "UdSSR", "USSR", "URSS"),
    "Caucasus": ("Kaukasus", "Caucase"),
    "Siberia": ("Sibirien", "Sibérie"),
    "Balkans": ("Balkan",),
    "Gaza": ("Gazastreifen", "Gaza Strip", "bande de Gaza"),
    "West Bank": ("Westjordanland", "Cisjordanie"),
    "Kosovo": (),
    "Bavaria": ("Bayern", "Bavière"),
    "California": ("Kalifornien", "Californie"),
    "Texas": (),
    "Scandinavia": ("Skandinavien", "Scandinavie"),
    "Caspian Sea": ("Kaspisches Meer", "mer Caspienne"),
}
# German states (not in pycountry's translations): English name -> German/French names.
_REGIONS: dict[str, tuple[str, ...]] = {
    "Baden-Württemberg": (), "Bavaria": ("Bayern", "Bavière"), "Berlin": (), "Brandenburg": ("Brandebourg",),
    "Bremen": ("Brême",), "Hamburg": ("Hambourg",), "Hesse": ("Hessen",), "Lower Saxony": ("Niedersachsen", "Basse-Saxe"),
    "Mecklenburg-Vorpommern": ("Mecklembourg-Poméranie-Occidentale",), "North Rhine-Westphalia":
    ("Nordrhein-Westfalen", "Rhénanie-du-Nord-Westphalie"), "Rhineland-Palatinate": ("Rheinland-Pfalz", "Rhénanie-Palatinat"),
    "Saarland": ("Sarre",), "Saxony": ("Sachsen", "Saxe"), "Saxony-Anhalt": ("Sachsen-Anhalt", "Saxe-Anhalt"),
    "Schleswig-Holstein": (), "Thuringia": ("Thüringen", "Thuringe"),
}
# Time-zone cities that are also ordinary words or first names, and zone areas of islands/stations.
_CITY_BLACKLIST = frozenset(
    """Sofia Santiago Cayenne Phoenix Regina Resolute Jersey Guernsey Victoria Adelaide Sydney Darwin Perth
    Lindeman Eucla Currie Oral Chita Center Bahia Nome Dawson Creston Boise Sitka Juneau Man Faroe""".split()
)
_SKIPPED_ZONE_AREAS = ("Antarctica/", "Etc/", "Pacific/", "Indian/", "Atlantic/", "Arctic/", "America/Indiana/",
                       "America/Kentucky/", "America/North_Dakota/", "America/Argentina/", "SystemV/", "US/")
# Country short forms and exonyms pycountry lacks: alpha-3 -> names.
_COUNTRY_EXTRA: dict[str, tuple[str, ...]] = {
    "USA": ("USA", "US", "U.S.", "U.S.A.", "Vereinigte Staaten", "United States", "Amerika", "America",
            "Amérique", "États-Unis", "Etats-Unis"),
    "RUS": ("Russland", "Russia", "Russie"),
    "GBR": ("Großbritannien", "Grossbritannien", "Britain", "Great Britain", "UK", "Grande-Bretagne",
            "Vereinigtes Königreich", "Royaume-Uni", "England", "Angleterre"),
    "IRN": ("Iran",), "SYR": ("Syrien", "Syria", "Syrie"), "KOR": ("Südkorea", "South Korea", "Corée du Sud"),
    "PRK": ("Nordkorea", "North Korea", "Corée du Nord"), "TUR": ("Türkei", "Turkey", "Turquie", "Türkiye"),
    "CZE": ("Tschechien", "Czech Republic", "Czechia", "Tchéquie"), "MDA": ("Moldau", "Moldawien", "Moldova", "Moldavie"),
    "VNM": ("Vietnam",), "LAO": ("Laos",), "BOL": ("Bolivien", "Bolivia", "Bolivie"),
    "VEN": ("Venezuela",), "TZA": ("Tansania", "Tanzania", "Tanzanie"), "TWN": ("Taiwan",),
    "PSE": ("Palästina", "Palestine"), "VAT": ("Vatikan", "Vatican"), "COD": ("Kongo", "Congo"),
    "NLD": ("Niederlande", "Netherlands", "Pays-Bas", "Holland", "Hollande"),
    "BLR": ("Weißrussland", "Belarus", "Biélorussie", "Bélarus"),
    "KGZ": ("Kirgistan", "Kirgisistan", "Kirgisien", "Kyrgyzstan", "Kirghizistan"),
    "TJK": ("Tadschikistan", "Tajikistan", "Tadjikistan"), "TKM": ("Turkmenistan", "Turkménistan"),
    "UZB": ("Usbekistan", "Uzbekistan", "Ouzbékistan"), "KAZ": ("Kasachstan", "Kazakhstan"),
    "CHN": ("China", "Chine", "Volksrepublik China"), "DEU": ("Deutschland", "Germany", "Allemagne"),
    "FRA": ("Frankreich", "France"), "IND": ("Indien", "India", "Inde"), "UKR": ("Ukraine",),
}
_COUNTRY_CANONICAL = {"USA": "United States", "RUS": "Russia", "GBR": "United Kingdom", "IRN": "Iran",
                      "SYR": "Syria", "KOR": "South Korea", "PRK": "North Korea", "TUR": "Turkey",
                      "CZE": "Czechia", "MDA": "Moldova", "VNM": "Vietnam", "BOL": "Bolivia",
                      "VEN": "Venezuela", "TZA": "Tanzania", "TWN": "Taiwan", "PSE": "Palestine",
                      "VAT": "Vatican", "COD": "DR Congo", "LAO": "Laos"}
# Known organisations: canonical English name -> other names.
_ORGS: dict[str, tuple[str, ...]] = {
    "United Nations": ("UN", "UNO", "Vereinte Nationen", "Vereinten Nationen", "Nations unies", "ONU", "U.N."),
    "UN General Assembly": ("UN-Generalversammlung", "UN-Vollversammlung", "UNO-Generalversammlung",
                            "UNO-Vollversammlung", "General Assembly", "Generalversammlung der Vereinten Nationen",
                            "Assemblée générale", "U.N. General Assembly"),
    "UN Security Council": ("UN-Sicherheitsrat", "UNO-Sicherheitsrat", "Security Council", "Sicherheitsrat",
                            "Conseil de sécurité"),
    "NATO": ("Nato", "OTAN"),
    "European Union": ("EU", "Europäische Union", "Europäischen Union", "Union européenne", "UE"),
    "European Commission": ("EU-Kommission", "Europäische Kommission", "Europäischen Kommission",
                            "Commission européenne"),
    "OSCE": ("OSZE", "OSCE"),
    "IMF": ("IWF", "FMI", "International Monetary Fund", "Internationaler Währungsfonds"),
    "World Bank": ("Weltbank", "Banque mondiale"),
    "ECB": ("EZB", "BCE", "European Central Bank", "Europäische Zentralbank"),
    "WHO": ("World Health Organization", "Weltgesundheitsorganisation", "OMS"),
    "State Department": ("US State Department", "U.S. State Department", "US-Außenministerium",
                         "US-Aussenministerium", "Département d'État", "Department of State"),
    "Kremlin": ("Kreml",),
    "Élysée Palace": ("Élysée", "Elysée", "Elysee", "Élysée-Palast", "Elysée-Palast", "palais de l'Élysée"),
    "White House": ("Weißes Haus", "Weißen Haus", "Maison-Blanche", "Maison Blanche"),
    "Pentagon": (),
    "Bundestag": (),
    "Gazprom": (), "Rosneft": (), "Transneft": (), "Chevron": (), "ExxonMobil": ("Exxon",),
    "Reuters": (), "AFP": (), "dpa": (), "Associated Press": ("AP",), "BBC": (), "CNN": (),
    "G7": (), "Shanghai Cooperation Organisation": ("SCO", "SOZ", "Schanghaier Organisation für Zusammenarbeit"),
    "Collective Security Treaty Organization": ("CSTO", "OVKS"),
    "Eurasian Economic Union": ("EAEU", "EAWU", "Eurasische Wirtschaftsunion"),
}


@lru_cache(maxsize=None)
def _aliases() -> tuple[tuple[str, str, str], ...]:
    """Every known (alias, kind, canonical English name); earlier entries win on clashes."""
    names: list[tuple[str, str, str]] = []
    for canonical, aliases in _ORGS.items():
        names += [(n, "organisation", canonical) for n in (canonical, *aliases)]
    for canonical, aliases in _all_places().items():
        names += [(n, "place", canonical) for n in (canonical, *aliases)]
    for code, extra in _COUNTRY_EXTRA.items():
        canonical = _COUNTRY_CANONICAL.get(code) or _country_name(code)
        names += [(n, "place", canonical) for n in extra]
    for code, cnames in _pycountry_names().items():
        canonical = _COUNTRY_CANONICAL.get(code) or cnames[0]
        names += [(n, "place", canonical) for n in cnames]
    out = []
    for name, kind, canonical in names:
        name = re.sub(r"\s*\(.*?\)", "", name).split(",")[0].strip()  # "Iran, Islamic Republic of" -> "Iran"
        if name:
            out.append((name, kind, canonical))
    return tuple(out)


@lru_cache(maxsize=None)
def _alias_table() -> dict[str, tuple[str, str]]:
    """Raw key of every known place/organisation alias -> (kind, canonical English name)."""
    table: dict[str, tuple[str, str]] = {}
    for name, kind, canonical in _aliases():
        table.setdefault(name_key(name), (kind, canonical))
    return table


@lru_cache(maxsize=None)
def _all_places() -> dict[str, tuple[str, ...]]:
    """Cities and regions: the built-in list, German states, US states, Babel's time-zone cities."""
    out: dict[str, tuple[str, ...]] = {**_PLACES}
    for canonical, aliases in _REGIONS.items():
        out[canonical] = tuple(dict.fromkeys((*out.get(canonical, ()), *aliases)))
    for canonical, aliases in (*_us_states(), *_babel_cities()):
        if canonical not in out:
            out[canonical] = aliases
    return out


def _us_states() -> list[tuple[str, tuple[str, ...]]]:
    try:
        import pycountry
        subs = pycountry.subdivisions.get(country_code="US") or []
    except (ImportError, LookupError):  # pragma: no cover
        return []
    return [(sd.name, ()) for sd in subs if sd.type == "State" and sd.name.lower() not in _FIRST_NAMES
            and sd.name not in ("Georgia", "Washington")]


def _babel_cities() -> list[tuple[str, tuple[str, ...]]]:
    """(English name, (German, French names)) for the cities of the time-zone database."""
    try:
        from babel import Locale
        from babel.core import get_global
    except ImportError:  # pragma: no cover - Babel is a dependency
        return []
    zones = sorted(get_global("zone_territories"))
    locales = [Locale(lang).time_zones for lang in ("en", "de", "fr")]
    out = []
    for zone in zones:
        if zone.startswith(_SKIPPED_ZONE_AREAS) or "/" not in zone:
            continue
        default = zone.rsplit("/", 1)[1].replace("_", " ")
        names = [tz.get(zone, {}).get("city") or default for tz in locales]
        if names[0] in _CITY_BLACKLIST or default in _CITY_BLACKLIST or names[0].lower() in _FIRST_NAMES:
            continue
        out.append((names[0], tuple(n for n in dict.fromkeys(names[1:] + [default]) if n != names[0])))
    return out


def _country_name(code: str) -> str:
    names = _pycountry_names().get(code)
    return names[0] if names else code


@lru_cache(maxsize=None)
def _pycountry_names() -> dict[str, tuple[str, ...]]:
    """alpha-3 -> country names in en/de/fr (first: the English short name)."""
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency
        logger.warning("pycountry missing: only the built-in place list is used")
        return {}
    translators = []
    for lang in ("de", "fr"):
        try:
            translators.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext)
        except OSError:
            logger.warning("no %s country names in pycountry", lang)
    out: dict[str, tuple[str, ...]] = {}
    for c in pycountry.countries:
        en = [n for n in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)) if n]
        names = list(en)
        for tr in translators:
            names += [tr(n) for n in en]
        out[c.alpha_3] = tuple(dict.fromkeys(names))
    return out


@lru_cache(maxsize=None)
def _gazetteer() -> dict[tuple[str, ...], tuple[str, str, str]]:
    """Lower-case token tuple of every alias -> (kind, canonical name, alias as listed)."""
    gaz: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for name, kind, canonical in _aliases():
        toks = tuple(t.lower() for t in _word_strings(name))
        if toks:
            gaz.setdefault(toks, (kind, canonical, name))
    return gaz


@lru_cache(maxsize=None)
def _gaz_first_tokens() -> frozenset[str]:
    return frozenset(k[0] for k in _gazetteer())


@lru_cache(maxsize=None)
def _single_places() -> tuple[str, ...]:
    """Lower-case one-word place names of at least 4 letters (for derived-word checks)."""
    return tuple(k[0] for k, v in _gazetteer().items() if len(k) == 1 and v[0] == "place" and len(k[0]) >= 4
                 and "-" not in k[0])


_DEMONYMS = frozenset(
    """chinese japanese vietnamese lebanese portuguese sudanese taiwanese french british english
    dutch irish scottish welsh swiss greek thai german turkish polish danish swedish finnish
    spanish kazakh uzbek tajik kyrgyz turkmen afghan arab arabic israeli saudi iraqi pakistani
    bangladeshi yemeni omani qatari kuwaiti somali western eastern soviet""".split()
)


@lru_cache(maxsize=8192)
def _zipf(word: str, lang: str) -> float:
    return zipf_frequency(word, lang)


@lru_cache(maxsize=8192)
def _derived_from_place(low: str) -> bool:
    """'zentralasiaten', 'asian', 'kazakh', 'amerikaner': a word built on a place name, not the place."""
    if low in _DEMONYMS:
        return True
    for place in _single_places():
        if low == place:
            return False
        n = 0
        for a, b in zip(low, place):
            if a != b:
                break
            n += 1
        if n == len(place) and len(low) - n <= 4 and n >= 4:
            return True
        if n >= 5 and n >= 0.5 * len(place):
            return True  # "kirghiz" (Kirghizistan), "zentralasiaten" (Zentralasien)
    return False


@lru_cache(maxsize=8192)
def _compound_de(low: str) -> bool:
    """A German compound of common words ('förderpaket', 'pressebriefing', 'drahtseilakt').

    Some split must give a head and a prefix (optionally without a linking -s, or with -e/-en
    restored) that are both German words (zipf >= 2) and together frequent (sum >= 5.5); names
    such as "Transneft" or "Xinjiang" split into rare pieces.
    """
    low = low.split("-")[-1]
    for i in range(3, len(low) - 2):
        head, prefix = low[i:], low[:i]
        zh = _zipf(head, "de")
        if zh < 2.0 or (len(head) == 3 and zh < 3.5):
            continue
        for p in (prefix, prefix[:-1] if prefix.endswith("s") else None, prefix + "e", prefix + "en"):
            if p and len(p) >= 3:
                zp = _zipf(p, "de")
                if zp >= 2.0 and zp + zh >= 5.5:
                    return True
    return False


def _common(word: str, lang: str) -> bool:
    """Whether a capitalised word is an ordinary word of `lang` rather than part of a name."""
    low = word.lower()
    if low in _STOP[lang] or low in _CAP_STOP:
        return True
    last = low.split("-")[-1]
    if lang == "de":
        for form in {*_lemmas(last, "de"), *_lemmas(low, "de")}:
            if _zipf(form, "de") >= COMMON_ZIPF or form.endswith(_NOUN_SUFFIXES) or _compound_de(form):
                return True
        return _derived_from_place(low)
    return _zipf(low, lang) >= COMMON_ZIPF + 0.5 or _derived_from_place(low)


def _is_plural_role(low: str, lang: str) -> bool:
    word = low.split("-")[-1]
    if lang == "de":
        return word.endswith(("ern", "innen", "äre"))
    if lang == "en":
        return word.endswith("s") and not word.endswith("ss")
    return word.endswith(("s", "x"))


# --------------------------------------------------------------------------- tokens

_WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-‐+&]\w+)*")


def _word_strings(text: str) -> list[str]:
    return [m.group(0) for m in _WORD_RE.finditer(text)]


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    low: str
    cap: bool
    upper: bool
    initial: bool
    possessive: bool  # followed by 's / ’s
    gap_before: str  # the characters between the previous token and this one


_OPENING = set("„“”\"'‘’«»‚‹›([–—-")


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = 0
    for m in _WORD_RE.finditer(text):
        word, s, e = m.group(0), m.start(), m.end()
        k = s - 1
        while k >= 0 and (text[k] in " \t\u00a0" or text[k] in _OPENING):
            k -= 1
        initial = k < 0 or text[k] in ".!?:\n"
        possessive = bool(re.match(r"['’]s\b", text[e : e + 3]))
        first = word[0]
        toks.append(_Tok(
            text=word, start=s, end=e, low=word.lower(), cap=first.isupper(),
            upper=len(word) >= 2 and word.replace(".", "").replace("-", "").isupper(),
            initial=initial, possessive=possessive, gap_before=text[prev_end:s],
        ))
        prev_end = e
    return [t for i, t in enumerate(toks) if not (t.low == "s" and t.gap_before in ("'", "’") and i > 0)]


# --------------------------------------------------------------------------- spans


@dataclass
class _Span:
    i: int  # first token
    j: int  # one past the last token
    kind: str
    key: str
    start: int
    end: int
    canonical: str | None = None
    role_class: str | None = None
    qualifier: str | None = None  # canonical place name qualifying a role ("United States")
    role_of: str | None = None
    person_key: str | None = None  # key of the linked person, for roles
    via: str = ""  # which rule produced it (debugging)


@dataclass
class _Doc:
    text: str
    lang: str
    toks: list[_Tok]
    owner: list[int] = field(default_factory=list)
    spans: list[_Span] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.owner = [-1] * len(self.toks)

    def free(self, i: int, j: int) -> bool:
        return 0 <= i < j <= len(self.toks) and all(self.owner[k] < 0 for k in range(i, j))

    def claim(self, span: _Span) -> _Span:
        idx = len(self.spans)
        self.spans.append(span)
        for k in range(span.i, span.j):
            self.owner[k] = idx
        return span

    def drop(self, idx: int) -> None:
        """Withdraw a span (a later rule knows better); its tokens become free."""
        span = self.spans[idx]
        span.kind = "dropped"
        for k in range(span.i, span.j):
            self.owner[k] = -1

    def adjacent(self, i: int) -> bool:
        """Whether token i follows token i-1 with only spaces between (same phrase)."""
        return i > 0 and re.fullmatch(r"[ \t\u00a0]+", self.toks[i].gap_before) is not None

    def add(self, i: int, j: int, kind: str, key: str, via: str, **kw: object) -> _Span:
        start = kw.pop("start", self.toks[i].start)
        end = kw.pop("end", self.toks[j - 1].end)
        return self.claim(_Span(i=i, j=j, kind=kind, key=key, start=start, end=end, via=via, **kw))  # type: ignore[arg-type]


def _lemmas(low: str, lang: str) -> list[str]:
    """The word and its forms without German endings (genitive -s/-es, dative plural -n/-en).

    English and French need none: the possessive 's is split off by the tokenizer, and
    stripping would turn "Asian" into "Asia".
    """
    out = [low]
    if lang == "de" and len(low) > 4:
        for suf in ("s", "es", "n", "en"):
            if low.endswith(suf):
                out.append(low[: -len(suf)])
    return out


# --------------------------------------------------------------------------- passes


def _datelines(doc: _Doc) -> None:
    for i, t in enumerate(doc.toks):
        if not (t.upper and len(t.text) >= 3 and (i == 0 or "\n" in t.gap_before)):
            continue
        after = doc.text[t.end : t.end + 4]
        if not re.match(r"\s*[–—-]\s|\s*,", after):
            continue
        hit = _gazetteer().get((t.low,))
        canonical = hit[1] if hit else t.text.title()
        doc.add(i, i + 1, "place", entity_key(canonical), "dateline", canonical=canonical)


def _codes(doc: _Doc) -> None:
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0:
            continue
        head = re.split(r"-(?=[^\W\d_]{3})", t.text)[0]
        if re.search(r"\d", head) and re.search(r"[^\W\d_]", head) and head[0].isupper():
            if _gazetteer().get((head.lower(),)):
                continue
            doc.add(i, i + 1, "other", name_key(head).replace(" ", ""), "code", end=t.start + len(head))


def _is_org_suffix(t: _Tok) -> bool:
    return t.cap and (t.low in _ORG_SUFFIXES or t.text in _ORG_CASED_SUFFIXES)


def _name_word(t: _Tok, doc: _Doc) -> bool:
    """A capitalised word that may be part of a multi-word organisation name."""
    if not t.cap or t.low in _STOP[doc.lang] or t.low in _CAP_STOP:
        return False
    return not (t.initial and doc.lang != "de" and _zipf(t.low, doc.lang) >= COMMON_ZIPF + 1.5)


def _org_word(t: _Tok, lang: str = "en") -> bool:
    """A word that introduces an organisation name rather than being part of it ("Organisation", "NGO").

    German org nouns ("die Organisation Human Rights Watch") introduce; in English and French
    "International" or "University" are part of the name.
    """
    low = t.low.split("-")[-1]
    return low in _ORG_TRIGGERS or t.text in _GENERIC_ACRONYMS or (lang == "de" and low in _ORG_SUFFIXES)


def _opens_name(t: _Tok, doc: _Doc) -> bool:
    """Whether a sentence-initial capitalised word may open a multi-word name."""
    low = t.low
    return not (low in _STOP[doc.lang] or low in _CAP_STOP or _is_calendar_word(low) or low in _ARTICLES
                or role_class(low) or _org_word(t) or low.endswith("ly") or len(low) < 3)


def _org_keywords(doc: _Doc) -> None:
    toks = doc.toks
    for k, t in enumerate(toks):
        if doc.owner[k] >= 0 or not _is_org_suffix(t):
            continue
        i = k
        while i > 0 and k - i < 4 and doc.adjacent(i) and doc.owner[i - 1] < 0 and _name_word(toks[i - 1], doc) \
                and role_class(toks[i - 1].low) is None and not toks[i - 1].possessive \
                and not _org_word(toks[i - 1], doc.lang):
            prev = toks[i - 1]
            if doc.lang == "de" and (prev.low in _STOP["de"] or (
                    _common(prev.text, "de") and _zipf(prev.low, "en") < 1.0)):
                break  # "der Wettbewerber General Electric": a German noun is no part of the name
            i -= 1
            if toks[i].initial:
                break
        if doc.lang != "de" and k - i >= 1 and i > 0 and doc.adjacent(i) and doc.owner[i - 1] < 0 \
                and toks[i - 1].initial and toks[i - 1].cap and _opens_name(toks[i - 1], doc):
            i -= 1  # "Human Rights Watch criticised": a sentence-initial word of a longer name
        j = k + 1
        while j + 1 < len(toks) and doc.adjacent(j) and toks[j].low in _ORG_CONNECTORS and doc.adjacent(j + 1) \
                and toks[j + 1].cap and doc.owner[j + 1] < 0:
            j += 2
            while j < len(toks) and doc.adjacent(j) and toks[j].cap and doc.owner[j] < 0 \
                    and toks[j].low not in _STOP[doc.lang] and j - k < 8:
                j += 1
        if i == k and j == k + 1:
            continue  # a keyword alone ("die Bank", "the Ministry") is no name
        name = doc.text[toks[i].start : toks[j - 1].end]
        hit = _alias_table().get(name_key(name))
        canonical = hit[1] if hit else None
        doc.add(i, j, "organisation", entity_key(canonical or name), "org-keyword", canonical=canonical)


def _gazetteer_pass(doc: _Doc) -> None:
    gaz, firsts = _gazetteer(), _gaz_first_tokens()
    toks = doc.toks
    i = 0
    while i < len(toks):
        t = toks[i]
        if doc.owner[i] >= 0 or not (t.cap or t.text[:1].isdigit()):
            i += 1
            continue
        hit = None
        for n in range(min(6, len(toks) - i), 0, -1):
            if not doc.free(i, i + n) or any(not doc.adjacent(k) for k in range(i + 1, i + n)):
                continue
            hit = _gaz_lookup(toks[i : i + n], doc.lang, gaz, firsts)
            if hit:
                kind, canonical = hit
                doc.add(i, i + n, kind, entity_key(canonical), "gazetteer", canonical=canonical)
                i += n
                break
        if not hit:
            i += 1


def _gaz_lookup(toks: list[_Tok], lang: str, gaz: dict[tuple[str, ...], tuple[str, str, str]],
                firsts: frozenset[str]) -> tuple[str, str] | None:
    """(kind, canonical) when the tokens spell a gazetteer alias, allowing inflected endings."""
    if not any(v in firsts for v in _lemmas(toks[0].low, lang)):
        return None
    options = [_lemmas(t.low, lang) if k in (0, len(toks) - 1) else [t.low] for k, t in enumerate(toks)]
    for combo in _product(options):
        hit = gaz.get(combo)
        if hit is None:
            continue
        alias = hit[2]
        if len(alias.replace(".", "")) <= 3 and not "".join(t.text for t in toks).replace(".", "").isupper():
            continue  # "US", "UK", "EU" only in capitals ("Us" is no country)
        alias_words = _word_strings(alias)
        if len(alias_words) == len(toks) and any(a[:1].isupper() and not t.cap for a, t in zip(alias_words, toks)):
            continue  # a word the alias capitalises must be capitalised ("Commission européenne" is fine)
        return hit[0], hit[1]
    return None


def _product(options: list[list[str]]) -> Iterator[tuple[str, ...]]:
    if not options:
        yield ()
        return
    for head in options[0]:
        for rest in _product(options[1:]):
            yield (head, *rest)


def _hyphen_compounds(doc: _Doc) -> None:
    """'UN-Generalversammlung', 'US-Außenministeriums' -> organisation; 'NATO-Gipfel' -> NATO."""
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0 or "-" not in t.text:
            continue
        prefix, head = t.text.split("-", 1)
        head_low = head.lower()
        if prefix.isupper() and len(prefix) >= 2 and any(h in head_low for h in _ORG_HEADS) \
                and role_class(head_low) is None:
            canonical = _known_name(t.text, doc.lang, "organisation")
            doc.add(i, i + 1, "organisation", entity_key(canonical or t.text), "hyphen-org", canonical=canonical)
        elif prefix in _ORG_ACRONYM_PREFIXES and head[:1].isupper() and role_class(head_low) is None:
            hit = _alias_table().get(name_key(prefix))
            canonical = hit[1] if hit else prefix
            doc.add(i, i + 1, "organisation", entity_key(canonical), "org-prefix", canonical=canonical,
                    end=t.start + len(prefix))


def _known_name(text: str, lang: str, kind: str) -> str | None:
    """The canonical name of a known alias, trying the inflected last word's lemmas."""
    table = _alias_table()
    words = text.split(" ")
    for lemma in _lemmas(words[-1].lower(), lang):
        hit = table.get(name_key(" ".join([*words[:-1], lemma])))
        if hit and hit[0] == kind:
            return hit[1]
    return None


def _roles(doc: _Doc) -> None:
    toks = doc.toks
    lows = [t.low for t in toks]
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0:
            continue
        multi = _multi_role_at(lows, i, doc)
        if multi:
            n, cls = multi
            if not all(doc.adjacent(k) for k in range(i + 1, i + n)):
                multi = None
        if multi:
            j = i + n
            cls = multi[1]
        else:
            cls = role_class(t.low)
            if cls is None or not t.cap and doc.lang == "de":
                continue
            if i > 1 and _capitalised_particle(doc, i - 1):
                continue  # "Bruno Le Maire": a surname, not a mayor
            j = i + 1
        start_i = i
        qualifier = None
        if "-" in t.text:
            qualifier = _qualifier(t.text.split("-", 1)[0])
        if doc.lang == "en" and not multi and t.cap and t.low in ("minister", "secretary") and i > 0 \
                and doc.adjacent(i) and doc.owner[i - 1] < 0 and toks[i - 1].cap and not toks[i - 1].initial \
                and _qualifier(toks[i - 1].text) is None and toks[i - 1].low not in _STOP["en"]:
            start_i = i - 1  # "Economy Minister", "Defence Secretary"
            i = start_i
        if i > 0 and doc.adjacent(i) and toks[i - 1].upper and len(toks[i - 1].text) <= 4 \
                and _qualifier(toks[i - 1].text) and doc.lang != "de" and t.cap:
            prev = doc.owner[i - 1]
            if prev < 0 or (doc.spans[prev].kind == "place" and doc.spans[prev].j - doc.spans[prev].i == 1):
                if prev >= 0:
                    doc.drop(prev)
                start_i = i - 1  # "US Secretary of State", like "US-Außenminister"
                qualifier = _qualifier(toks[i - 1].text)
        text = doc.text[toks[start_i].start : toks[j - 1].end]
        doc.add(start_i, j, "role", name_key(text).replace(" ", ""), "role", role_class=cls,
                qualifier=qualifier)


def _multi_role_at(lows: list[str], i: int, doc: _Doc) -> tuple[int, str] | None:
    for words, cls in _MULTI_ROLES:
        n = len(words)
        if tuple(lows[i : i + n]) == words and doc.free(i, i + n):
            return n, cls
    return None


def _qualifier(word: str) -> str | None:
    """Canonical country of a qualifier word: 'US' -> United States, 'kasachische' -> Kazakhstan."""
    low = word.lower().rstrip(".")
    hit = _alias_table().get(name_key(word))
    if hit and hit[0] == "place":
        return hit[1]
    for stem, canonical in _ADJ_QUALIFIERS:
        if low.startswith(stem) and (len(stem) > 2 or low == stem):
            return canonical
    return None


def _name_tokens(doc: _Doc, i: int, after_role: bool) -> int:
    """How many tokens from i form a person name (0 when none)."""
    toks = doc.toks
    j = i
    while j < len(toks) and j - i < MAX_NAME_WORDS and doc.owner[j] < 0:
        t = toks[j]
        if j > i and not doc.adjacent(j):
            break
        if j > i and _particle(doc, j):
            j += 1  # "Ursula von der Leyen", "Charles de Gaulle"
            continue
        after_first = j > i and (toks[j - 1].low in _FIRST_NAMES or toks[j - 1].low.split("-")[0] in _FIRST_NAMES)
        after_particle = j > i and _particle_before(doc, j)
        if not after_particle and not _person_word(t, doc, first=(j == i), after_role=after_role,
                                                   after_first_name=after_first):
            break
        j += 1
        if t.possessive:
            break
    while j > i and not toks[j - 1].cap:
        j -= 1  # never end on a particle
    return j - i


def _particle_before(doc: _Doc, j: int) -> bool:
    """Whether token j follows a name particle (then even a role word is a surname: "Le Maire")."""
    return doc.toks[j].cap and (doc.toks[j - 1].low in _PARTICLES[doc.lang] or _capitalised_particle(doc, j - 1))


_PARTICLES = {"de": frozenset({"von", "van", "zu", "de", "da", "di", "del", "al"}),
              "en": frozenset({"van", "von", "de", "der", "al", "bin", "ibn", "da", "di", "del", "la", "le"}),
              "fr": frozenset({"de", "du", "la", "le", "d"})}


def _particle(doc: _Doc, j: int) -> bool:
    """A name particle at token j, followed by the rest of the name.

    Lower case ("von der Leyen", "de Gaulle"), or capitalised right after a first name
    ("Marine Le Pen", "Bruno Le Maire").
    """
    toks = doc.toks
    low = toks[j].low
    ok = low in _PARTICLES[doc.lang] or (doc.lang == "de" and low in ("der", "den") and toks[j - 1].low == "von")
    if toks[j].cap and not _capitalised_particle(doc, j):
        return False
    return ok and j + 1 < len(toks) and doc.adjacent(j + 1) and doc.owner[j + 1] < 0 \
        and (toks[j + 1].cap or toks[j + 1].low in ("der", "den"))


def _capitalised_particle(doc: _Doc, j: int) -> bool:
    """'Le' in "Bruno Le Maire": a capitalised particle between a first name and a capitalised word."""
    toks = doc.toks
    return toks[j].text in ("Le", "La", "De", "Du", "Da", "Di", "Van", "Von", "Al") and j > 0 \
        and doc.adjacent(j) and toks[j - 1].low in _FIRST_NAMES and j + 1 < len(toks) \
        and doc.adjacent(j + 1) and toks[j + 1].cap


def _person_word(t: _Tok, doc: _Doc, first: bool, after_role: bool, after_first_name: bool = False) -> bool:
    if not t.cap or t.low in _STOP[doc.lang] or t.low in _CAP_STOP or t.upper and len(t.text) <= 3:
        return False
    if role_class(t.low) is not None or _is_org_suffix(t) or t.low in _ORG_TRIGGERS:
        return False
    if _gazetteer().get((t.low,)) and t.low not in _FIRST_NAMES and t.low not in _FAMOUS:
        return False
    if t.low in _FIRST_NAMES or t.low in _FAMOUS:
        return True
    if re.search(r"\d", t.text) or _is_calendar_word(t.low):
        return False
    if doc.lang == "de":
        limit = NAME_AFTER_ROLE_MAX_ZIPF if after_role and first else 4.0
        if not first and after_first_name:
            limit = 5.5
        return _zipf(t.low, "de") < limit and not (t.low.endswith(_NOUN_SUFFIXES) and _zipf(t.low, "de") > 1.5)
    return _zipf(t.low, doc.lang) < 5.0 or not t.initial


@lru_cache(maxsize=None)
def _calendar_words() -> frozenset[str]:
    from babel.dates import get_day_names, get_month_names

    words: set[str] = set()
    for lang in _LANGS:
        words |= {n.lower() for n in get_month_names("wide", locale=lang).values()}
        words |= {n.lower() for n in get_day_names("wide", locale=lang).values()}
    return frozenset(words)


def _is_calendar_word(low: str) -> bool:
    return low in _calendar_words() or low.rstrip("s") in _calendar_words()


def _add_person(doc: _Doc, i: int, n: int, via: str) -> _Span:
    toks = doc.toks
    return doc.add(i, i + n, "person", _person_key(toks[i + n - 1].text), via)


def _person_key(last_word: str) -> str:
    return name_key(last_word).replace(" ", "")


def _persons(doc: _Doc) -> None:
    toks = doc.toks
    # role + name ("Präsident Tokajew", "Secretary of State Antony Blinken")
    for span in list(doc.spans):
        if span.kind != "role" or span.j >= len(toks) or not doc.adjacent(span.j):
            continue
        if toks[span.j - 1].possessive:
            continue
        at = span.j
        if doc.lang == "fr" and not toks[at].cap and (_fr_adjective(toks[at].low) or _derived_from_place(toks[at].low)) \
                and at + 1 < len(toks) \
                and doc.adjacent(at + 1):
            at += 1  # "le chancelier allemand Olaf Scholz"
            span.qualifier = span.qualifier or _qualifier(toks[at - 1].text)
        if doc.lang == "fr" and toks[at].low in ("de", "des", "du") and at + 2 < len(toks):
            k = at + 1 + (toks[at + 1].low in ("la", "l"))
            if k + 1 < len(toks) and toks[k].cap and doc.owner[k] < 0 and doc.adjacent(k + 1):
                at = k + 1  # "le ministre de l'Économie Robert Habeck": the portfolio, then the name
        n = _name_tokens(doc, at, after_role=True)
        if n:
            person = _add_person(doc, at, n, "role+name")
            span.person_key = person.key
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0 or not t.cap:
            continue
        if t.low in _TITLES and i + 1 < len(toks) and doc.adjacent(i + 1):
            n = _name_tokens(doc, i + 1, after_role=True)
            if n:
                _add_person(doc, i + 1, n, "title+name")
            continue
        if t.low in _FIRST_NAMES or t.low.split("-")[0] in _FIRST_NAMES:
            n = _name_tokens(doc, i, after_role=False)
            if n >= 2:
                _add_person(doc, i, n, "first-name")
    for i, t in enumerate(toks):
        if doc.owner[i] < 0 and t.cap and t.low in _FAMOUS:
            first = i
            while first > 0 and i - first < 2 and doc.adjacent(first) and doc.owner[first - 1] < 0 \
                    and _person_word(toks[first - 1], doc, first=True, after_role=False) \
                    and not toks[first - 1].initial and not _common(toks[first - 1].text, doc.lang):
                first -= 1  # "Sergueï Lavrov": a name word before a known surname
            _add_person(doc, first, i + 1 - first, "famous")


_FR_ADJ_ENDINGS = ("ais", "aise", "ois", "oise", "ain", "aine", "ien", "ienne", "and", "ande", "ol", "ole",
                   "ique", "an", "ane", "èse", "ant", "ante")
_FR_ADJ_WORDS = frozenset("russe belge suisse turque kazakh ouzbek tadjik kirghize turkmène grec grecque".split())


def _fr_adjective(low: str) -> bool:
    """A French adjective placed after a role ("le Premier ministre polonais", "le président sortant")."""
    return low not in _STOP["fr"] and (low in _FR_ADJ_WORDS or low.endswith(_FR_ADJ_ENDINGS)) and len(low) > 3


def _org_triggers(doc: _Doc) -> None:
    toks = doc.toks
    for i, t in enumerate(toks[:-1]):
        word = t.low.split("-")[-1]
        if not (word in _ORG_TRIGGERS or any(word.endswith(x) for x in ("konzern", "unternehmen"))):
            continue
        k = i + 1
        gap = toks[k].gap_before
        if not re.fullmatch(r"\s*[„“\"«‚‘']?\s*", gap) or doc.owner[k] >= 0 or not toks[k].cap:
            continue
        if doc.lang != "de" and t.cap and not t.initial and doc.owner[i] < 0 and doc.adjacent(k):
            k = i  # "Agence France-Presse", "Groupe Renault": the capitalised trigger is part of the name
        quoted = _quoted_tokens(doc, k) if re.search(r"[„“\"«‚‘']", gap) else None
        if quoted:
            for idx in {doc.owner[x] for x in range(k, quoted) if doc.owner[x] >= 0}:
                doc.drop(idx)  # "Zeitung „Wetschernij Bischkek“": the city is part of the title
            name = doc.text[toks[k].start : toks[quoted - 1].end]
            hit = _alias_table().get(name_key(name))
            doc.add(k, quoted, "organisation", entity_key(hit[1] if hit else name), "org-trigger",
                    canonical=hit[1] if hit else None)
            continue
        j = k
        while j < len(toks) and j - k < 3 + (k == i) and doc.owner[j] < 0 and toks[j].cap \
                and (j == k or doc.adjacent(j)) and (j == i or not _common_after_trigger(toks[j], doc)):
            j += 1
        if j == k:
            continue
        if j == k + 1 and k == i:
            continue
        name = doc.text[toks[k].start : toks[j - 1].end]
        hit = _alias_table().get(name_key(name))
        doc.add(k, j, "organisation", entity_key(hit[1] if hit else name), "org-trigger",
                canonical=hit[1] if hit else None)


def _quoted_tokens(doc: _Doc, k: int) -> int | None:
    """One past the last token of a short quoted name opening at token k, or None."""
    toks = doc.toks
    j = k + 1
    while j < len(toks) and j - k <= 5:
        if re.search(r"[“”\"»’‘']", toks[j].gap_before):
            return j if all(toks[x].cap or toks[x].low in _ORG_CONNECTORS for x in range(k, j)) else None
        if "\n" in toks[j].gap_before or re.search(r"[.,;:!?]", toks[j].gap_before):
            return None
        j += 1
    if j == len(toks) and re.search(r"[“”\"»’‘']", doc.text[toks[-1].end : toks[-1].end + 2]):
        return j
    return None


def _adjective_names(doc: _Doc) -> None:
    """Names opened by a capitalised adjective: 'Eurasische Entwicklungsbank', 'Fonds monétaire international'."""
    toks = doc.toks
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0:
            continue
        if doc.lang == "de" and t.cap and not t.initial and _de_adjective(t.low) and role_class(t.low) is None:
            j = i + 1
            while j < len(toks) and j - i < 4 and doc.adjacent(j) and doc.owner[j] < 0 and toks[j].cap \
                    and _de_adjective(toks[j].low):
                j += 1
            if j < len(toks) and doc.adjacent(j) and doc.owner[j] < 0 and toks[j].cap \
                    and any(_lemma_endswith(toks[j].low, h) for h in _DE_ORG_HEADS):
                name = doc.text[t.start : toks[j].end]
                canonical = _known_name(name, "de", "organisation")
                doc.add(i, j + 1, "organisation", entity_key(canonical or name), "adjective-org", canonical=canonical)
        elif doc.lang == "fr" and t.cap and not t.initial and t.low in _FR_ORG_HEADS:
            j = i + 1
            while j < len(toks) and j - i < 7 and doc.adjacent(j) and doc.owner[j] < 0:
                low = toks[j].low
                if not toks[j].cap and low.endswith(_FR_ORG_ADJ_ENDINGS) and low not in _STOP["fr"]:
                    j += 1
                elif low in ("de", "du", "des", "d") and j + 1 < len(toks) and j > i + 0:
                    k = j + 1
                    if toks[k].low in ("la", "l") and k + 1 < len(toks):
                        k += 1
                    if toks[k].low in _STOP["fr"] or doc.owner[k] >= 0 and doc.spans[doc.owner[k]].kind != "place":
                        break
                    j = k + 1
                else:
                    break
            if j > i + 1:
                for idx in {doc.owner[x] for x in range(i, j) if doc.owner[x] >= 0}:
                    doc.drop(idx)  # "Bourse de Francfort": the city is part of the name
                name = doc.text[t.start : toks[j - 1].end]
                canonical = _known_name(name, "fr", "organisation")
                doc.add(i, j, "organisation", entity_key(canonical or name), "adjective-org", canonical=canonical)


def _de_adjective(low: str) -> bool:
    """A German inflected adjective ('eurasische', 'internationalen', 'deutsche')."""
    if low.endswith(("ische", "ischen", "ischer", "isches")):
        return True
    return low.endswith(_DE_ADJ_ENDINGS) and _zipf(low, "de") >= 2.5


def _lemma_endswith(low: str, head: str) -> bool:
    return any(form.endswith(head) for form in _lemmas(low, "de"))


def _common_after_trigger(t: _Tok, doc: _Doc) -> bool:
    if t.low in _STOP[doc.lang] or role_class(t.low):
        return True
    return doc.lang == "de" and _zipf(t.low, "de") >= 4.0


def _acronyms(doc: _Doc) -> None:
    orgs = {_initials(doc, s): s.key for s in doc.spans if s.kind == "organisation" and s.j - s.i >= 2}
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0 or not t.upper or not re.fullmatch(r"[A-ZÄÖÜ]{2,6}", t.text):
            continue
        if _ROMAN.match(t.text) or t.text in _ORG_CASED_SUFFIXES or t.text in _GENERIC_ACRONYMS \
                or t.text in {"AM", "PM", "OK"}:
            continue
        hit = _alias_table().get(name_key(t.text))
        if hit:
            doc.add(i, i + 1, hit[0], entity_key(hit[1]), "acronym", canonical=hit[1])
            continue
        doc.add(i, i + 1, "organisation", orgs.get(t.text, entity_key(t.text)), "acronym")


def _initials(doc: _Doc, span: _Span) -> str:
    return "".join(t.text[0].upper() for t in doc.toks[span.i : span.j]
                   if t.cap and t.low not in _ORG_CONNECTORS)


def _speech_persons(doc: _Doc) -> None:
    toks = doc.toks
    for i, t in enumerate(toks):
        if doc.owner[i] >= 0 or not t.cap or not _rare_name(t, doc):
            continue
        before = toks[i - 1].low if i > 0 else ""
        after = toks[i + 1].low if i + 1 < len(toks) else ""
        if before in _ARTICLES:
            continue  # "the Chancellery said": names of persons take no article
        if (after in _SPEECH_VERBS and doc.adjacent(i + 1)) or before in _SPEECH_BEFORE or \
                (before == "to" and i > 1 and toks[i - 2].low == "according"):
            _add_person(doc, i, 1, "speech")


def _rare_name(t: _Tok, doc: _Doc) -> bool:
    """A capitalised word that is unlikely to be an ordinary word of the language."""
    if t.low in _STOP[doc.lang] or t.low in _CAP_STOP or _is_calendar_word(t.low) or t.upper:
        return False
    if re.search(r"\d", t.text) or role_class(t.low):
        return False
    return not _common(t.text, doc.lang) and _zipf(t.low, doc.lang) < COMMON_ZIPF


def _propagate(doc: _Doc) -> None:
    persons: dict[str, str] = {}
    orgs: dict[str, str] = {}
    for s in doc.spans:
        if s.kind == "person":
            persons.setdefault(doc.toks[s.j - 1].low, s.key)
        elif s.kind == "organisation" and s.j - s.i == 1 and s.via in ("org-trigger",):
            orgs.setdefault(doc.toks[s.i].low, s.key)
    for i, t in enumerate(doc.toks):
        if doc.owner[i] >= 0 or not t.cap:
            continue
        for lemma in _lemmas(t.low, doc.lang):
            if lemma in persons:
                doc.add(i, i + 1, "person", persons[lemma], "propagated")
                break
            if lemma in orgs:
                doc.add(i, i + 1, "organisation", orgs[lemma], "propagated")
                break


def _others(doc: _Doc) -> None:
    toks = doc.toks
    i = 0
    while i < len(toks):
        if doc.owner[i] >= 0 or not _other_word(toks[i], doc):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and j - i < 5 and doc.owner[j] < 0 and doc.adjacent(j) and _other_word(toks[j], doc, inside=True):
            j += 1
        if j < len(toks) and doc.adjacent(j) and (toks[j].low in _DEMONYMS or _derived_from_place(toks[j].low)) \
                and toks[j].cap:
            i = j + 1  # "Central Asian": the words before a demonym belong to it
            continue
        text = doc.text[toks[i].start : toks[j - 1].end]
        doc.add(i, j, "other", name_key(text).replace(" ", ""), "other")
        i = j


def _other_word(t: _Tok, doc: _Doc, inside: bool = False) -> bool:
    if not t.cap or t.low in _STOP[doc.lang] or t.low in _CAP_STOP or _is_calendar_word(t.low):
        return False
    if t.text in _GENERIC_ACRONYMS:
        return False
    if re.search(r"\d", t.text) or role_class(t.low) or t.low in _ORG_TRIGGERS:
        return False
    if doc.lang == "de":
        return _rare_name(t, doc)
    if _derived_from_place(t.low):
        return False
    if t.initial and not inside:
        return _zipf(t.low, doc.lang) < COMMON_ZIPF
    return True


# --------------------------------------------------------------------------- role resolution


def _resolve_roles(doc: _Doc) -> None:
    by_key: dict[str, str] = {}
    for s in doc.spans:
        if s.kind == "person":
            name = doc.text[s.start : s.end]
            name = re.sub(r"(?<=\w)s$", "", name) if s.via == "propagated" and len(name.split()) == 1 else name
            if len(name) > len(by_key.get(s.key, "")):
                by_key[s.key] = name
    persons = sorted((s for s in doc.spans if s.kind == "person"), key=lambda s: s.i)
    roles = sorted((s for s in doc.spans if s.kind == "role"), key=lambda s: s.i)
    for r in roles:
        if r.person_key is None:
            r.person_key = _apposition(doc, r, persons, roles)
        if r.qualifier is None:
            r.qualifier = _qualifier_before(doc, r)
    links = [(r.i, r.role_class, r.qualifier, r.person_key) for r in roles if r.person_key]
    for r in roles:
        if r.person_key is None and _definite_singular(doc, r):
            r.person_key = _antecedent(r, links)
        if r.person_key:
            r.role_of = by_key.get(r.person_key)


def _apposition(doc: _Doc, role: _Span, persons: list[_Span], roles: list[_Span]) -> str | None:
    """'…Staatssekretär für Süd- und Zentralasien, Donald Lu,' / 'Donald Lu, der führende US-Diplomat'."""
    toks = doc.toks
    if _is_plural_role(toks[role.j - 1].low, doc.lang) or _negated(doc, role):
        return None
    sent_end = _sentence_end(doc, role.j)
    for p in persons:
        if role.j <= p.i < min(role.j + 14, sent_end) and "," in toks[p.i].gap_before:
            if any(role.j <= r.i < p.i for r in roles):
                break
            nxt = toks[p.j].gap_before if p.j < len(toks) else "."
            if re.match(r"\s*[,.;)]", nxt) or p.j >= sent_end:
                return p.key
    # person, (det) (adj)* role
    k = role.i - 1
    while k >= 0 and toks[k].low in _DEFINITE[doc.lang] | {"a", "an", "un", "une", "ein", "eine"} \
            or k >= 0 and not toks[k].cap and toks[k].low.isalpha() and role.i - k <= 3 and "," not in toks[k + 1].gap_before:
        k -= 1
    if k >= 0 and "," in toks[k + 1].gap_before and doc.owner[k] >= 0:
        span = doc.spans[doc.owner[k]]
        if span.kind == "person" and span.j == k + 1:
            return span.key
    return None


def _sentence_end(doc: _Doc, i: int) -> int:
    toks = doc.toks
    while i < len(toks):
        if re.search(r"[.!?]\s|\n", toks[i].gap_before) and not re.search(r"\d\.\s*$", toks[i].gap_before):
            return i
        i += 1
    return len(toks)


def _negated(doc: _Doc, role: _Span) -> bool:
    k = role.i - 1
    steps = 0
    while k >= 0 and steps < 3:
        low = doc.toks[k].low
        if low in {"kein", "keine", "keinen", "keinem", "no", "aucun", "aucune", "ein", "eine", "einen",
                   "einem", "a", "an", "un", "une"}:
            return True
        if doc.toks[k].cap and role_class(low) is None and low not in _DEFINITE[doc.lang]:
            break
        k -= 1
        steps += 1
    return False


def _qualifier_before(doc: _Doc, role: _Span) -> str | None:
    """A country written before the role: 'Kasachstans Präsident', "Kazakhstan's President", 'amerikanische'."""
    k = role.i - 1
    steps = 0
    while k >= 0 and steps < 3 and doc.adjacent(k + 1):
        t = doc.toks[k]
        if doc.owner[k] >= 0 and doc.spans[doc.owner[k]].kind == "place":
            return doc.spans[doc.owner[k]].canonical
        q = None if t.cap and doc.lang == "de" else _qualifier(t.text)
        if q:
            return q
        if t.cap:
            break
        k -= 1
        steps += 1
    return None


def _definite_singular(doc: _Doc, role: _Span) -> bool:
    """Whether a role mention refers to one specific person ('der Staatschef', 'the president')."""
    toks = doc.toks
    if _is_plural_role(toks[role.j - 1].low, doc.lang) or _negated(doc, role):
        return False
    k = role.i - 1
    adjectives = 0
    while k >= 0 and toks[k].low not in _DEFINITE[doc.lang] and adjectives < 2 and doc.adjacent(k + 1) \
            and toks[k].low.isalpha() and toks[k].low not in _STOP[doc.lang] \
            and (not toks[k].cap or (doc.lang == "en" and _qualifier(toks[k].text) and doc.owner[k] < 0)):
        k -= 1  # adjectives: "der hochrangige US-Diplomat", "the French president"
        adjectives += 1
    if k < 0 or not doc.adjacent(k + 1):
        return False
    det = toks[k]
    if det.possessive or (doc.owner[k] >= 0 and doc.spans[doc.owner[k]].kind == "place"
                          and (det.possessive or det.low.endswith("s"))):
        return True
    if det.low not in _DEFINITE[doc.lang] and det.text.lower() not in _DEFINITE[doc.lang]:
        return False
    if doc.lang == "de":
        if det.low == "die" and not toks[role.j - 1].low.endswith("in"):
            return False
        if det.low in ("der", "den") and k > 0 and toks[k - 1].cap and doc.adjacent(k) \
                and not toks[k - 1].initial and toks[k - 1].low not in _STOP["de"]:
            return False  # "Treffen der Außenminister": a genitive attribute, often plural
    return True


def _antecedent(role: _Span, links: list[tuple[int, str | None, str | None, str | None]]) -> str | None:
    classes = ROLE_FAMILIES.get(role.role_class or "", frozenset({role.role_class}))
    ok = [(pos, key) for pos, cls, qual, key in links
          if cls in classes and not (qual and role.qualifier and qual != role.qualifier)]
    before = [key for pos, key in ok if pos < role.i]
    if before:
        return before[-1]
    after = [key for pos, key in ok if pos > role.i]
    return after[0] if after else None


# --------------------------------------------------------------------------- API


def _lang(text: str, language: str | None) -> str:
    if language:
        code = language.lower().split("-")[0].split("_")[0]
        if code in _LANGS:
            return code
    words = re.findall(r"[^\W\d_]+", text[:5000].lower())
    votes = {lang: sum(w in _STOP[lang] for w in words) for lang in _LANGS}
    return max(_LANGS, key=lambda lang: (votes[lang], lang == "de"))


def extract_entities(text: str, language: str | None) -> list[Entity]:
    """Persons, places, organisations, roles and other names in `text`, in text order.

    `language` is "de", "en" or "fr" (None: guessed from stopwords).  See the module
    docstring for the rules.
    """
    lang = _lang(text, language)
    doc = _Doc(text, lang, _tokenize(text))
    for step in (_datelines, _codes, _hyphen_compounds, _org_keywords, _gazetteer_pass, _adjective_names, _roles,
                 _persons,
                 _org_triggers, _acronyms, _speech_persons, _propagate, _others):
        step(doc)
    _resolve_roles(doc)
    out = [
        Entity(start=s.start, end=s.end, text=text[s.start : s.end], kind=s.kind, key=s.key, role_of=s.role_of)
        for s in sorted(doc.spans, key=lambda s: s.start)
        if s.kind != "dropped"
    ]
    logger.debug("extracted %d entities from %d characters (%s)", len(out), len(text), lang)
    return out


def entity_key(text: str, kind: str | None = None) -> str:
    """Normalised match key: known aliases -> canonical name; persons -> folded last name.

    Without `kind`, a name that starts with a known first name ("Antony Blinken") is a person.
    """
    raw = name_key(text)
    if not raw:
        return ""
    if kind in (None, "place", "organisation"):
        hit = _alias_table().get(raw)
        if hit:
            return name_key(hit[1]).replace(" ", "")
    words = raw.split()
    if kind == "person" or (kind is None and len(words) > 1 and _looks_like_person(text)):
        return words[-1]
    return raw.replace(" ", "")


@lru_cache(maxsize=None)
def _folded_first_names() -> frozenset[str]:
    return frozenset(fold_accents(n) for n in _FIRST_NAMES)


def _looks_like_person(text: str) -> bool:
    first = fold_accents(text.split()[0]).lower()
    return first in _folded_first_names() or first in _TITLES


def same_entity(a: str, b: str) -> bool:
    """Whether two names (any language) denote the same entity: alias table, then fuzzy keys."""
    ra, rb = name_key(a), name_key(b)
    if not ra or not rb:
        return False
    table = _alias_table()
    ha, hb = table.get(ra), table.get(rb)
    if ha and hb:
        return ha[1] == hb[1]
    ka, kb = entity_key(a), entity_key(b)
    if ka == kb or fuzz.ratio(ka, kb) >= SAME_ENTITY_MIN_RATIO:
        return not (ha or hb) or _one_alias_matches(ha or hb, ka if hb else kb)
    # "Kassym-Schomart Tokajew" vs "Tokayev": compare last names of person-like names
    la, lb = ra.split()[-1], rb.split()[-1]
    if (len(ra.split()) > 1 or len(rb.split()) > 1) and not (ha or hb) and _person_like(a) and _person_like(b):
        return la == lb or fuzz.ratio(la, lb) >= SAME_ENTITY_MIN_RATIO
    return False


def _one_alias_matches(hit: tuple[str, str] | None, other_key: str) -> bool:
    """A known alias vs an unknown name: they match only on the canonical key."""
    if hit is None:
        return True
    return fuzz.ratio(name_key(hit[1]).replace(" ", ""), other_key) >= SAME_ENTITY_MIN_RATIO


def _person_like(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and \
        not any(w.lower() in _ORG_SUFFIXES for w in words)
