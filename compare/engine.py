"""The comparison pipeline: segment -> embed -> align -> result, one function call.

`compare_articles` is the typed entry point (the trafilatura `extract` pattern); the
CLI, the Streamlit app and batch export all call it, with models injected or obtained
from the cached factory.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from compare.align import AlignedGroup, AlignInputs, AlignSettings, PairFeatures, group_features, pair_features
from compare.background import background_embedding
from compare.embed import Embedder, get_embedder
from compare.errors import InputError
from compare.facts.discrepancies import find_discrepancies, mark_conflicts
from compare.facts.nli import ContradictionScorer, get_nli_scorer, nli_discrepancies
from compare.facts.quote_groups import group_linked_quotes
from compare.facts.quote_links import collect_quotes, link_quotes
from compare.facts.quotes import analyse_quotes
from compare.facts.reported import collect_reported
from compare.facts.speaker_groups import regroup_by_speaker, split_by_speaker
from compare.keyterms import key_terms, term_overlap
from compare.labels import article_label
from compare.model import Article, ArticleResult, Comparison, Group, Sentence
from compare.options import CompareOptions
from compare.segment import segment

logger = logging.getLogger(__name__)

MIN_ARTICLES = 2
MAX_ARTICLES = 50

Progress = Callable[[str], None]


def segment_article(article: Article, label: str) -> list[Sentence]:
    """Sentences of one article with citation ids "<label><1-based index>"; a title taken
    from the text (`title_span`) is a heading, never a claim."""
    return [
        Sentence(
            id=f"{label}{i + 1}",
            article=article.id,
            index=i,
            start=seg.start,
            end=seg.end,
            text=article.text[seg.start : seg.end],
            kind=seg.kind,
        )
        for i, seg in enumerate(segment(article.text, article.language, [article.title_span] if article.title_span else ()))
    ]


def _is_title(article: Article, sentence: Sentence) -> bool:
    """Whether `sentence` is the heading that holds the article's title line (`title_span`)."""
    span = article.title_span
    return span is not None and sentence.kind == "heading" and sentence.start <= span[0] and span[1] <= sentence.end


def warm_up(languages: Sequence[str] = ("de", "en", "fr"), embedders: Sequence[Embedder] = ()) -> None:
    """Load the lexicons and rule tables (word frequencies, locale data, segmenters) now,
    and embed the background sentences with the given embedders (kept in the disk cache).

    Each costs a fraction of a second to a second once per process (the background once
    per model and cache); a long-running app or a batch worker calls this at start, like
    loading a model, so the first comparison does not pay for it. Results are identical
    either way.

    Last, everything alive then (models, lexicons, tables: kept for the process's life) is
    moved out of the garbage collector's reach (`gc.freeze`): a comparison allocates enough
    to trigger full collections, and each one walked those long-lived objects again, about
    0.1 s a time for 50 articles.
    """
    for embedder in embedders:
        background_embedding(embedder, languages)
    from compare.facts.dates import extract_dates
    from compare.facts.entities import extract_entities, same_entity
    from compare.facts.numbers import extract_numbers
    from compare.facts.quotes import extract_quotes

    sample = {"de": "„Es ist gut“, sagte Lu am Dienstag über 41,5 Millionen US-Dollar.",
              "en": "\"It is good,\" Lu said on Tuesday about $41.5 million.",
              "fr": "« C'est bien », a dit Lu mardi à propos de 41,5 millions de dollars."}
    for language in languages:
        text = sample.get(language, sample["en"])
        segment(text, language)
        extract_numbers(text, language)
        extract_quotes(text, language)
        extract_dates(text, language)
        extract_entities(text, language)
        key_terms(text, language)
    # the alias table (countries, places, organisations) that name matching in the
    # discrepancy checks reads; the samples above do not reach it
    same_entity("Tokajew", "Tokayev")
    gc.collect()  # what is garbage now is collected, not frozen
    gc.freeze()


