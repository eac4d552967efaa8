"""The entity core leaves side b's unmatched names uncomputed when side a's cannot make a
finding; its findings are the plain core's (both sides' unmatched names, every kind), on
pairs of real sentences and of two-sentence versions of the bench cluster."""

from __future__ import annotations

from bench.clusters import cluster
from compare.facts import discrepancies as D
from compare.segment import segment


def _plain_entity_findings(texts_a, lang_a, texts_b, lang_b, strong):  # type: ignore[no-untyped-def]
    ents_a = [(k, e) for k, t in enumerate(texts_a) for e in D._sentence_entities(t, lang_a)]
    ents_b = [(k, e) for k, t in enumerate(texts_b) for e in D._sentence_entities(t, lang_b)]
    lone_a, lone_b = D._unmatched(ents_a, ents_b), D._unmatched(ents_b, ents_a)
    found = []
    for kind in sorted(D.ENTITY_KINDS):
        only_a = [(k, e) for k, e in lone_a if e.kind == kind]
        only_b = [(k, e) for k, e in lone_b if e.kind == kind]
        if len({e.key for _, e in only_a}) != 1 or len({e.key for _, e in only_b}) != 1:
            continue
        (ka, ea), (kb, eb) = only_a[0], only_b[0]
        found.append((kind, ka, ea, kb, eb))
    if not found or not D._close_versions(texts_a, lang_a, texts_b, lang_b, D.DATE_MIN_WORD_OVERLAP, strong):
        return ()
    return tuple(found)


def test_entity_core_matches_plain() -> None:
    sentences: dict[str, None] = {}
    for article in cluster(12):
        for s in segment(article.text, "de"):
            if s.kind == "sentence":
                sentences[article.text[s.start : s.end]] = None
    texts = list(sentences)
    versions = [(t,) for t in texts] + [tuple(texts[k : k + 2]) for k in range(0, len(texts) - 1, 3)]
    nonempty = 0
    for a in versions:
        for b in versions:
            for strong in (False, True):
                got = D._entity_findings.__wrapped__(a, "de", b, "de", strong)
                assert got == _plain_entity_findings(a, "de", b, "de", strong)
                nonempty += bool(got)
    assert nonempty  # some pairs do dispute a name
