"""Recognising the outlet that published a page, from ``data/outlets.json``.

Evidence is weighed, strongest first: the page's URL or a URL printed in it, a donation banner
("ادعم عنب بلدي"), a line that is just the site's name or a byline starting with it, and the
outlet addressed in the text as the one the speaker talked to ("في تصريح لأورينت نت",
"لـ "أنا برس""). An interview given to another paper ("في حوار مع صحيفة …") is not evidence.
Names that are also ordinary words (marked ``ambiguous``) count only from structural cues.

No list knows every outlet. When none is recognised, ``guess_outlet`` reads the page's own
structure: a byline "X - خاص" (or متابعات/تقارير/وكالات), the site name as the page's first
line, and X again in a photo credit ("- X (أرشيف)") or addressed in the text ("مراسل X",
"لX"). Two independent cues name the outlet; a byline alone, whose form is unambiguous, is
enough.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

from rasid.datafiles import load_json
from rasid.normalize import fold

_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s\"'<>()]+", re.I)
_ADDRESS_CUES = ("قال", "اكد", "اوضح", "يوضح", "كشف", "يكشف", "يكشفها", "تحدث", "يتحدث", "صرح",
                 "في تصريح", "في تصريحات", "في حديث", "في حديثه", "في حوار", "تصريح خاص", "خاص",
                 "مراسل", "مراسله", "لمراسل", "مراسلو")


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    name_en: str
    ambiguous: bool
    domains: tuple[str, ...]
    social: bool = False  # a platform (تويتر): a publisher only by URL, never by a share button


@dataclass(frozen=True)
class _Index:
    by_alias: dict[str, Outlet]
    by_domain: dict[str, Outlet]
    alias_pattern: re.Pattern[str]


def _k(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(s)).split())


@lru_cache(maxsize=1)
def _index() -> _Index:
    by_alias: dict[str, Outlet] = {}
    by_domain: dict[str, Outlet] = {}
    for e in load_json("outlets.json")["entries"]:
        o = Outlet(e["id"], e["name"], e.get("name_en") or "", bool(e.get("ambiguous")),
                   tuple(e.get("domains") or ()), e.get("kind") == "social")
        for a in [e["name"], *e.get("aliases", [])]:
            by_alias.setdefault(_k(a), o)
        for d in o.domains:
            by_domain[d.lower()] = o
    alt = "|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True) if a)
    return _Index(by_alias, by_domain, re.compile(rf"(?<!\w)(?:ل\s?[\"“”«]?)?({alt})(?!\w)"))


def outlets() -> list[Outlet]:
    return list({o.id: o for o in _index().by_alias.values()}.values())


@lru_cache(maxsize=1)
def _site_words() -> frozenset[str]:
    """Words for a kind of site (موقع، قناة، بوابة …) that may open a masthead."""
    return frozenset(_k(w) for w in load_json("boilerplate.json")["site_type_words"])


@lru_cache(maxsize=None)
def names_of_outlet(outlet_id: str) -> tuple[str, ...]:
    """Every name (folded, punctuation removed) the list gives an outlet, longest first."""
    return tuple(sorted({a for a, o in _index().by_alias.items() if o.id == outlet_id and a}, key=len, reverse=True))


def outlet_by_name(name: str | None) -> Outlet | None:
    return _index().by_alias.get(_k(name)) if name else None


def outlet_from_url(url: str | None) -> Outlet | None:
    if not url:
        return None
    parsed = urlparse(url if "//" in url else "//" + url)
    host = (parsed.hostname or "").lower().removeprefix("www.")
    path = parsed.path.lower()
    idx = _index()
    for dom, o in idx.by_domain.items():
        d_host, _, d_path = dom.partition("/")
        if (host == d_host or host.endswith("." + d_host)) and path.lstrip("/").startswith(d_path):
            return o
    return None


def outlet_for_line(line: str) -> Outlet | None:
    """A line that names a site and little else: the site name line or a byline."""
    k = _k(line)
    idx = _index()
    if k in idx.by_alias:
        return idx.by_alias[k]
    words = k.split()
    for n in (3, 2, 1):
        if len(words) > n and " ".join(words[:n]) in idx.by_alias and len(words) <= n + 6:
            rest = " ".join(words[n:])
            o = idx.by_alias[" ".join(words[:n])]
            # a byline: "سنا تقارير 13 فبراير"، "تلفزيون سوريا - إدلب"، "عنب بلدي | خاص"
            separated = bool(re.match(r"\s*[-–—|:/]", fold(line).split(o.name and fold(o.name))[-1])) \
                if fold(o.name) in fold(line) else False
            if re.search(r"\d", rest) or rest.split()[0] in ("تقارير", "خاص", "متابعات", "اخبار") or \
                    (separated and len(words) <= n + 3):
                return o
    return None


_BYLINE = re.compile(r"^(?P<name>[^\d|:،,.\-–—/]{2,40}?)\s*[-–—|/]\s*(?:خاص|متابعات|تقارير|وكالات)$")
_NAME = re.compile(r"^[\w\s]+$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 .'&-]{1,40}$")


@lru_cache(maxsize=1)
def _menu_words() -> frozenset[str]:
    """Navigation and section entries (boilerplate.json): a first line that is one of them is
    a menu, not the site's name."""
    bp = load_json("boilerplate.json")
    return frozenset(_k(x) for x in bp["nav_lines"] + bp.get("section_names", []))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from rasid.stages.gazetteer import gazetteer  # (the stages import ingest, not the reverse)

    return gazetteer().common