def _check_articles(articles: Sequence[Article]) -> None:
    if len(articles) < MIN_ARTICLES:
        raise InputError(f"need at least {MIN_ARTICLES} articles to compare, got {len(articles)}")
    if len(articles) > MAX_ARTICLES:
        raise InputError(f"at most {MAX_ARTICLES} articles per comparison, got {len(articles)}; use `parallax batch` for archives")
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise InputError("article ids must be unique: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    for a in articles:
        if not a.text.strip():
            raise InputError(f"article {a.id!r} has no text")


def embed_distinct(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors for `texts`, embedding each distinct text once (clusters repeat most sentences)."""
    distinct = list(dict.fromkeys(texts))
    vectors = embedder.embed(distinct)
    if len(distinct) == len(texts):
        return vectors
    row = {t: i for i, t in enumerate(distinct)}
    return vectors[[row[t] for t in texts]]


def text_features(
    texts: Sequence[str],
    article_of: np.ndarray,
    languages: Sequence[str | None],
    embedder: Embedder,
    settings: AlignSettings,
    support: Embedder | None = None,
    eligible: np.ndarray | None = None,
    note: Progress | None = None,
) -> PairFeatures:
    """Embed sentences (each distinct text once; the background set once per process) and
    compute the candidate pairs' features: the shared first half of `align_texts` and of
    the pair model's refit (`compare.alignfit`)."""
    note = note or (lambda message: logger.info("%s", message))
    note(f"embedding {len(texts)} sentences with {embedder.name}")
    vectors = embed_distinct(embedder, texts) if texts else np.zeros((0, 1), np.float32)
    background_vectors = background_embedding(embedder, languages)
    support_vectors = support_background = None
    if support is not None and texts:
        note(f"second opinion from {support.name}")
        support_vectors = embed_distinct(support, texts)
        support_background = background_embedding(support, languages)
    note("aligning")
    overlap = None
    if len(set(languages)) > 1 or None in languages:
        # Key terms only count across languages (see keyterms.term_overlap); skip the work otherwise.
        overlap = term_overlap([key_terms(t, lang) for t, lang in zip(texts, languages)], languages)
    lengths = np.array([len(t) for t in texts], dtype=np.float64)
    inputs = AlignInputs(
        vectors, np.asarray(article_of), overlap, eligible, support_vectors, background_vectors, support_background, lengths
    )
    return pair_features(inputs, settings)


def align_texts(
    texts: Sequence[str],
    article_of: np.ndarray,
    languages: Sequence[str | None],
    embedder: Embedder,
    settings: AlignSettings,
    support: Embedder | None = None,
    eligible: np.ndarray | None = None,
    note: Progress | None = None,
) -> list[AlignedGroup]:
    """Embed, score and group sentences: the alignment step of `compare_articles`, also used
    as-is by the evaluation gate on pre-segmented text."""
    features = text_features(texts, article_of, languages, embedder, settings, support, eligible, note)
    return group_features(features, article_of, settings, support is not None)


def _pair_score(features: PairFeatures, sentences: Sequence[Sentence]) -> Callable[[str, str], float]:
    """The alignment score (margin + key-term bonus, as groups carry it) of two aligned
    sentences, by id: for groups formed after alignment, from the same matrix."""
    row = {s.id: i for i, s in enumerate(sentences)}
    context = features.context

    def score(a: str, b: str) -> float:
        if context is None or a not in row or b not in row:
            return 0.0
        value = float(context.score[row[a], row[b]])
        return value if np.isfinite(value) else 0.0

    return score


def compare_articles(
    articles: Sequence[Article],
    options: CompareOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    support: Embedder | None = None,
    nli: ContradictionScorer | None = None,
) -> Comparison:
    """Align the sentences of 2-50 articles into shared facts and unique sentences.

    Models are injected (`embedder`, `support`, `nli`) or taken from the cached factories
    by the specs in `options`; a given `support` is only used when options.support is
    set, a given `nli` scorer only when options.nli is.
    """
    options = options or CompareOptions()
    _check_articles(articles)
    note = progress or (lambda message: logger.info("%s", message))
    embedder = embedder or get_embedder(options.embedder, cache=options.cache)
    if options.support and options.support != "none":
        support = support or get_embedder(options.support, cache=options.cache)
    else:
        support = None
    # Built (not loaded) before the slow steps, so a bad spec fails at once.
    scorer = None
    if options.nli and options.nli.strip().lower() != "none":
        scorer = nli or get_nli_scorer(options.nli)

    note(f"segmenting {len(articles)} articles")
    results = [ArticleResult(a, article_label(i), segment_article(a, article_label(i))) for i, a in enumerate(articles)]
    # A title line stays out of the alignment altogether (not only unlinkable): a headline
    # restates the lead, and as a neighbour it would lower the lead's margin to its true partner.
    sentences = [s for r in results for s in r.sentences if not _is_title(r.article, s)]
    position = {r.article.id: i for i, r in enumerate(results)}
    article_of = np.array([position[s.article] for s in sentences], dtype=np.int64)
    language = {a.id: a.language for a in articles}
    settings = AlignSettings(neighbours=options.neighbours, term_weight=options.term_weight, strictness=options.strictness)
    features = text_features(
        [s.text for s in sentences],
        article_of,
        [language[s.article] for s in sentences],
        embedder,
        settings,
        support,
        eligible=np.array([s.kind == "sentence" for s in sentences], dtype=bool),
        note=note,
    )
    aligned = group_features(features, article_of, settings, support is not None)

    groups: list[Group] = []
    grouped: set[str] = set()
    for n, g in enumerate(aligned, start=1):
        member_ids = [sentences[i].id for i in g.members]
        grouped.update(member_ids)
        article_ids = list(dict.fromkeys(sentences[i].article for i in g.members))
        groups.append(
            Group(id=f"G{n}", sentences=member_ids, articles=article_ids, score=g.score, probability=g.probability)
        )

    unique = {
        r.article.id: [s.id for s in r.sentences if s.kind == "sentence" and s.id not in grouped] for r in results
    }
    comparison = Comparison(articles=results, groups=groups, unique=unique)
    note("checking facts and quotes")
    # one quotation analysis (quotes, registry of persons) per article serves quotes and reported speech
    analyses = [analyse_quotes(r.article.text, r.article.language) for r in comparison.articles]
    quotes = collect_quotes(comparison, analyses)
    links = link_quotes(quotes, embedder)
    reported = collect_reported(comparison, analyses)
    regroup_by_speaker(comparison, quotes, links)
    split_by_speaker(comparison, quotes, links, reported)
    pair_score = _pair_score(features, sentences)
    group_linked_quotes(comparison, quotes, links, pair_score)
    discrepancies = find_discrepancies(comparison, quotes, links, pair_score)
    if scorer is not None:
        note(f"scoring aligned pairs for contradiction with {scorer.name}")
        discrepancies += nli_discrepancies(comparison, scorer, options.nli_threshold, discrepancies)
    mark_conflicts(groups, discrepancies)
    comparison.quotes = [q.to_dict() for q in quotes]
    comparison.quote_links = [link.to_dict() for link in links]
    comparison.reported_speech = [r.to_dict() for r in reported]
    comparison.discrepancies = [d.to_dict() for d in discrepancies]
    comparison.settings = {
        **options.to_dict(),
        "embedder_model": embedder.name,
        "support_model": support.name if support is not None else None,
        "nli_model": scorer.name if scorer is not None else None,
    }
    logger.info("compared %d articles: %d groups, %d discrepancies", len(articles), len(groups), len(discrepancies))
    return comparison


def compare_files(
    paths: Sequence[str | Path],
    options: CompareOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Load the files (any supported format) and compare their articles."""
    from compare.ingest import load_articles

    return compare_articles(load_articles(paths), options, embedder, progress)
