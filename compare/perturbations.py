"""The perturbation suite: plant one change in a seed and check it is flagged.

Each perturbation replaces one exact string of seed A (it must occur once) and says
which discrepancy type must be reported on the sentence that holds it. Controls change
only the form (copy, typography, equivalent number forms) and must raise nothing.
Used by the tests and pinned in the evaluation baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_390fca3d3418ce8e.txt"


@dataclass(frozen=True)
class Perturbation:
    name: str
    old: str
    new: str
    expected: str | None  # discrepancy type; None for a control that must raise nothing


PERTURBATIONS: tuple[Perturbation, ...] = (
    Perturbation("amount", "41,5 Millionen US-Dollar", "45 Millionen US-Dollar", "number"),
    Perturbation("percentage", "um 37 Prozent", "um 27 Prozent", "number"),
    Perturbation("scale word", "3,05 Milliarden US-Dollar erreicht", "3,05 Millionen US-Dollar erreicht", "number"),
    Perturbation("count", "141 Staaten", "114 Staaten", "number"),
    Perturbation("negation", "Es unterstützt die Ukraine zwar", "Es unterstützt die Ukraine nicht", "negation"),
    Perturbation("weekday", "wurde dann am Dienstag zunächst", "wurde dann am Mittwoch zunächst", "date"),
    Perturbation("city", "US-Außenminister bei seinem Empfang in Astana", "US-Außenminister bei seinem Empfang in Almaty", "entity"),
    Perturbation("company", "auch der US-Konzern Chevron beteiligt", "auch der US-Konzern ExxonMobil beteiligt", "entity"),
    Perturbation("quote wording", "sie wird nur noch stärker werden. Wir", "sie wird noch stärker werden. Wir", "quote"),
    Perturbation("quote speaker", "wettbewerbsfähiger wird“, so Tleuberdi", "wettbewerbsfähiger wird“, so Tokajew", "attribution"),
    Perturbation(
        "negation 2",
        "habe kein US-Außenminister zuvor so viel Wert",
        "habe jeder US-Außenminister zuvor so viel Wert",
        "negation",
    ),
)

CONTROLS: tuple[Perturbation, ...] = (
    Perturbation("identical copy", "", "", None),
    Perturbation("typography", "„Herzstück“", '"Herzstück"', None),
    Perturbation("equivalent number form", "41,5 Millionen US-Dollar", "41,5 Mio. US-Dollar", None),
    Perturbation("equivalent percent form", "37 Prozent", "37 %", None),
)


def apply(text: str, p: Perturbation) -> str:
    """The seed text with the one planted change (the old string must occur exactly once)."""
    if not p.old:
        return text
    if text.count(p.old) != 1:
        raise ValueError(f"perturbation {p.name!r}: {p.old!r} occurs {text.count(p.old)} times")
    return text.replace(p.old, p.new)