def _k_keep_dash(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s\-–—(]", " ", fold(s)).split())


def _site_name(text: str) -> str | None:
    """``text`` if it can be a site's name: 1–4 words of letters, no date, no menu word."""
    from rasid.stages.gazetteer import gazetteer  # a dateline "إدلب - خاص" names a place

    name = text.strip().strip("\"'«»“”")
    k = _k(name)
    if not name or not _NAME.match(name) or not 1 <= len(k.split()) <= 4 or k in _menu_words() \
            or re.search(r"\d{3,}", k) or not re.search(r"[^\W\d_]{2}", k):  # "درعا 24" yes, a date no
        return None
    entry = gazetteer().lookup_name(name)
    return None if entry is not None and entry.type == "LOC" else name


def guess_outlet(lines: list[tuple[str, str]], text: str) -> Outlet | None:
    """An outlet no list knows, named by the page's structure (see the module docstring)."""
    cues: dict[str, float] = defaultdict(float)
    names: dict[str, str] = {}
    shown = [(kind, ln.strip()) for kind, ln in lines if ln.strip() and kind != "nav"]
    first = shown[0][1] if shown else ""
    twin = shown[1][1] if len(shown) > 1 else ""
    if (both := _bilingual(first)) is not None:
        first, twin = both  # one line in both scripts reads as the two-line masthead
    if _LATIN_NAME.match(first) and len(twin) < 40 and _site_name(twin) and not _LATIN_NAME.match(twin) \
            and not (len(_k(twin).split()) == 1 and _k(twin) in _common_words()):
        first, twin = twin, first  # "The Baghdad Post" / "بغداد بوست": the Arabic masthead names it
        # (not "euronews." / "عربي": one common word under a Latin masthead is its edition)
    top = _site_name(first) if len(first) < 40 else None
    if top and len(_k(top).split()) > 1 and _k(top).split()[0] in _site_words() \
            and _k(twin) == " ".join(_k(top).split()[1:]):
        top, twin = twin, ""  # "بوابة الشروق" over "الشروق": the short masthead is the name
        cues[_k(top)] += 1
    if top:
        cues[_k(top)] += 1
        names[_k(top)] = top
        if _LATIN_NAME.match(twin):
            cues[_k(top)] += 1  # the masthead in both scripts: "سودان تربيون" / "Sudan Tribune"
    for kind, line in shown[1:]:
        if kind == "body":
            continue
        m = _BYLINE.match(line)
        if m and (name := _site_name(m.group("name"))):
            cues[_k(name)] += 2
            names.setdefault(_k(name), name)
        elif top and any(_k(part) == _k(top) for part in re.split(r"[-–—|/]", line)[:3]) \
                and re.search(r"[-–—|/]", line):
            cues[_k(top)] += 1  # a dateline "القاهرة - بوابة الوسط | …" or "عنب بلدي – إدلب"
    if not cues:
        return None
    folded = fold(text)
    for k in list(cues):
        alias = re.escape(k)
        credit = any(re.search(rf"[-–—]\s*{alias}\s*(?:\(|$)", _k_keep_dash(ln)) for kind, ln in shown
                     if kind == "caption")
        addressed = re.search(rf"(?:مراسل|لمراسل|مراسلو|موقع|شبكه|ل)[\sـ«\"“]{{0,3}}{alias}(?!\w)", folded)
        # the site's own furniture: "كتب: محرر X", "ادعم X", "© 2017 X", "المصدر: X، وكالات"
        own = any(re.search(rf"(?:محرر|ادعم|ادعموا|©|حقوق|المصدر)\W.{{0,30}}?(?<!\w)ل?{alias}(?!\w)", fold(ln))
                  for kind, ln in shown[1:] if kind != "body")
        cues[k] += bool(credit) + bool(addressed) + bool(own)
    best = max(cues, key=lambda k: cues[k])
    return site_named(names[best]) if cues[best] >= 2 else None


def _bilingual(name: str) -> tuple[str, str] | None:
    """The Arabic and the Latin half of a masthead in both scripts on one line: "منبج الآن |
    Manbij Now", "Al Jadeed | الجديد"."""
    parts = [x.strip() for x in re.split(r"\s+[|–—-]\s+", name.strip())]
    if len(parts) != 2:
        return None
    latin = [x for x in parts if _LATIN_NAME.match(x)]
    arabic = [x for x in parts if not _LATIN_NAME.match(x) and _site_name(x)]
    return (arabic[0], latin[0]) if len(latin) == 1 and len(arabic) == 1 else None


def site_named(name: str) -> Outlet:
    """The outlet the page names itself (og:site_name, or read by ``guess_outlet``): the listed
    one when the name is a listed name after words for a kind of site ("موقع قناة المنار" is
    المنار), else an outlet no list knows, with one id per name."""
    name = (_bilingual(name) or (name,))[0]
    listed = _index().by_alias.get(_k(name))
    if listed is not None:
        return listed
    words = _k(name).split()
    while len(words) > 1 and words[0] in _site_words():
        words = words[1:]
        listed = _index().by_alias.get(" ".join(words))
        if listed is not None:
            return listed
    return Outlet("guessed:" + _k(name).replace(" ", "-"), name.strip(), "", False, ())


def detect_outlet(lines: list[tuple[str, str]], text: str, url: str | None,
                  text_votes: bool = True) -> Outlet | None:
    """Pick the outlet from classified page lines ``(kind, text)`` and the body text
    (``text_votes=False``: from the page's structure only, not from outlets the text cites)."""
    score: dict[str, float] = defaultdict(float)
    found: dict[str, Outlet] = {}

    def vote(o: Outlet | None, w: float, structural: bool) -> None:
        if o and o.social and w < 10:
            return
        if o and (structural or not o.ambiguous):
            score[o.id] += w
            found[o.id] = o

    vote(outlet_from_url(url), 10, True)
    for n, (kind, line) in enumerate(lines):
        for u in _URL_IN_TEXT.findall(line):
            vote(outlet_from_url(u), 6, True)
        k = _k(line)
        if kind in ("footer", "widget", "meta", "nav", "caption") or len(k.split()) <= 8:
            m = re.search(r"(?:^|\s)(?:ادعم|ادعموا|تبرع ل)\s+(.+)$", k)
            if m:
                vote(_index().by_alias.get(m.group(1).strip()), 6, True)
        # a menu entry ("الأخبار") names no site, unless it is the page's first line (a masthead)
        # (nor a section heading such as "العالم", also the name of قناة العالم, below the menu)
        if kind != "caption" and (kind != "nav" or n == 0) and len(k.split()) <= 8 and (n == 0 or k not in _menu_words()):
            vote(outlet_for_line(line), 4, True)
    idx = _index()
    nt = fold(text) if text_votes else ""
    for m in idx.alias_pattern.finditer(nt):
        o = idx.by_alias[m.group(1)]
        before = nt[max(0, m.start() - 25):m.start()]
        direct_l = m.group(0).startswith("ل")
        if re.search(r"(?:مع|عن|نقلا عن|بحسب|حسب|وفق|ل)\s*(?:صحيفه|موقع|قناه|وكاله|شبكه)\s*$", before):
            continue  # another paper cited or interviewed: not the publisher
        if direct_l:  # "لعنب بلدي", "لـ "أنا برس"": the speaker talked to this outlet
            vote(o, 2, False)
        elif any(before.rstrip().endswith(c) for c in _ADDRESS_CUES):
            vote(o, 1, False)
        else:
            vote(o, 0.5, False)
    if not score:
        return None
    best = max(score, key=lambda i: score[i])
    return found[best] if score[best] >= 1.5 else None
