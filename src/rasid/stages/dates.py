"""Finding date expressions and normalising them to ISO at the precision given.

Handles Gregorian and Levantine month names and both together ("3 مارس (آذار) 2017",
"فبراير/شباط"), Arabic-Indic digits (folded by the normaliser), ordinal day words
(الثاني عشر من فبراير), weekdays, and day-month dates without a year, whose year is inferred
from a reference date or from the weekday. Relative words (أمس، الجاري) resolve against the
publication date. Vocabulary lives in ``data/calendar.json``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from rasid.datafiles import load_json
from rasid.document import Document, Span
from rasid.normalize import fold, normalize


@dataclass(frozen=True)
class DateMatch:
    """A date expression: original span, ISO value, and what the text gave explicitly."""

    start: int
    end: int
    iso: str
    has_year: bool
    weekday: int | None
    relative: str | None  # "today", "yesterday" when the expression said so


@dataclass(frozen=True)
class _Grammar:
    pattern: re.Pattern[str]
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    ordinal_of: dict[str, int]
    today: frozenset[str]
    yesterday: frozenset[str]
    current: frozenset[str]
    name_heads: frozenset[str]  # مستشفى، شارع: "مستشفى 22 مايو" is a name


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    cal = load_json("calendar.json")
    month_of = {fold(w): int(m) for m, ws in cal["months"].items() for w in ws}
    weekday_of = {fold(w): int(d) for d, ws in cal["weekdays"].items() for w in ws}
    ordinal_of = {fold(w): int(n) for n, ws in cal["ordinals"].items() for w in ws}
    rel = cal["today_words"] + cal["yesterday_words"]
    month = _alt(month_of)
    p = (
        rf"(?:(?P<rel>{_alt(fold(w) for w in rel)})\s*[،,]?\s*)?"
        rf"(?:(?:يوم\s+)?(?P<wd>{_alt(weekday_of)})\s*[،,]?\s*)?"
        rf"(?:(?P<day>[0-3]?\d)|(?P<ord>{_alt(ordinal_of)}))\s*(?:من\s+(?:شهر\s+)?|شهر\s+|[-–/]\s*)?"
        rf"(?P<m1>{month})(?:\s*(?:[/(\-–]|\s)\s*(?P<m2>{month})\s*\)?)?"
        rf"(?:\s*[،,\-–/]?\s*(?:(?:من\s+)?(?:عام|سنة)\s+)?(?P<year>(?:19|20)\d\d)(?:(?!\d)|(?=\d{{1,2}}:\d\d)))?"
        rf"|(?:(?:شهر\s+)?(?P<mo>{month})(?:\s*[/(\-–]\s*(?P<mo2>{month})\s*\)?)?\s*[،,]?\s*"
        rf"(?:(?:من\s+)?(?:عام|سنة)\s+)?(?P<yo>(?:19|20)\d\d)(?:(?!\d)|(?=\d{{1,2}}:\d\d)))"
    )
    return _Grammar(re.compile(rf"(?<!\w)(?:{p})"), month_of, weekday_of, ordinal_of,
                    frozenset(fold(w) for w in cal["today_words"]),
                    frozenset(fold(w) for w in cal["yesterday_words"]),
                    frozenset(fold(w) for w in cal["current_month_words"]),
                    frozenset(fold(w) for w in cal.get("date_name_heads", ())))


def find_dates(text: str, reference: dt.date | None = None,
               context_years: tuple[int, ...] = ()) -> list[DateMatch]:
    """All explicit date expressions in ``text`` (original offsets)."""
    g = _grammar()
    nt = normalize(text)
    out: list[DateMatch] = []
    for m in g.pattern.finditer(nt.text):
        before = nt.text[:m.start()].split()[-1:]
        if before and before[0] in g.name_heads and not m.group("rel") and not m.group("wd"):
            continue  # "مستشفى 22 مايو", "شارع 26 سبتمبر": a name, not a time
        s, e = nt.to_original(m.start(), m.end())
        while e > s and text[e - 1].isspace():
            e -= 1
        if m.group("mo"):
            month = g.month_of[m.group("mo")]
            out.append(DateMatch(s, e, f"{int(m.group('yo')):04d}-{month:02d}", True, None, None))
            continue
        day = int(m.group("day")) if m.group("day") else g.ordinal_of[m.group("ord")]
        month = g.month_of[m.group("m1")]
        if not 1 <= day <= 31:
            continue
        wd = g.weekday_of.get(m.group("wd")) if m.group("wd") else None
        rel = None
        if m.group("rel"):
            rel = "today" if m.group("rel") in g.today else "yesterday"
        if m.group("year"):
            year = int(m.group("year"))
        else:
            year = infer_year(day, month, wd, reference, context_years)
            if year is None:
                continue
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        out.append(DateMatch(s, e, f"{year:04d}-{month:02d}-{day:02d}", bool(m.group("year")), wd, rel))
    return out


_NUMERIC = re.compile(r"(?<![\d/.-])(?:(?P<y1>(?:19|20)\d\d)[-/.](?P<m1>[01]?\d)[-/.](?P<d1>[0-3]?\d)"
                      r"|(?P<d2>[0-3]?\d)[-/.](?P<m2>[01]?\d)[-/.](?P<y2>(?:19|20)\d\d))(?![\d/.-]|\d)")


def find_numeric_dates(text: str) -> list[DateMatch]:
    """2019-05-12, 2019/5/12, 12/05/2019, 12.05.2019 (day first, as Arabic sites write it)."""
    nt = normalize(text)
    out = []
    for m in _NUMERIC.finditer(nt.text):
        y, mo, d = (m.group("y1"), m.group("m1"), m.group("d1")) if m.group("y1") else \
            (m.group("y2"), m.group("m2"), m.group("d2"))
        try:
            day = dt.date(int(y), int(mo), int(d))
        except ValueError:
            continue
        s, e = nt.to_original(m.start(), m.end())
        out.append(DateMatch(s, e, day.isoformat(), True, None, None))
    return out


def infer_year(day: int, month: int, weekday: int | None, reference: dt.date | None,
               context_years: tuple[int, ...]) -> int | None:
    """The year of a day-month date: the weekday decides among plausible years.

    Candidates are the reference year and its neighbours, and the years the article mentions
    and the one after each (a text mentioning 2019 events is often written in 2020).
    """
    cands: list[int] = []
    if reference:
        cands += [reference.year, reference.year - 1]
    for y in sorted(set(context_years), reverse=True):
        cands += [y, y + 1]
    cands = list(dict.fromkeys(cands))
    if not cands:
        return None
    if weekday is not None:
        for y in cands:
            try:
                if dt.date(y, month, day).weekday() == weekday:
                    return y
            except ValueError:
                continue
        return None
    if reference:
        y = reference.year
        return y if (month, day) <= (reference.month, reference.day) else y - 1
    return None


def years_mentioned(text: str) -> tuple[int, ...]:
    return tuple(int(y) for y in re.findall(r"(?<!\d)((?:19[89]|20[0-4])\d)(?!\d)", fold(text)))


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


_PARTS_OF_DAY = ("يوم", "مساء", "صباح", "فجر", "ليل", "ليلة", "ظهر", "عصر", "ظهيرة")
_PAST = ("الماضي", "المنصرم", "الفائت", "السابق")


@lru_cache(maxsize=1)
def _relative() -> tuple[re.Pattern[str], dict[str, tuple[str, int]], tuple[re.Pattern[str], ...]]:
    """Relative expressions, and three weekday patterns, most specific first: a weekday marked
    past (الأحد الماضي: the last one before the reference day), a weekday after a part of the
    day (يوم/مساء/فجر الخميس), and a bare weekday set off by commas, the wire-style "أعلن
    الجيش، الثلاثاء، …" (both: the latest one on or before the reference day)."""
    rel = load_json("calendar.json")["relative"]
    table = {fold(w): (unit, n) for unit, ws in rel.items() for w, n in ws.items()}
    pat = re.compile(rf"(?<!\w)(?:{_alt(table)})(?!\w)")
    g = _grammar()
    days = _alt(g.weekday_of)
    definite = _alt(w for w in g.weekday_of if w.startswith("ال"))
    parts = _alt(fold(w) for w in _PARTS_OF_DAY)
    not_a_date = rf"(?!\s*[،,]?\s*(?:[0-3]?\d|{_alt(g.ordinal_of)}))"
    past = re.compile(rf"(?<!\w)(?:(?:{parts})\s+)?({days})\s+(?:{_alt(fold(w) for w in _PAST)})(?!\w)")
    after_part = re.compile(rf"(?<!\w)(?:{parts})\s+({days})(?!\w){not_a_date}")
    between_commas = re.compile(rf"[،,]\s*({definite})(?=\s*[،,])")
    return pat, table, (past, after_part, between_commas)


