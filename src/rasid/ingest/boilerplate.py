"""Separating the article from page furniture by classifying lines.

Each line of a scraped page is classified from lexicon cues (``data/boilerplate.json``: navigation,
"اقرأ أيضاً", widgets, donation appeals, captions) and layout cues (runs of short lines without
sentence punctuation = headline lists, trailing blocks of short lines after the last paragraph,
repeated short lines = captions). The body is built from the lines kept, so nothing is hidden:
the kept lines are the original characters.

Deliberately not done here: deciding which outlet or date a dropped line names (``metadata``),
which reads the same classification.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasid.datafiles import load_json
from rasid.normalize import fold

_TERMINAL = re.compile(r"(?:[.!؟?…:])[\"»”')]*\s*$")
_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)
_NUMBER_OR_TIME = re.compile(r"^\s*[\d٠-٩:.,/\s-]+\s*$")
_SYMBOLS = re.compile(r"^[\W_\d\s]*$")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Lexicon:
    nav: frozenset[str]
    prefixes: tuple[str, ...]
    inline_read_also: tuple[str, ...]
    donation: tuple[str, ...]
    footer: tuple[str, ...]
    caption_suffixes: tuple[str, ...]
    caption_prefixes: tuple[str, ...]
    credits: tuple[str, ...]
    site_words: tuple[str, ...]
    view_words: frozenset[str]
    section_headers: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    bp = load_json("boilerplate.json")
    f = lambda xs: tuple(sorted({_key(x) for x in xs}, key=len, reverse=True))  # noqa: E731
    return Lexicon(
        nav=frozenset(_key(x) for x in bp["nav_lines"]),
        prefixes=f(bp["line_prefixes"]), inline_read_also=f(bp["inline_read_also"]),
        donation=f(bp["donation_markers"]), footer=f(bp["footer_markers"]),
        caption_suffixes=f(bp["caption_suffixes"]), caption_prefixes=f(bp["caption_prefixes"]),
        credits=f(bp["photo_credit_agencies"]), site_words=f(bp["site_type_words"]),
        view_words=frozenset(_key(x) for x in bp["view_counter_words"]),
        section_headers=frozenset(_key(x) for x in bp["section_headers"]),
    )


def _key(s: str) -> str:
    """Lexicon/line key: folded, punctuation squeezed to single spaces, no emoji."""
    s = fold(s)
    s = re.sub(r"[^\w\s()©]", " ", s)
    return " ".join(s.split())


@dataclass
class Line:
    """A line of the page with its classification; ``text`` is the original line."""

    index: int
    text: str
    key: str
    words: int
    kind: str = "body"  # body | blank | title | nav | headline | widget | caption | meta | footer | dup
    edited: str | None = None  # the line with inline boilerplate cut out, when that happened

    @property
    def kept(self) -> str:
        return self.edited if self.edited is not None else self.text.strip()


@dataclass
class Classified:
    lines: list[Line]
    title_index: int | None = None

    def body_lines(self) -> list[Line]:
        return [ln for ln in self.lines if ln.kind == "body"]


def is_paragraph(line: Line) -> bool:
    """A line that reads as running prose, not furniture."""
    return line.words >= 25 or (line.words >= 8 and bool(_TERMINAL.search(line.text)))


def line_kind(line: Line) -> str | None:
    """Lexicon-level class of one line, independent of its neighbours (None = no opinion)."""
    lex = lexicon()
    k = line.key
    raw = line.text.strip()
    if not k and _SYMBOLS.match(raw):
        return "widget"
    if k in lex.nav or k.rstrip(" :") in lex.nav:
        return "nav"
    if _URL.match(raw) or _NUMBER_OR_TIME.match(raw):
        return "meta"
    if any(k.startswith(p) for p in lex.prefixes):
        return "widget"
    words = k.split()
    if words and len(words) <= 3 and words[-1] in lex.view_words and all(
            w.isdigit() or w in lex.view_words for w in words):
        return "meta"
    if _SYMBOLS.match(raw.replace("(", "").replace(")", "")):
        return "widget"
    if line.words <= 14 and (any(k.startswith(p) for p in lex.caption_prefixes)
                             or _caption_suffix(k, lex)):
        return "caption"
    if line.words <= 12 and any(m in k for m in lex.donation):
        return "footer"
    return None


def _caption_suffix(k: str, lex: Lexicon) -> bool:
    tail = k.rstrip(" )")
    if any(tail.endswith(s) for s in lex.caption_suffixes):
        return True
    m = re.search(r"\(([^()]{1,30})\)\s*$", k)
    return bool(m) and any(m.group(1).strip() == c for c in lex.credits)


def classify(text: str) -> Classified:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [Line(i, t, _key(t), len(_WORDS.findall(t)), "blank" if not t.strip() else "body")
             for i, t in enumerate(raw_lines)]
    content = [ln for ln in lines if ln.kind != "blank"]
    for ln in content:
        kind = line_kind(ln)
        if kind:
            ln.kind = kind
    paras = [ln.index for ln in content if ln.kind == "body" and is_paragraph(ln)]
    first_para = paras[0] if paras else (content[-1].index + 1 if content else 0)
    last_para = paras[-1] if paras else -1
    _mark_headline_runs(lines, first_para, last_para)
    title = _pick_title(lines, first_para)
    for ln in lines:  # header: short lines before the first paragraph are page furniture
        if ln.index < first_para and ln.kind == "body" and ln.index != title:
            ln.kind = "meta"
    _mark_footer(lines, last_para)
    _mark_trailing_sections(lines, first_para)
    _mark_repeats(lines, title)
    for ln in lines:
        if ln.kind == "body":
            edited = _cut_inline_read_also(ln.text.strip())
            if edited != ln.text.strip():
                ln.edited = edited
                if not edited.strip():
                    ln.kind = "widget"
    c = Classified(lines, title)
    if title is not None:
        lines[title].kind = "title"
    return c


def _mark_headline_runs(lines: list[Line], first_para: int, last_para: int) -> None:
    """Three or more adjacent short unpunctuated lines outside the prose are a headline list."""
    run: list[Line] = []

    def flush() -> None:
        if len(run) >= 3:
            for r in run:
                r.kind = "headline"
        run.clear()

    for ln in lines:
        outside = ln.index < first_para or ln.index > last_para
        short = ln.kind in ("body", "nav") and 5 <= ln.words <= 20 and not is_paragraph(ln)
        if outside and short and not re.search(r"[.!]\s*$", ln.text):
            run.append(ln)
        else:
            flush()
    flush()


def _pick_title(lines: list[Line], first_para: int) -> int | None:
    """The headline among the short lines before the first paragraph.

    A line in Arabic script (not a language switcher "English | Türkçe"); first choice a block of
    its own between blank lines of five words or more, then any line of six or more, so that a
    menu item ("أخبار العالم العربي" in a list of sections) or a breadcrumb ("العالم العربي،
    سوريا") is not taken for it; else a block of its own, else the first candidate."""
    cands = [ln for ln in lines[:first_para] if ln.kind == "body" and 3 <= ln.words <= 30
             and _arabic_share(ln.text) >= 0.6]
    if not cands:
        return None

    def alone(ln: Line) -> bool:
        before = lines[ln.index - 1].kind == "blank" if ln.index > 0 else True
        after = lines[ln.index + 1].kind == "blank" if ln.index + 1 < len(lines) else True
        return before and after

    for ok in (lambda ln: alone(ln) and ln.words >= 5, lambda ln: ln.words >= 6, alone):
        best = next((ln for ln in cands if ok(ln)), None)
        if best is not None:
            return best.index
    return cands[0].index


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum("\u0600" <= c <= "\u06ff" for c in letters) / len(letters) if letters else 0.0


def _mark_footer(lines: list[Line], last_para: int) -> None:
    """The trailing block of short lines goes when it holds a footer cue.

    The block is every non-blank line after the last paragraph, extended backwards over short
    lines (fewer than 15 words), so an appeal written as a sentence ("الإعلام الموجّه يشوه
    الحقيقة..") goes with the donation banner it belongs to.
    """
    lex = lexicon()
    content = [ln for ln in lines if ln.kind != "blank"]
    start = len(content)
    while start > 0 and (content[start - 1].index > last_para or content[start - 1].words < 15):
        start -= 1
    tail = content[start:]
    if not tail or len(tail) == len(content):
        return
    cue = any(ln.kind in ("footer", "widget", "nav", "meta", "headline") or any(
        m in ln.key for m in lex.footer) or _site_name_line(ln) for ln in tail)
    if cue:
        for ln in tail:
            if ln.kind == "body":
                ln.kind = "footer"


def _mark_trailing_sections(lines: list[Line], first_para: int) -> None:
    """From a section header after the prose ("الأخبار ذات الصلة", "شارك هذا الخبر") to the end,
    when no long paragraph follows it: headlines, share buttons and a subscription notice that
    reads like a sentence ("يتم نشر جزء من الأخبار … للمشتركين") are not the article. A header
    with the article going on after it (two paragraphs or more, or a long one) takes only its
    own short lines with it."""
    headers = lexicon().section_headers
    for pos, ln in enumerate(lines):
        if ln.index <= first_para or ln.kind == "blank" or ln.key.rstrip(" :") not in headers:
            continue
        rest = lines[pos:]
        if sum(1 for r in rest if r.kind == "body" and is_paragraph(r)) >= 2 or any(r.words >= 40 for r in rest):
            # inside the article: the header and the short lines under it ("قصص ذات صلة" and
            # two headlines between paragraphs), up to the next paragraph
            ln.kind = "widget"
            for r in rest[1:]:
                if r.kind == "blank" or is_paragraph(r):
                    break
                r.kind = "widget"
            continue
        for r in rest:
            if r.kind != "blank":
                r.kind = "footer"
        return


def _site_name_line(ln: Line) -> bool:
    from rasid.ingest.outlets import outlet_for_line  # the outlet list lives with metadata
    words = ln.key.split()
    return bool(words) and (words[0] in lexicon().site_words or outlet_for_line(ln.text) is not None)


def _mark_repeats(lines: list[Line], title: int | None) -> None:
    """A short line that repeats the title or an adjacent short line is a repeated caption."""
    seen_title = lines[title].key if title is not None else None
    prev: Line | None = None
    for ln in lines:
        if ln.kind == "blank":
            continue
        if ln.kind == "body" and not is_paragraph(ln):
            if seen_title and ln.key == seen_title and ln.index != title:
                ln.kind = "dup"
            elif prev is not None and prev.key == ln.key and prev.kind in ("body", "caption", "dup"):
                ln.kind = prev.kind = "caption"
        prev = ln


def _cut_inline_read_also(line: str) -> str:
    """Remove ``(اقرأ أيضًا: …)`` parentheticals that sites insert into paragraphs."""
    lex = lexicon()
    out, pos = [], 0
    for m in re.finditer(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", line):
        inner = _key(m.group(1))
        if any(inner.startswith(p) for p in lex.inline_read_also):
            out.append(line[pos:m.start()].rstrip())
            pos = m.end()
            if pos < len(line) and line[pos] == ".":
                pos += 1
    out.append(line[pos:])
    return " ".join(p for p in out if p).strip() if len(out) > 1 else line
