"""Whether two dates can both be right: `dates_conflict`.

Two date facts of aligned sentences conflict when they cannot describe the same time:
different weekdays or clock times, values of one granularity (day, ISO week, month,
year) that differ, or intervals that do not overlap. Unknowable pairs ("vergangene Woche"
vs "am Donnerstag" without a publication date) give None. `dates` re-exports it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compare.facts.dates import DateFact


# Precompiled patterns of the hot helpers below (module-level `re.*(pattern, ...)` paid a
# cache lookup in `re._compile` per call).
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")


def _interval(value: str) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, granularity) of a value, or None when it is no calendar value."""
    try:
        if _DAY.fullmatch(value):
            d = dt.date.fromisoformat(value)
            return d, d, "day"
        if m := _WEEK.fullmatch(value):
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return first, first + dt.timedelta(days=6), "week"
        if m := _MONTH.fullmatch(value):
            y, mo = int(m[1]), int(m[2])
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1]), "month"
        if _YEAR.fullmatch(value):
            y = int(value)
            return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    except ValueError:
        return None
    return None


def _month_day(fact: DateFact) -> tuple[int, int | None] | None:
    """(month, day or None) from a partial, or from a day/month value."""
    if fact.partial:
        parts = fact.partial[2:].split("-")
        return int(parts[0]), (int(parts[1]) if len(parts) > 1 else None)
    if fact.value:
        iv = _interval(fact.value)
        if iv and iv[2] == "day":
            return iv[0].month, iv[0].day
        if iv and iv[2] == "month":
            return iv[0].month, None
    return None


def dates_conflict(a: DateFact, b: DateFact) -> bool | None:
    """True when two date facts cannot both be right, False when they agree, None when unknown.

    See the `dates` module docstring ("Comparison rules") for the exact rules.
    """
    if a.kind == "time" or b.kind == "time":
        if a.kind == b.kind == "time" and a.value and b.value:
            return a.value != b.value
        return None
    if a.weekday is not None and b.weekday is not None:
        if a.weekday != b.weekday:
            return True
        if not (a.value and b.value):
            return False
    ia = _interval(a.value) if a.value else None
    ib = _interval(b.value) if b.value else None
    if ia and ib:
        if ia[2] == ib[2]:
            return ia[:2] != ib[:2]
        if ia[1] < ib[0] or ib[1] < ia[0]:
            return True
        inside = (ia[0] >= ib[0] and ia[1] <= ib[1]) or (ib[0] >= ia[0] and ib[1] <= ia[1])
        return False if inside else None
    for wd_fact, iv in ((a, ib), (b, ia)):
        if wd_fact.weekday is not None and wd_fact.value is None:
            if iv and iv[2] == "day":
                return iv[0].weekday() != wd_fact.weekday
            return None
    if a.partial or b.partial:
        ma, mb = _month_day(a), _month_day(b)
        if ma is None or mb is None:
            return None
        if ma[0] != mb[0]:
            return True
        if ma[1] is not None and mb[1] is not None:
            return ma[1] != mb[1]
        return False
    return None
