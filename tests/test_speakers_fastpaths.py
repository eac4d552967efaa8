"""Fast paths of the speaker parsing equal the plain computations they replace."""

from __future__ import annotations

import re
from pathlib import Path

from compare.facts.names import ANY_ROLE_RE, ROLE_PATTERNS, role_class
from compare.facts.speakers import _single_role
from corpus import textberg_files

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(
    [*ROOT.glob("seeds/*.txt"), *ROOT.glob("eval/heldout/*/*.txt"), *ROOT.glob("tests/data/*.txt")]
)


def _words() -> set[str]:
    words: set[str] = set()
    paths = [*TEXTS, *textberg_files()]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        words |= {w.lower().replace("’", "'") for w in re.findall(r"[^\W_]+(?:[-'’.][^\W_]+)*", text)}
    # role words with prefixes, plurals and hyphenated qualifiers, and near misses
    words |= {"us-außenminister", "außenministerin", "präsidenten", "ex-präsident", "vize-kanzler", "minister-",
              "-", "", "premierminister", "sprecherinnen", "ministre", "porte-parole", "secretary", "xpräsident"}
    return words


def test_combined_role_regex_rejects_exactly_the_non_roles() -> None:
    """The one-regex reject in `_single_role` and `role_class` drops only words no single pattern fullmatches
    (so the class, tried pattern by pattern, is unchanged)."""
    for word in sorted(_words()):
        for cand in {word, word.split("-")[-1]}:
            assert bool(ANY_ROLE_RE.fullmatch(cand)) == any(p.fullmatch(cand) for p, _ in ROLE_PATTERNS), cand


def test_single_role_on_real_words_matches_plain_loop() -> None:
    from compare.facts.speakers import _FEMININE_ROLES, _Role, _qualifier_key

    def plain(low: str) -> _Role | None:
        parts = low.split("-")
        for cand, quals in ((low, ()), (parts[-1], parts[:-1])):
            for pattern, cls in ROLE_PATTERNS:
                if pattern.fullmatch(cand):
                    feminine = low in _FEMININE_ROLES or cand.endswith(("in", "innen"))
                    keys = frozenset(k for k in (_qualifier_key(q) for q in quals) if k)
                    return _Role(cls, 1, feminine, keys)
        return None

    words = sorted(_words())
    assert any(plain(w) is not None for w in words)
    for word in words:
        assert _single_role(word) == plain(word), word


def test_comma_gaps_from_token_starts_equal_from_token_ends() -> None:
    """`_comma_gaps` given the index's token starts finds the gaps it finds from the token ends."""
    import bisect

    from compare.facts.quote_marks import _scan_quotes
    from compare.facts.quotes import _comma_gaps
    from compare.facts.speakers import _Lex, _TokenIndex

    def plain(text: str, toks: list) -> list[int]:
        ends = [t.end for t in toks]
        out: list[int] = []
        for c in re.finditer(",", text):
            k = bisect.bisect_right(ends, c.start()) - 1
            if k < 0 or k + 1 >= len(toks) or (out and out[-1] == k):
                continue
            if text[toks[k].end : toks[k + 1].start].strip() == ",":
                out.append(k)
        return out

    for path in TEXTS:
        text = path.read_text(encoding="utf-8") + "\n, a,b ,, c , d,"
        for lang in ("de", "fr"):
            index = _TokenIndex(text, _scan_quotes(text), _Lex(lang))
            expected = plain(text, index.toks)
            assert _comma_gaps(text, index.toks, index.starts) == expected
            assert _comma_gaps(text, index.toks) == expected


def test_person_full_follows_its_names() -> None:
    """`_Person.full` is recomputed when the names change, also when changed in place."""
    from compare.facts.quotes import _Person

    p = _Person(["Lu"])
    assert p.full == "Lu"
    p.names.append("Donald Lu")
    assert p.full == "Donald Lu"
    p.names[0] = "Donald X. Lu"
    assert p.full == "Donald X. Lu"
    assert p == _Person(["Donald X. Lu", "Donald Lu"]) and "_full" not in repr(p)


def test_role_class_on_real_words_matches_plain_loop() -> None:
    def plain(low: str) -> str | None:
        for cand in (low, low.split("-")[-1]) if "-" in low else (low,):
            for pattern, cls in ROLE_PATTERNS:
                if pattern.fullmatch(cand):
                    return cls
        return None

    words = sorted(_words())
    assert any(plain(w) is not None for w in words)
    role_class.cache_clear()
    assert [role_class(w) for w in words] == [plain(w) for w in words]
