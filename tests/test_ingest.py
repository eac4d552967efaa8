"""Tests for compare.ingest / compare.decode / compare.language: formats, encodings, titles, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compare import ingest
from compare.decode import decode_bytes
from compare.errors import InputError
from compare.ingest import (
    article_from_text,
    articles_from_records,
    load_articles,
    load_bytes,
    load_file,
)
from compare.language import detect_language

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))

WESTERN = "Größe, Übergröße, „Zitat“ – Straße"
BODY_DE = (
    "Die Größe der Übergröße ist beachtlich, sagte der Sprecher am Dienstag in Köln.\n"
    "„Das ist ein Zitat“, fügte er hinzu – auf der Straße vor dem Rathaus."
)
DE = (
    "Der Bundestag hat am Donnerstag nach langer Debatte ein neues Gesetz zur Förderung "
    "erneuerbarer Energien beschlossen. Die Opposition kritisierte die hohen Kosten für die Verbraucher."
)
EN = (
    "The parliament passed a new law on Thursday after a long debate about renewable energy. "
    "The opposition criticised the high costs for consumers and small businesses."
)
FR = (
    "Le parlement a adopté jeudi une nouvelle loi après un long débat sur les énergies renouvelables. "
    "L'opposition a critiqué les coûts élevés pour les consommateurs et les petites entreprises."
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>Blinken besucht Kasachstan | Tagesblatt</title>
  <meta name="date" content="2023-03-01">
  <meta property="og:site_name" content="Tagesblatt">
  <link rel="canonical" href="https://example.org/politik/blinken-kasachstan">
</head>
<body>
  <nav><ul><li><a href="/">Startseite</a></li><li><a href="/politik">Politik</a></li>
  <li><a href="/sport">Sport</a></li></ul></nav>
  <main>
    <article>
      <h1>Blinken besucht Kasachstan</h1>
      <p>Der amerikanische Außenminister Antony Blinken ist am Dienstag in Astana eingetroffen,
      um Gespräche mit der Regierung über wirtschaftliche Zusammenarbeit zu führen.</p>
      <p>Es ist sein erster Besuch in der Region seit Beginn seiner Amtszeit. Er trifft dort auch
      die Außenminister aller fünf zentralasiatischen Staaten.</p>
      <p>Beobachter erwarten keine großen Durchbrüche, aber ein deutliches Signal an Moskau,
      das die Region traditionell als Einflusssphäre betrachtet.</p>
    </article>
  </main>
  <footer><p>Impressum | Datenschutz | Cookie-Einstellungen</p><p>© 2023 Tagesblatt Medien GmbH</p></footer>
</body>
</html>
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def assert_one_line_error(exc: pytest.ExceptionInfo[InputError], name: str) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert name in message
    return message


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252"])
def test_encodings_round_trip(tmp_path: Path, encoding: str) -> None:
    text = f"{WESTERN}.\n{BODY_DE}"
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    [article] = load_file(write(tmp_path, "a.txt", data))
    assert article.text == text
    assert article.title is None


def test_decode_cp1252_short_western_text() -> None:
    assert decode_bytes(WESTERN.encode("cp1252"), "x.txt") == WESTERN
    assert decode_bytes("Größe".encode("cp1252"), "x.txt") == "Größe"


def test_decode_latin1_french() -> None:
    text = "Le président a déclaré que la sécurité était prioritaire. « Nous agirons », a-t-il ajouté."
    assert decode_bytes(text.encode("latin-1"), "x.txt") == text


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Президент заявил, что безопасность является приоритетом для государства и общества.", "cp1251"),
        ("Prezydent powiedział, że bezpieczeństwo jest ważne dla kraju.", "cp1250"),
        ("Premier spotkał się wczoraj z ministrami w Warszawie, aby omówić plany na przyszły rok.", "cp1250"),
        ("El niño comió piña en España, según la señora. ¿Qué pasó?", "cp1252"),
        ("Preis: 5 € für 3×2 Stück bei 20 °C, ½ Liter.", "cp1252"),
    ],
)
def test_decode_other_legacy_encodings(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "x.txt") == text


def test_decode_strips_bom_and_keeps_line_endings() -> None:
    # a BOM is not text; \r\n and \r are, and offsets count them
    assert decode_bytes(b"\xef\xbb\xbfa\r\nb\rc\n", "x.txt") == "a\r\nb\rc\n"
    assert decode_bytes(b"\xff\xfe" + "a\r\nb".encode("utf-16-le"), "x.txt") == "a\r\nb"
    assert decode_bytes(b"  lead\n", "x.txt") == "  lead\n"


def test_crlf(tmp_path: Path) -> None:
    raw = "Titel der Meldung\r\n\r\nErster Satz.\r\nZweiter Satz.\r\n"
    [article] = load_file(write(tmp_path, "a.txt", raw))
    assert article.title == "Titel der Meldung"
    assert article.text == raw
    assert article.title_span == (0, len("Titel der Meldung"))


# --- titles ----------------------------------------------------------------------------------


def test_txt_title_detected(tmp_path: Path) -> None:
    raw = f"Blinken besucht Kasachstan\n\n\n{BODY_DE}\n"
    [article] = load_file(write(tmp_path, "a.txt", raw))
    assert article.title == "Blinken besucht Kasachstan"
    assert article.text == raw  # the title line stays: offsets count in the file as given
    start, end = article.title_span
    assert article.text[start:end] == article.title


def test_txt_title_after_leading_whitespace(tmp_path: Path) -> None:
    raw = f"\n\n  Blinken besucht Kasachstan \t\r\n{BODY_DE}"
    [article] = load_file(write(tmp_path, "a.txt", raw))
    assert article.text == raw
    assert article.title_span == (4, 4 + len("Blinken besucht Kasachstan"))
    assert article.text[slice(*article.title_span)] == article.title == "Blinken besucht Kasachstan"


def test_txt_title_keeps_its_spacing_in_the_text(tmp_path: Path) -> None:
    [article] = load_file(write(tmp_path, "a.txt", f"Blinken  besucht\tKasachstan\n{BODY_DE}"))
    assert article.title == "Blinken besucht Kasachstan"  # the metadata title is one clean line
    assert article.text[slice(*article.title_span)] == "Blinken  besucht\tKasachstan"  # the span is the text


@pytest.mark.parametrize(
    "first",
    [
        "Blinken besucht Kasachstan.",
        "Kommt der Durchbruch?",
        "Er sagte: „Wir kommen.“",
        "Das Ende…",
        "Blinken besucht Kasachstan " + "und trifft viele Minister " * 6,  # longer than 150 chars
    ],
)
def test_txt_title_not_detected(tmp_path: Path, first: str) -> None:
    [article] = load_file(write(tmp_path, "a.txt", f"{first}\n{BODY_DE}"))
    assert article.title is None
    assert article.title_span is None
    assert article.text == f"{first}\n{BODY_DE}"


def test_txt_single_line_is_text_not_title(tmp_path: Path) -> None:
    [article] = load_file(write(tmp_path, "a.txt", "Nur eine Zeile ohne Punkt"))
    assert article.title is None
    assert article.title_span is None
    assert article.text == "Nur eine Zeile ohne Punkt"


def test_md_title(tmp_path: Path) -> None:
    md = f"# Blinken besucht Kasachstan\n\n## Hintergrund\n\n{BODY_DE}\n\n*kursiv* bleibt\n"
    [article] = load_file(write(tmp_path, "a.md", md))
    assert article.title == "Blinken besucht Kasachstan"
    assert article.text == md
    assert article.title_span == (2, 2 + len("Blinken besucht Kasachstan"))  # the words, without "# "


def test_md_title_with_closing_hashes(tmp_path: Path) -> None:
    md = f"\r\n#  Blinken besucht Kasachstan ##\r\n{BODY_DE}"
    [article] = load_file(write(tmp_path, "a.md", md))
    assert article.text == md
    assert article.text[slice(*article.title_span)] == article.title == "Blinken besucht Kasachstan"


@pytest.mark.parametrize("first", ["## Unterzeile", "#hashtag", "Kein Titel hier"])
def test_md_without_h1_keeps_everything(tmp_path: Path, first: str) -> None:
    [article] = load_file(write(tmp_path, "a.md", f"{first}\n{BODY_DE}"))
    assert article.title is None
    assert article.title_span is None
    assert article.text == f"{first}\n{BODY_DE}"


# --- html ------------------------------------------------------------------------------------


def test_html_extraction(tmp_path: Path) -> None:
    [article] = load_file(write(tmp_path, "page.html", HTML_PAGE))
    assert article.id == "page"
    assert article.title == "Blinken besucht Kasachstan"
    assert "Antony Blinken ist am Dienstag in Astana eingetroffen" in article.text
    assert "Signal an Moskau" in article.text
    for boilerplate in ("Startseite", "Impressum", "Datenschutz", "Tagesblatt Medien"):
        assert boilerplate not in article.text
    # trafilatura repeats the <h1> as the first line: it stays in the text, marked as the title
    assert article.text.startswith("Blinken besucht Kasachstan\n")
    assert article.text[slice(*article.title_span)] == article.title
    assert article.date == "2023-03-01"
    assert article.source == "Tagesblatt"
    assert article.url == "https://example.org/politik/blinken-kasachstan"
    assert article.language == "de"


def test_html_without_text(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.htm", "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>")
    with pytest.raises(InputError) as exc:
        load_file(path)
    assert "no article text" in assert_one_line_error(exc, "empty.htm")


# --- json / jsonl ----------------------------------------------------------------------------


def test_json_single(tmp_path: Path) -> None:
    record = {"id": 7, "title": "T", "source": "S", "date": "2023-03-01", "url": "u", "text": f"  {EN}\r\n", "x": 1}
    [article] = load_file(write(tmp_path, "one.json", json.dumps(record)))
    assert (article.id, article.title, article.source, article.date, article.url) == ("7", "T", "S", "2023-03-01", "u")
    assert article.text == f"  {EN}\r\n"  # the `text` field exactly: offsets index it
    assert article.title_span is None  # a title given as a field is not part of the text
    assert article.language == "en"
    assert article.origin == str(tmp_path / "one.json")


def test_json_list(tmp_path: Path) -> None:
    records = [{"text": DE, "language": "DE"}, {"text": FR}]
    articles = load_file(write(tmp_path, "many.json", json.dumps(records, ensure_ascii=False)))
    assert [a.id for a in articles] == ["many", "many-2"]
    assert [a.language for a in articles] == ["de", "fr"]


def test_jsonl_multiple(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": DE}), "", json.dumps({"id": "b", "text": EN, "title": "Law"})]
    path = write(tmp_path, "x.jsonl", "\n".join(lines) + "\n")
    articles = load_file(path)
    assert [a.id for a in articles] == ["a", "b"]
    assert articles[1].title == "Law"
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:3"]


def test_jsonl_crlf_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": "Erste Zeile.\r\nZweite Zeile."}), "", json.dumps({"id": "b", "text": EN}), "{"]
    path = write(tmp_path, "x.jsonl", "\r\n".join(lines))
    with pytest.raises(InputError) as exc:
        load_file(path)
    assert "x.jsonl line 4: invalid JSON" in assert_one_line_error(exc, "x.jsonl")
    articles = load_file(write(tmp_path, "y.jsonl", "\r\n".join(lines[:3]) + "\r\n"))
    assert [a.id for a in articles] == ["a", "b"]
    assert articles[0].text == "Erste Zeile.\r\nZweite Zeile."
    assert [a.origin for a in articles] == [f"{tmp_path / 'y.jsonl'}:1", f"{tmp_path / 'y.jsonl'}:3"]


def test_jsonl_broken_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": DE}), json.dumps({"text": EN}), '{"text": "oops", ']
    path = write(tmp_path, "x.jsonl", "\n".join(lines))
    with pytest.raises(InputError) as exc:
        load_file(path)
    message = assert_one_line_error(exc, "x.jsonl")
    assert "x.jsonl line 3: invalid JSON" in message


@pytest.mark.parametrize(
    "record, fragment",
    [
        ({"title": "no text"}, "missing 'text'"),
        ({"text": "   "}, "missing 'text'"),
        ({"text": 5}, "missing 'text'"),
        ({"text": "ok text", "title": 3}, "'title' must be a string"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_jsonl_invalid_records(tmp_path: Path, record: object, fragment: str) -> None:
    path = write(tmp_path, "bad.jsonl", json.dumps({"text": EN}) + "\n" + json.dumps(record))
    with pytest.raises(InputError) as exc:
        load_file(path)
    message = assert_one_line_error(exc, "bad.jsonl")
    assert "line 2" in message and fragment in message


def test_json_invalid(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_file(write(tmp_path, "bad.json", '{"text": '))
    assert "invalid JSON" in assert_one_line_error(exc, "bad.json")


# --- ids, records, bytes, pasted text ---------------------------------------------------------


def test_id_dedupe_across_files(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = write(tmp_path / "one", "story.txt", BODY_DE)
    b = write(tmp_path / "two", "story.txt", EN)
    c = write(tmp_path, "more.jsonl", json.dumps({"id": "story", "text": FR}) + "\n" + json.dumps({"id": "story-2", "text": DE}))
    articles = load_articles([a, b, c])
    ids = [x.id for x in articles]
    # generated suffixes skip ids that appear anywhere in the input, so the explicit "story-2" keeps its id
    assert ids == ["story", "story-3", "story-4", "story-2"]
    assert len(set(ids)) == len(ids)


def test_articles_from_records() -> None:
    articles = articles_from_records([{"text": EN}, {"id": "x", "text": DE}], origin="upload.json")
    assert [a.id for a in articles] == ["upload", "x"]
    with pytest.raises(InputError) as exc:
        articles_from_records([{"text": EN}, {}], origin="upload.json")
    assert "upload.json record 2: missing 'text'" in str(exc.value)


def test_load_bytes_dispatches_on_name() -> None:
    [article] = load_bytes(f"Eine Überschrift\n{BODY_DE}".encode("cp1252"), "upload.TXT")
    assert article.title == "Eine Überschrift"
    assert article.text == f"Eine Überschrift\n{BODY_DE}"
    assert article.title_span == (0, len("Eine Überschrift"))
    assert article.origin == "upload.TXT"
    with pytest.raises(InputError) as exc:
        load_bytes(b"x", "upload.pdf")
    assert_one_line_error(exc, "upload.pdf")


def test_article_from_text() -> None:
    # pasted text (the app): the title comes from its own box, so nothing in the text is the title
    article = article_from_text(f"\r\n {DE}\r\n", "pasted", title="  Ein   Titel ")
    assert article.text == f"\r\n {DE}\r\n"
    assert article.title == "Ein Titel"
    assert article.title_span is None
    assert article.language == "de"
    with pytest.raises(InputError):
        article_from_text(" \n ", "pasted")
    with pytest.raises(ValueError):
        article_from_text(DE, "pasted", title="T", title_span=(0, len(DE) + 1))


# --- language --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [(DE, "de"), (EN, "en"), (FR, "fr")])
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_detect_language_too_short() -> None:
    assert detect_language("Hallo schöne Welt") is None
    assert detect_language("") is None
    assert detect_language("12345 67890 ... !!!") is None


# --- errors ----------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_file(tmp_path / "nope.txt")
    assert "does not exist" in assert_one_line_error(exc, "nope.txt")


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(InputError) as exc:
        load_file(tmp_path / "folder.txt")
    assert "directory" in assert_one_line_error(exc, "folder.txt")


def test_unsupported_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_file(write(tmp_path, "doc.pdf", "hello"))
    message = assert_one_line_error(exc, "doc.pdf")
    assert ".pdf" in message and ".txt" in message and ".jsonl" in message


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 100)
    path = write(tmp_path, "big.txt", "x" * 101)
    with pytest.raises(InputError) as exc:
        load_file(path)
    assert "too large" in assert_one_line_error(exc, "big.txt")
    with pytest.raises(InputError):
        load_bytes(b"x" * 101, "big.txt")


def test_too_large_message_says_limit_in_mb(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(b"x" * (ingest.MAX_FILE_BYTES + 1), "huge.txt")
    assert "the limit is 5 MB" in assert_one_line_error(exc, "huge.txt")


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \r\n\t\n ", "empty"),
        ("blank.md", b"\xef\xbb\xbf \n", "empty"),
        ("nul.txt", b"some text\x00\x00\x01 more text", "binary"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        ("controls.txt", b"ab\x01\x02\x03\x04cd\x05\x06\x07\x08", "binary"),
        ("noise.txt", bytes(range(1, 256)) * 20, "binary"),
        ("empty.jsonl", b"\n\n", "empty"),
        ("bad16.txt", b"\xff\xfe\x00\xd8", "cannot decode"),
    ],
)
def test_bad_content(tmp_path: Path, name: str, data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as exc:
        load_file(write(tmp_path, name, data))
    assert fragment in assert_one_line_error(exc, name)


# --- real seeds ------------------------------------------------------------------------------


def test_seeds() -> None:
    assert len(SEEDS) == 2
    articles = load_articles(SEEDS)
    assert [a.id for a in articles] == [p.stem for p in SEEDS]
    for article, path in zip(articles, SEEDS):
        assert article.language == "de"
        assert len(article.text) > 2000
        assert article.text == path.read_bytes().decode("utf-8")
        assert "Außenminister" in article.text
        assert "ü" in article.text and "ä" in article.text and "\ufffd" not in article.text
        # both seeds open with a long lead sentence ending in a period: no title
        assert article.title is None
    first = next(a for a in articles if a.id == "000_390fca3d3418ce8e")
    assert first.text.startswith("Vor dem Hintergrund der Ereignisse in der Ukraine")
