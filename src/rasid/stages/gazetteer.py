"""Matching the packaged gazetteers (groups, places, outlets, nationalities) against tokens.

Names are matched as token sequences on the normalised text; the first token may carry
proclitics (لجيش العزة، وفيلق الرحمن، بالغوطة، للنظام), and the mention span starts after
them. One-word names that are also common words (الباب، الحاضر) count only after a place head
noun (مدينة الباب). The longest match wins; matches do not overlap.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rasid.datafiles import load_json, load_lines
from rasid.document import Document
from rasid.normalize import fold
from rasid.stages.persons import lexicon as person_lexicon
from rasid.stages.tokens import proclitic_splits, tokenize_normalized


@dataclass(frozen=True)
class Entry:
    """A gazetteer entity: its stable id and the facts the record needs."""

    key: str  # "org:<id>", "loc:<id>", "media:<id>"
    type: str
    subtype: str | None
    name: str
    name_en: str | None
    wikidata: str | None
    descriptors: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    kind: str | None = None
    needs_head: frozenset[str] = frozenset()  # one-word aliases that are also common words
    country: str | None = None  # ISO code where the lists give one

    @property
    def kb_id(self) -> str:
        if self.wikidata:
            return f"wikidata:{self.wikidata}"
        prefix, _, ident = self.key.partition(":")
        return f"rasid:{prefix}:{ident}"


@dataclass(frozen=True)
class Match:
    start: int  # original offsets of the name (clitics excluded)
    end: int
    first: int  # token index range [first, last)
    last: int
    entry: Entry
    surface: str


def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(t for _, _, t in tokenize_normalized(fold(name)))


class Gazetteer:
    """Token-sequence index over every packaged name list."""

    def __init__(self) -> None:
        self.index: dict[str, list[tuple[tuple[str, ...], Entry]]] = defaultdict(list)
        self.entries: dict[str, Entry] = {}
        self.common = person_lexicon().common
        self.ambiguous = frozenset(fold(x) for x in load_lines("ambiguous_places.txt"))
        heads = load_json("heads.json")
        self.place_heads = frozenset(fold(h) for h in heads["place_heads"])
        self.place_context = frozenset(fold(h) for h in heads.get("place_context", ()))
        self._load()
        for lst in self.index.values():
            lst.sort(key=lambda x: -len(x[0]))

    def _add(self, name: str, entry: Entry) -> None:
        toks = name_tokens(name)
        if not toks:
            return
        lst = self.index[toks[0]]
        if all(t != toks or e.key != entry.key for t, e in lst):
            lst.append((toks, entry))
        if len(toks) == 2 and toks[1].startswith("ال"):  # scraped text loses spaces: أحرارالشام
            joined = (toks[0] + toks[1],)
            self.index[joined[0]].append((joined, entry))

    def _load(self) -> None:
        for e in load_json("orgs.json")["entries"]:
            ent = Entry(f"org:{e['id']}", "ORG", e.get("subtype") or "ARMED_GROUP", e["name"],
                        e.get("name_en"), e.get("wikidata"),
                        tuple(fold(d) for d in e.get("descriptors") or ()), country=e.get("country"))
            self._register(ent, [e["name"], *e.get("aliases", [])])
        for e in load_json("outlets.json")["entries"]:
            ent = Entry(f"media:{e['id']}", "ORG", "MEDIA", e["name"], e.get("name_en"), e.get("wikidata"))
            names = [e["name"], *e.get("aliases", [])]
            if e.get("ambiguous"):
                names = [n for n in names if len(name_tokens(n)) > 1]
            self._register(ent, names)
        for e in load_json("places.json")["entries"]:
            kind = e.get("kind")
            subtype = "COUNTRY" if kind == "country" else None
            names = [e["name"], *e.get("aliases", [])]
            # automatic (GeoNames) names that are frequent words need a head noun; curated
            # names are trusted unless listed in ambiguous_places.txt
            single = {fold(n) for n in names if len(name_tokens(n)) == 1}
            risky = {n for n in single if n in self.ambiguous or (e.get("geonameid") and kind != "country"
                                                                  and n in self.common)}
            ent = Entry(f"loc:{e['id']}", "LOC", subtype, e["name"], e.get("name_en"), e.get("wikidata"),
                        lat=e.get("lat"), lon=e.get("lon"), admin1=e.get("admin1"), kind=kind,
                        needs_head=frozenset(risky), country=e.get("country"))
            self._register(ent, names)

    def _register(self, ent: Entry, names: list[str]) -> None:
        if ent.key in self.entries:
            return
        self.entries[ent.key] = ent
        for n in names:
            self._add(n, ent)
            if "كرد" in n:  # Kurdish outlets write كوردستان، الكوردي
                self._add(n.replace("كرد", "كورد"), ent)

    def lookup_name(self, name: str) -> Entry | None:
        toks = name_tokens(name)
        for cand, e in self.index.get(toks[0], []) if toks else []:
            if cand == toks:
                return e
        return None

    def match(self, doc: Document) -> list[Match]:
        toks = doc.tokens
        nt = doc.normalized
        assert nt is not None
        out: list[Match] = []
        i = 0
        while i < len(toks):
            best = self._best_at(doc, i)
            if best:
                out.append(best)
                i = best.last
            else:
                i += 1
        return out

    def _best_at(self, doc: Document, i: int) -> Match | None:
        toks = doc.tokens
        tok = toks[i]
        for clen, stem in reversed(proclitic_splits(tok.norm)):
            for cand, entry in self.index.get(stem, ()):
                n = len(cand)
                if i + n > len(toks) or any(toks[i + k].norm != cand[k] for k in range(1, n)):
                    continue
                if n > 1 and "\n" in doc.text[tok.end:toks[i + n - 1].start]:
                    continue
                if n == 1 and not self._single_ok(doc, i, stem, entry, clen):
                    continue
                start = doc.normalized.offsets[tok.nstart + clen]
                end = toks[i + n - 1].end
                return Match(start, end, i, i + n, entry, doc.text[start:end])
        return None

    def _single_ok(self, doc: Document, i: int, stem: str, entry: Entry, clen: int) -> bool:
        if len(stem) < 3 and not stem.isascii():
            return False
        if entry.type == "LOC" and entry.kind != "country" and not clen and i and _after_given_name(doc, i):
            return False  # "تركي المالكي": a family name that is also a place (حي المالكي)
        if stem in entry.needs_head:
            prev = doc.tokens[i - 1].norm if i else ""
            if prev in self.place_heads:
                return True
            # a GeoNames name that is also a frequent word (القصير "the short") is a place after
            # a locative preposition: "في القصير", "بالقصير"; the hand-listed ambiguous names
            # (الباب "the door") still need a head noun
            return stem not in self.ambiguous and (prev in LOCATIVES or prev in self.place_context
                                                   or doc.tokens[i].norm[:clen] in ("ب", "وب"))
        return not (clen and stem.isascii())


def _after_given_name(doc: Document, i: int) -> bool:
    """Token i directly follows a given name on the same line, with nothing between."""
    prev = doc.tokens[i - 1]
    if doc.text[prev.end:doc.tokens[i].start].strip():
        return False
    lex = person_lexicon()
    if prev.norm in lex.folded_collisions and doc.text[prev.end - 1] == "ى":
        return False  # "على الرقة": the preposition على folds to the name علي
    return prev.norm in lex.given or prev.norm in lex.given_weak


LOCATIVES = frozenset(fold(w) for w in (
    "في", "من", "إلى", "الى", "نحو", "باتجاه", "عبر", "قرب", "حول", "داخل", "محيط", "أطراف", "وسط",
    "أنحاء", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي"))
"""Words after which a name is a place: the frequent-word place test here, and an event's place
when the name is a country (rasid.stages.events)."""


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
