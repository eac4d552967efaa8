"""Benchmark story clusters: the two seeds plus planted variants of them.

Variants mimic how outlets rewrite agency copy: paragraphs dropped and reordered,
figures and weekdays changed, so every variant has sentences the others lack.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from compare.ingest import load_articles
from compare.model import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]


def _perturb_numbers(paragraph: str, rng: random.Random) -> str:
    def bump(match: re.Match[str]) -> str:
        value = int(match.group())
        return str(value + rng.randint(1, 9)) if rng.random() < 0.5 else match.group()

    return re.sub(r"(?<![\d,.])\d{2,3}(?![\d,.])", bump, paragraph)


def _swap_weekday(paragraph: str, rng: random.Random) -> str:
    day = rng.choice(WEEKDAYS)
    return re.sub("|".join(WEEKDAYS), day, paragraph) if rng.random() < 0.5 else paragraph


def make_variant(base: Article, index: int, seed: int = 0) -> Article:
    """A rewritten copy of `base`: 60-90% of its paragraphs, reordered, some facts changed."""
    rng = random.Random(seed * 1000 + index)
    paragraphs = [p for p in base.text.split("\n") if p.strip()]
    keep = max(3, int(len(paragraphs) * rng.uniform(0.6, 0.9)))
    chosen = sorted(rng.sample(range(len(paragraphs)), keep))
    if rng.random() < 0.5:
        head, tail = chosen[:2], chosen[2:]
        rng.shuffle(tail)
        chosen = head + tail
    text = "\n".join(_swap_weekday(_perturb_numbers(paragraphs[i], rng), rng) for i in chosen)
    return Article(id=f"{base.id}-v{index:02d}", text=text, title=base.title, source=f"Outlet {index}", language=base.language)


def cluster(size: int) -> list[Article]:
    """The seeds followed by `size - 2` variants, alternating between the two seeds."""
    seeds = load_articles(SEEDS)
    variants = [make_variant(seeds[i % len(seeds)], i) for i in range(max(0, size - len(seeds)))]
    return seeds + variants
