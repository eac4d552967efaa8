"""Fast paths of the speaker parsing equal the plain computations they replace."""

from __future__ import annotations

import re
from pathlib import Path

from compare.facts.names import ROLE_PATTERNS
from compare.facts.speakers import _ANY_ROLE_RE, _single_role

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(
    [*ROOT.glob("seeds/*.txt"), *ROOT.glob("eval/heldout/*/*.txt"), *ROOT.glob("tests/data/*.txt")]
)


def _words() -> set[str]:
    words: set[str] = set()
    textberg = ROOT.parent / "shared" / "eval" / "textberg"
    paths = [*TEXTS, *(p for lang in ("de", "fr") for p in textberg.glob(f"{lang}/*") if p.is_file())]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        words |= {w.lower().replace("’", "'") for w in re.findall(r"[^\W_]+(?:[-'’.][^\W_]+)*", text)}
    # role words with prefixes, plurals and hyphenated qualifiers, and near misses
    words |= {"us-außenminister", "außenministerin", "präsidenten", "ex-präsident", "vize-kanzler", "minister-",
              "-", "", "premierminister", "sprecherinnen", "ministre", "porte-parole", "secretary", "xpräsident"}
    return words


def test_combined_role_regex_rejects_exactly_the_non_roles() -> None:
    """The one-regex reject in `_single_role` drops only words no single pattern fullmatches
    (so the class, tried pattern by pattern, is unchanged)."""
    for word in sorted(_words()):
        for cand in {word, word.split("-")[-1]}:
            assert bool(_ANY_ROLE_RE.fullmatch(cand)) == any(p.fullmatch(cand) for p, _ in ROLE_PATTERNS), cand


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
