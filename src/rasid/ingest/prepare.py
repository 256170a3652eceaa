"""From a ``RawArticle`` to a clean ``Document``: main content, body, title, outlet, date.

HTML goes through trafilatura (main-content extraction plus its metadata); the text, scraped
or extracted, then goes through line classification (``boilerplate``). The record's text is the
title line, a blank line, then the kept body lines in their order, each with its original
characters; adjacent kept lines stay adjacent (single newline), others are separated by a
blank line.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

from rasid.document import Document, Source
from rasid.errors import EmptyInputError, NotArabicError
from rasid.ingest.boilerplate import Classified, classify
from rasid.ingest.outlets import detect_outlet, guess_outlet, outlet_by_name, site_named
from rasid.ingest.readers import RawArticle
from rasid.stages.dates import find_dates, find_numeric_dates, parse_iso, years_mentioned

log = logging.getLogger(__name__)


def prepare(raw: RawArticle) -> Document:
    """Clean one article; raises ``EmptyInputError`` when no body is left."""
    text, meta = raw.text, {}
    if raw.fmt == "html":
        text, meta = _from_html(raw.text, raw.url)
    _check_arabic(text, raw.path or raw.id)
    cls = classify(text)
    title_line = cls.lines[cls.title_index].text.strip() if cls.title_index is not None else None
    title = raw.title or meta.get("title") or title_line
    body = _compose(cls)
    if not body.strip():
        raise EmptyInputError("no article text left after removing page furniture",
                              source=raw.path or raw.id)
    full = title.strip() + "\n\n" + body if title else body
    url = raw.url or meta.get("url")
    page_lines = [(ln.kind, ln.text) for ln in cls.lines if ln.kind != "blank"]
    named = raw.outlet or meta.get("sitename")
    outlet = outlet_by_name(named)
    if outlet is None:
        # the page's own structure first (URL, masthead, byline, donation line), known outlet or
        # not: a site is not overruled by a wire its text cites ("قال … لوكالة رويترز")
        outlet = detect_outlet(page_lines, full, url, text_votes=False) or (
            site_named(named) if named else guess_outlet(page_lines, full))
    if outlet is None:
        outlet = detect_outlet(page_lines, full, url)
    outlet_name = outlet.name if outlet else (raw.outlet or meta.get("sitename"))
    published = _iso(raw.published) or _iso(meta.get("date")) or published_from_page(cls, full)
    src = Source(path=raw.path, url=url, outlet=outlet_name, title=title,
                 published=published, outlet_id=outlet.id if outlet else None)
    return Document(raw.id, full, src, raw=raw.text)


_LETTERS = re.compile(r"[^\W\d_]")
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")


def _check_arabic(text: str, source: str) -> None:
    """rasid reads Arabic news; other text is rejected with a reason instead of yielding noise."""
    sample = text[:20000]
    letters = len(_LETTERS.findall(sample))
    if letters >= 200 and len(_ARABIC.findall(sample)) < 0.2 * letters:
        raise NotArabicError(f"not Arabic text ({100 * len(_ARABIC.findall(sample)) // letters}% Arabic letters)",
                             source=source)


def _compose(cls: Classified) -> str:
    parts: list[str] = []
    prev_kept = False
    for ln in cls.lines:
        if ln.kind != "body":
            prev_kept = False
            continue
        line = ln.kept
        if parts:
            parts.append("\n" if prev_kept else "\n\n")
        parts.append(line)
        prev_kept = True
    return "".join(parts)


def _from_html(html: str, url: str | None) -> tuple[str, dict]:
    import trafilatura  # imported here: HTML is the less common input and the import is slow
    from lxml import etree

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as err:  # malformed or absurdly nested
        log.warning("main-content extraction failed (%s); falling back to visible text", err)
        doc = None
    if doc is None or not (doc.text or "").strip():
        text = re.sub(r"<[^>]+>", "\n", html)  # last resort: visible text, lines kept
        return text, {}
    meta = {"title": doc.title, "date": doc.date, "sitename": doc.sitename, "url": doc.url or url}
    text = doc.text
    if doc.title and not text.lstrip().startswith(doc.title):
        text = doc.title + "\n\n" + text
    return text, {k: v for k, v in meta.items() if v}


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    found = find_dates(value)
    return found[0].iso if found else None


# a clock time or a Hijri date makes a longer header line a date line:
# "الإثنين، 16 شوال 1438 هـ - 10 يوليو 2017 04:12 م بتوقيت غرينتش"
_DATELINE_EXTRAS = re.compile(r"\d{1,2}:\d{2}|\sهـ")


def published_from_page(cls: Classified, body: str) -> str | None:
    """The publication date the page states: a dated header line, else "اليوم، …" in the text."""
    first_body = next((ln.index for ln in cls.lines if ln.kind == "body"), len(cls.lines))
    years = years_mentioned(body)
    for ln in cls.lines:
        if ln.index >= first_body:
            break
        if ln.kind in ("meta", "nav", "title", "widget") and (
                ln.words <= 12 or (ln.words <= 18 and _DATELINE_EXTRAS.search(ln.text))):
            for d in find_dates(ln.text, None, years) + find_numeric_dates(ln.text):
                if d.has_year and len(d.iso) == 10:
                    return d.iso
            # "GMT 14:32 2017 الثلاثاء 17 أكتوبر": the year before the weekday, which confirms it
            line_years = years_mentioned(ln.text)
            for d in find_dates(ln.text, None, line_years) if line_years else ():
                if d.weekday is not None and len(d.iso) == 10 and int(d.iso[:4]) in line_years:
                    return d.iso
    for d in find_dates(body, None, years):
        if d.relative == "today" and len(d.iso) == 10:
            return d.iso
        if d.relative == "yesterday" and len(d.iso) == 10:
            day = parse_iso(d.iso)
            if day:
                return (day + dt.timedelta(days=1)).isoformat()
    return None
