"""Known names: places, organisations, first names, and the keys that match them across languages.

Countries and cities (pycountry, Babel, US states, a hand list for the region's names),
organisations and their aliases, first names and famous surnames, role and stop-word
lexicons, and word-frequency tests for common nouns. `entity_key` and `same_entity`
turn a name into its language-independent key (aliases to a canonical English name,
persons to the folded last name; see `names`). `entities` extracts mentions with them.
"""

from __future__ import annotations

import gettext
import logging
import re
from functools import lru_cache

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from compare.facts.lexicon import lexicon, lexicon_languages
from compare.facts.names import fold_accents, multi_roles, name_key

logger = logging.getLogger(__name__)


SAME_ENTITY_MIN_RATIO = 85.0
_LANGS = ("de", "en", "fr")
COMMON_ZIPF = 3.0  # a German capitalised word at least this frequent is a common noun
NAME_AFTER_ROLE_MAX_ZIPF = 4.5  # a word after a role up to this frequency may be a name
MAX_NAME_WORDS = 4


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
def _gaz_first_tokens_by_length() -> dict[int, frozenset[str]]:
    """Token count -> first tokens of the aliases of that many tokens (per-process data):
    a span can only spell an alias whose length it has and whose first token it starts with."""
    firsts: dict[int, set[str]] = {}
    for k in _gazetteer():
        firsts.setdefault(len(k), set()).add(k[0])
    return {n: frozenset(heads) for n, heads in firsts.items()}


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


@lru_cache(maxsize=8192)
def _common(word: str, lang: str) -> bool:
    """Whether a capitalised word is an ordinary word of `lang` rather than part of a name.

    Cached (8192 words): a pure function of the word and the language over per-process
    word lists and frequencies, asked by several passes for the same words."""
    low = word.lower()
    if low in _STOP[lang] or low in _CAP_STOP:
        return True
    last = low.split("-")[-1]
    if lang == "de":
        # whether some form passes one of three tests, cheapest test first over all forms
        # (word-frequency lookups and compound splits cost most the first time a word is seen)
        forms = (*_lemmas(last, "de"), *_lemmas(low, "de"))
        if any(form.endswith(_NOUN_SUFFIXES) for form in forms) or any(_zipf(form, "de") >= COMMON_ZIPF for form in forms) \
                or any(_compound_de(form) for form in forms):
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


def _lemmas(low: str, lang: str) -> list[str]:
    """The word and its forms without German endings (genitive -s/-es, dative plural -n/-en).

    English and French need none: the possessive 's is split off by the tokenizer, and
    stripping would turn "Asian" into "Asia".
    """
    if lang != "de" or len(low) <= 4 or low[-1] not in "sn":
        return [low]  # no ending to strip (the suffixes all end in "s" or "n")
    # as the loop over ("s", "es", "n", "en") appends: the one-letter form, then the "e" one
    return [low, low[:-1], low[:-2]] if low[-2] == "e" else [low, low[:-1]]


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