def find_relative(text: str, reference: dt.date) -> list[DateMatch]:
    """أمس، الشهر الماضي، العام الجاري، يوم الخميس، الأحد الماضي … resolved against ``reference``."""
    pat, table, (past, after_part, between_commas) = _relative()
    nt = normalize(text)
    out = []
    for m in pat.finditer(nt.text):
        unit, n = table[m.group()]
        s, e = nt.to_original(m.start(), m.end())
        if unit == "day":
            iso = (reference + dt.timedelta(days=n)).isoformat()
        elif unit == "month":
            y, mo = divmod(reference.year * 12 + reference.month - 1 + n, 12)
            iso = f"{y:04d}-{mo + 1:02d}"
        else:
            iso = f"{reference.year + n:04d}"
        out.append(DateMatch(s, e, iso, False, None, unit))
    g = _grammar()
    taken: list[tuple[int, int]] = []
    for wd_pat, strictly_before in ((past, True), (after_part, False), (between_commas, False)):
        for m in wd_pat.finditer(nt.text):
            a, b = (m.start(), m.end()) if wd_pat is not between_commas else m.span(1)
            if any(a < e and s < b for s, e in taken):
                continue
            taken.append((a, b))
            day = g.weekday_of[m.group(1)]
            back = (reference.weekday() - day) % 7 or (7 if strictly_before else 0)
            s, e = nt.to_original(a, b)
            out.append(DateMatch(s, e, (reference - dt.timedelta(days=back)).isoformat(), False,
                                 day, "weekday"))
    return out


def dates_stage(doc: Document) -> Document:
    """Record every date expression, resolved against the publication date."""
    ref = parse_iso(doc.source.published)
    years = years_mentioned(doc.text)
    found = find_dates(doc.text, ref, years)
    if ref is not None:
        taken = [(d.start, d.end) for d in found]
        found += [r for r in find_relative(doc.text, ref)
                  if not any(s < r.end and r.start < e for s, e in taken)]
    found.sort(key=lambda d: d.start)
    doc.dates = [(Span(d.start, d.end, "DATE"), d.iso) for d in found]
    doc.provided.add("dates")
    return doc


dates_stage.requires = ("text", "source")  # type: ignore[attr-defined]
dates_stage.provides = ("dates",)  # type: ignore[attr-defined]
