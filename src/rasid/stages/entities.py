"""The entity stage: gazetteer names, head-noun patterns, people, and one entity per referent.

Order matters and is explicit: gazetteer matches first (known groups, places, outlets), then
patterns for names no list knows (ريف X الشرقي، بلدة X، فصيل "X"، غرفة عمليات X، الجانب
الروسي), then back-references (الحركة، الفيلق) to a group already named, then people (which
need the organisations for "الناطق باسم X"), then clustering and within-document coreference
(البكور ↔ مصطفى البكور, the surname alone, the name again on a caption line).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rasid.datafiles import load_json
from rasid.document import Document, Entity
from rasid.ingest.outlets import names_of_outlet
from rasid.normalize import fold, fold_all
from rasid.resolve.english import romanize_person
from rasid.resolve.identity import minted_kb_id, person_key
from rasid.stages.gazetteer import Entry, gazetteer, name_tokens
from rasid.stages.ner_mentions import ner_spans, plausible
from rasid.stages.persons import PersonFinder, closes_a_family_name, lexicon as person_lexicon
from rasid.stages.tokens import proclitic_splits, pronoun_ha


@dataclass
class Mention:
    start: int
    end: int
    first: int
    last: int
    type: str
    key: str
    name: str
    entry: Entry | None = None
    subtype: str | None = None
    rank: str | None = None
    strong: bool = True
    local: bool = False  # a descriptive name ("اللجنة المركزية"): one identity per article only
    alias_after: int | None = None  # a known-as name: the token right before "المعروف بـ"
    headed: str | None = None  # the name with the head noun it came with ("حي البكر"), an alias


@dataclass(frozen=True)
class _Patterns:
    place_heads: dict[str, str]
    name_prefixes: frozenset[str]
    heads_in_name: frozenset[str]
    countryside: str
    directions: frozenset[str]
    quoted_org_heads: tuple[tuple[str, ...], ...]
    ops_room: tuple[tuple[str, ...], ...]
    nat_heads: frozenset[str]
    adjective: dict[str, str]
    plural: dict[str, str]
    institution_heads: dict[str, str]  # folded head noun -> subtype
    institution_not_names: frozenset[str]
    institution_definite_only: frozenset[str]
    road_heads: tuple[tuple[str, ...], ...]
    name_adjectives: frozenset[str]
    forces_heads: frozenset[str]
    facility_heads: frozenset[str]
    place_heads_definite_only: frozenset[str]
    country_bound: frozenset[str]
    armed_forces: dict[tuple[str, ...], str]  # (القوات, المسلحه) -> "القوات المسلحة": the army said generically
    army_descriptor: str  # الجيش: the descriptor national armies carry in orgs.json
    institution_adjective_required: dict[str, frozenset[str]]  # محور: only "محور تعز العسكري"
    admin_heads: frozenset[str]  # ولاية, إقليم: heads a known place may carry (not place heads)
    government_heads: frozenset[str]  # الحكومة: "الحكومة الأردنية" is an organisation
    common_word_heads: frozenset[str]  # حي: "حي الشهداء" names a place with a common word
    region_heads: tuple[tuple[str, ...], ...]  # المنطقة العسكرية: + an ordinal, a command
    region_ordinals: frozenset[str]
    unit_suffixes: frozenset[str]  # مشاة، مدرعة: "الفرقة 15 مشاة"
    ops_commanders: frozenset[str] = frozenset()  # قائد: "قائد عمليات بغداد" heads a command
    commanded_heads: dict[str, str] = field(default_factory=dict)  # عمليات -> قيادة (dropped)


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    h = load_json("heads.json")
    nat = load_json("nationalities.json")
    adj, plu = {}, {}
    for code, forms in nat["countries"].items():
        for a in forms["adjective"]:
            adj[fold(a)] = code
        for p in forms["plural"]:
            plu[fold(p)] = code
    return _Patterns(
        {fold(k): v for k, v in h["place_heads"].items()},
        frozenset(fold(x) for x in h["place_name_prefixes"]),
        frozenset(fold(x) for x in h["place_heads_in_name"]), fold(h["countryside"]),
        frozenset(fold(x) for x in h["directions"]),
        tuple(sorted((tuple(fold(x).split()) for x in h["quoted_org_heads"]), key=len, reverse=True)),
        tuple(tuple(fold(x).split()) for x in h["operations_room"]),
        frozenset(fold(x) for x in nat["heads"]), adj, plu,
        {fold(k): v for k, v in h["institution_heads"].items()},
        frozenset(fold(x) for x in h["institution_not_names"]),
        frozenset(fold(x) for x in h["institution_heads_definite_only"]),
        tuple(sorted((tuple(fold(x).split()) for x in h.get("road_heads", ())), key=len, reverse=True)),
        frozenset(fold(x) for x in h.get("place_name_adjectives", ())),
        frozenset(fold(x) for x in nat.get("forces_heads", ())),
        frozenset(fold(x) for x in h.get("facility_heads", ())),
        frozenset(fold(x) for x in h.get("place_heads_definite_only", ())),
        frozenset(fold(x) for x in h.get("country_bound_aliases", ())),
        {tuple(fold(x).split()): x for x in nat.get("armed_forces_phrases", ()) if len(x.split()) == 2},
        fold(nat.get("army_descriptor", "الجيش")),
        {fold(k): frozenset(fold(x) for x in v) for k, v in h.get("institution_heads_adjective_required", {}).items()},
        frozenset(fold(x) for x in h.get("admin_heads", ())),
        frozenset(fold(x) for x in nat.get("government_heads", ())),
        frozenset(fold(x) for x in h.get("common_word_heads", ())),
        tuple(tuple(fold(x).split()) for x in h.get("military_regions", {}).get("heads", ())),
        frozenset(fold(x) for x in h.get("military_regions", {}).get("ordinals", ())),
        frozenset(fold(x) for x in h.get("military_regions", {}).get("unit_suffixes", ())),
        frozenset(fold(x) for x in h.get("operations_commanders", {}).get("titles", ())),
        {fold(k): v for k, v in h.get("operations_commanders", {}).get("heads", {}).items()})


@lru_cache(maxsize=1)
def _outlet_citers() -> frozenset[str]:
    """Words that cite an outlet by name right after them: a reporter, a kind of site."""
    bp = load_json("boilerplate.json")
    return fold_all(bp["site_type_words"] + bp.get("reporter_words", []))


@lru_cache(maxsize=1)
def _national_armies() -> dict[str, Entry]:
    """Country code → the one listed government body of that country whose descriptors include
    the army descriptor (الجيش): the body "القوات اليمنية" and "الجيش اليمني" name."""
    army = _patterns().army_descriptor
    found: dict[str, list[Entry]] = defaultdict(list)
    for e in gazetteer().entries.values():
        if e.type == "ORG" and e.country and army in e.descriptors and e.subtype in ("GOVERNMENT", "GOVERNMENT_FORCES"):
            found[e.country].append(e)
    return {c: es[0] for c, es in found.items() if len(es) == 1}


@lru_cache(maxsize=1)
def _directions_any_gender() -> frozenset[str]:
    """الشرقي and الشرقية (folded الشرقيه)."""
    dirs = _patterns().directions
    return dirs | {d + "ه" for d in dirs}


@lru_cache(maxsize=65536)
def _definite(name: str) -> str:
    """A name read after a clitic with its article restored: "للقوات" → "القوات" (after ل the
    article's alef is not written), "بحكومة" → "الحكومة"."""
    if fold(name).startswith("ال"):
        return name
    return ("ا" if fold(name).startswith("ل") else "ال") + name


def _stems(norm: str) -> frozenset[str]:
    return frozenset(s for _, s in proclitic_splits(norm))


class EntityBuilder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.t = doc.tokens
        self.gaz = gazetteer()
        self.p = _patterns()
        self.mentions: list[Mention] = []
        self.covered: set[int] = set()
        self._known: set[int] = set()  # tokens inside a gazetteer match
        self._known_orgs: set[int] = set()  # … inside a gazetteer organisation

    def clitic_start(self, i: int, stem: str) -> int:
        tok = self.t[i]
        for clen, s in proclitic_splits(tok.norm):
            if s == stem:
                return self.doc.normalized.offsets[tok.nstart + clen]
        return tok.start

    def add(self, m: Mention) -> bool:
        span = set(range(m.first, m.last))
        if span & self.covered:
            return False
        self.mentions.append(m)
        self.covered |= span
        return True

    # --- patterns that must win over the plain gazetteer
    def countrysides(self, gaz_at: dict[int, "object"]) -> None:
        n = len(self.t)
        for i in range(n - 1):
            if self.p.countryside not in _stems(self.t[i].norm):
                continue
            j = i + 1
            base = gaz_at.get(j)  # "ريف محافظة إدلب" may match the governorate's own name
            if base is None and self.t[j].norm == "محافظه" and j + 1 < n:
                j += 1
                base = gaz_at.get(j)
            whole = gaz_at.get(i)
            if base is None and whole is not None and whole.entry.type == "LOC" and \
                    fold(whole.entry.name).startswith(self.p.countryside + " "):
                base = whole  # a countryside the list names itself ("ريف القصير") + a direction
            if base is None or base.entry.type != "LOC" or base.entry.subtype == "COUNTRY":
                continue
            k = base.last
            dirs = []
            while k < n and self.t[k].norm in self.p.directions and len(dirs) < 2 and \
                    not self.doc.text[self.t[k - 1].end:self.t[k].start].strip():
                dirs.append(self.t[k].norm)
                k += 1
            if base is whole and not dirs:
                continue  # the listed countryside alone: the plain gazetteer match stands
            base_name = base.entry.name.removeprefix("محافظة ").strip()
            surface_dirs = [self.doc.text[self.t[x].start:self.t[x].end] for x in range(base.last, k)]
            name = " ".join(([] if base is whole else ["ريف"]) + [base_name, *surface_dirs])
            entry = self.gaz.lookup_name(name)
            key = entry.key if entry else f"loc:countryside:{base.entry.key.split(':', 1)[1]}:{'-'.join(dirs)}"
            start = self.clitic_start(i, self.p.countryside)
            self.add(Mention(start, self.t[k - 1].end, i, k, "LOC", key, entry.name if entry else name, entry))

    def roads(self, gaz_at: dict[int, "object"]) -> None:
        """"طريق دمشق – السويداء": a road head, a known place, a dash (or nothing), a known place."""
        n, text = len(self.t), self.doc.text
        for i in range(n):
            for head in self.p.road_heads:
                h = len(head)
                if i + h >= n or all(stem != head[0] for _, stem in proclitic_splits(self.t[i].norm)) or \
                        any(self.t[i + m].norm != head[m] for m in range(1, h)):
                    continue
                a = gaz_at.get(i + h)
                b = gaz_at.get(a.last) if a is not None and a.last < n else None
                if a is None or b is None or a.entry.type != "LOC" or b.entry.type != "LOC" or \
                        not re.fullmatch(r"\s*[-–—/]?\s*", text[self.t[a.last - 1].end:self.t[b.first].start]):
                    continue
                start = self.clitic_start(i, head[0])
                name = text[start:self.t[b.last - 1].end]
                self.add(Mention(start, self.t[b.last - 1].end, i, b.last, "LOC",
                                 f"loc:road:{a.entry.key[4:]}:{b.entry.key[4:]}", name, subtype="ROAD"))
                break

    def places_with_adjective(self, matches: list) -> None:
        """"في منطقة الجيزة البحرية", "حي حلب الجديدة": a known town followed by a naming
        adjective is another place, named with the adjective."""
        n, text = len(self.t), self.doc.text
        for m in matches:
            e = m.entry
            if e.type != "LOC" or e.kind in ("country", "region", "governorate", "countryside") or \
                    e.subtype == "COUNTRY" or m.last >= n or self.t[m.last].norm not in self.p.name_adjectives or \
                    text[self.t[m.last - 1].end:self.t[m.last].start].strip():
                continue
            name = self._surface(m.start, self.t[m.last].end)
            entry = self.gaz.lookup_name(name)
            key = entry.key if entry else f"loc:{fold(name).replace(' ', '-')}"
            self.add(Mention(m.start, self.t[m.last].end, m.first, m.last + 1, "LOC", key,
                             entry.name if entry else name, entry))

    def facilities_of_known_places(self, gaz_at) -> None:
        """"مطار حلب الدولي"، "معسكر الجلاء": a facility named after a known place is another
        place (a base is not its town), unless the list names it as it is."""
        n = len(self.t)
        for i in range(n - 1):
            head = next((s for s in _stems(self.t[i].norm) if s in self.p.facility_heads), None)
            m = gaz_at.get(i + 1) if head else None
            if m is None or m.entry.type != "LOC" or m.entry.subtype == "COUNTRY" or \
                    fold(m.entry.name).split()[0] in self.p.facility_heads or \
                    i in self.covered or self.doc.text[self.t[i].end:self.t[i + 1].start].strip():
                continue
            start = self.clitic_start(i, head)
            name = self._surface(start, m.end)
            entry = self.gaz.lookup_name(name)
            if entry is not None and entry.type != "LOC":
                continue
            self.add(Mention(start, m.end, i, m.last, "LOC", entry.key if entry else f"loc:{fold(name).replace(' ', '-')}",
                             entry.name if entry else name, entry))

    def place_heads(self, gaz_at) -> None:
        n = len(self.t)
        for i in range(n - 1):
            head = next((s for s in _stems(self.t[i].norm) if s in self.p.place_heads), None)
            if head is None or (i + 1 in self.covered or i + 1 in gaz_at) and not head.endswith("ي"):
                continue
            targets = [i + 1]
            if head.endswith("ي"):  # dual: مطاري السين والضمير، قريتي أم الحوش وحربل (the first may be known)
                known = gaz_at.get(i + 1)
                second = known.last if known is not None else (
                    i + 3 if i + 2 < n and self.t[i + 1].norm in self.p.name_prefixes else i + 2)
                if second < n and self.t[second].norm.startswith("و"):
                    targets.append(second)
            for j in targets:
                if j in gaz_at or j in self.covered or re.search(r"[^\s]", self.doc.text[self.t[j - 1].end:self.t[j].start]):
                    continue
                norm = self.t[j].norm
                stem = norm[1:] if j != i + 1 and norm.startswith("و") else norm
                if (head.endswith(("اء", "ات")) or head in ("قرى", "مدن")) and not stem.startswith("ال") and \
                        stem.endswith("يه") or head in self.p.place_heads_definite_only and not stem.startswith("ال"):
                    continue  # "أحياء سكنية", "منطقة آمنة": an adjective after the head, not a name
                if (stem in person_lexicon().stop and stem not in self.p.name_prefixes) or \
                        (len(stem) < 3 and stem not in self.p.name_prefixes) or \
                        stem in (self.p.countryside, "ال" + self.p.countryside) or \
                        not stem.isalpha() or \
                        _stems(norm) & set(self.p.place_heads) or \
                        (stem in self.gaz.common and stem not in self.p.name_prefixes
                         and self.gaz.lookup_name(stem) is None
                         and not (head in self.p.common_word_heads and head == self.t[i].norm
                                  and stem.startswith("ال") and j == i + 1)):
                    continue
                start = self.t[j].start + (len(norm) - len(stem))
                last = j + 1
                if stem in self.p.name_prefixes and last < n and last not in self.covered and \
                        self.t[last].norm.isalpha() and not self.doc.text[self.t[j].end:self.t[last].start].strip():
                    last += 1  # تل ملح، عين ترما، كفر نبل: a two-word place name
                elif not self.doc.text[start:self.t[j].end].startswith("ال") and self._second_name_word(last):
                    last += 1  # "ناحية ألتون كوبري": an unknown two-word name
                if j not in gaz_at and last < n and self.t[last].norm in _directions_any_gender() and \
                        not self.doc.text[self.t[last - 1].end:self.t[last].start].strip():
                    last += 1  # an unknown "بلدة البويضة الشرقية": the direction is part of its name
                surface = self.doc.text[start:self.t[last - 1].end]
                entry = self.gaz.lookup_name(surface)
                if entry is not None and entry.type != "LOC":
                    continue
                head_base = head[:-1] if head.endswith("ي") and head[:-1] in self.p.place_heads else head
                name = surface
                if head_base in self.p.heads_in_name or head in self.p.heads_in_name:
                    h0 = self.clitic_start(i, head)  # "ومطار باماكو": the name starts past the و
                    name = f"{self.doc.text[h0:h0 + len(head_base)]} {surface}"
                    entry = self.gaz.lookup_name(name) or entry
                key = entry.key if entry else f"loc:{fold(name).replace(' ', '-')}"
                headed = None
                if j == i + 1 and (head_base in self.p.heads_in_name or head in self.p.heads_in_name):
                    start = self.clitic_start(i, head)
                elif j == i + 1 and head_base == head and entry is None:  # (not a dual, "بلدتي")
                    # "حي البكر" said once: the bare name is the entity's, the headed one an alias
                    headed = self._surface(self.clitic_start(i, head), self.t[last - 1].end)
                self.add(Mention(start, self.t[last - 1].end, j if start >= self.t[j].start else i, last,
                                 "LOC", key, entry.name if entry else name, entry, headed=headed))

    def _second_name_word(self, k: int) -> bool:
        """Token k can be the second word of an unknown place's name: a plain word right after
        the first with no punctuation, not a common or function word, not definite (an
        adjective: المجاورة), not joined by و, and not a verb or noun with a pronoun (قصفتها)."""
        if k >= len(self.t) or k in self.covered or self.doc.text[self.t[k - 1].end:self.t[k].start].strip():
            return False
        w = self.t[k].norm
        return w.isalpha() and len(w) >= 3 and w not in self.gaz.common and w not in person_lexicon().stop \
            and not w.startswith(("ال", "و", "ف")) and not w.endswith(("ها", "هم", "هن", "ون", "ين"))

    def repeated_places(self) -> None:
        """A place no list knows, once introduced by its head noun (في بلدتي عتيل وسليم), is the
        same place when the article names it again bare (قرب عتيل، في عتيل، لعتيل).

        Names that are also given names or common words are left alone: "سليم" after
        "بلدتي عتيل و" is a town, but "سليم" alone may be a man.
        """
        pl = person_lexicon()
        learned: dict[tuple[str, ...], Mention] = {}
        for m in self.mentions:
            if m.type != "LOC" or m.entry is not None or not m.key.startswith("loc:"):
                continue
            toks = tuple(fold(m.name).split())
            if not toks or len(toks[0]) < 3 or any(t in pl.given or t in pl.given_weak or t in pl.stop for t in toks) or \
                    (len(toks) == 1 and toks[0] in self.gaz.common):
                continue
            learned.setdefault(toks, m)
        if not learned:
            return
        n = len(self.t)
        for i in range(n):
            if i in self.covered:
                continue
            for clen, stem in proclitic_splits(self.t[i].norm):
                hit = next((m for toks, m in learned.items() if toks[0] == stem and i + len(toks) <= n
                            and all(self.t[i + k].norm == toks[k] for k in range(1, len(toks)))), None)
                if hit is not None:
                    last = i + len(fold(hit.name).split())
                    self.add(Mention(self.clitic_start(i, stem), self.t[last - 1].end, i, last, "LOC",
                                     hit.key, hit.name))
                    break

    def quoted_orgs(self) -> None:
        text = self.doc.text
        n = len(self.t)
        firsts = {h[0] for h in self.p.quoted_org_heads}
        for i in range(n):
            stems = _stems(self.t[i].norm)
            if firsts.isdisjoint(stems):
                continue
            for head in self.p.quoted_org_heads:
                k = len(head)
                if i + k > n or head[0] not in stems or \
                        any(self.t[i + m].norm != head[m] for m in range(1, k)):
                    continue
                if head[-1].endswith("ه") and pronoun_ha(self.doc, self.t[i + k - 1]):
                    continue  # "فرقه" (his teams), not "فرقة" (a division)
                j = i + k
                if j >= n:
                    continue
                gap = text[self.t[j - 1].end:self.t[j].start]
                before = text[self.t[i - 1].end if i else 0:self.t[i].start]
                whole = not re.fullmatch(r"\s*[\"“«]", gap) and re.search(r"[\"“«]\s*$", before) and \
                    self.t[i].norm == head[0]
                if not re.fullmatch(r"\s*[\"“«]", gap) and not whole:
                    continue
                mark = before.strip()[-1:] if whole else gap.strip()
                close = text.find({"“": "”", "«": "»"}.get(mark, '"'), self.t[j].start)
                if close < 0 or close - self.t[j].start > 40:
                    continue
                last = j
                while last < n and self.t[last].end <= close:
                    last += 1
                if last == j or set(range(j, last)) & self.covered:
                    continue
                if whole:  # «تجمع ثوار الوعر»: the head inside the marks is part of the name
                    if any(k in self._known_orgs for k in range(i, last)):
                        continue  # "حركة أحرارالشام": a group the lists know, left to them
                    if last - i > 4 or any(self.t[k].norm in person_lexicon().stop for k in range(i, last)):
                        continue  # «مجموعات خارجة عن القانون»: a quoted description, not a name
                    j = i
                surface = text[self.t[j].start:self.t[last - 1].end]
                entry = self.gaz.lookup_name(surface)
                if entry is not None:
                    continue
                self.add(Mention(self.t[j].start, self.t[last - 1].end, j, last, "ORG",
                                 f"org:{fold(surface).replace(' ', '-')}", surface, subtype="ARMED_GROUP"))
                break

    def operations_rooms(self) -> None:
        stop = person_lexicon().stop
        n = len(self.t)
        for i in range(n - 2):
            # "قائد عمليات بغداد، الفريق …", "آمر قوات الصاعقة، اللواء …": named right after
            # the commander's title (heads.json operations_commanders)
            bare_head = (self.t[i].norm,) if i and self.t[i].norm in self.p.commanded_heads and \
                not self.p.ops_commanders.isdisjoint(_stems(self.t[i - 1].norm)) else None
            dropped = self.p.commanded_heads.get(bare_head[0], "") if bare_head else ""
            for head in self.p.ops_room + ((bare_head,) if bare_head else ()):
                k = len(head)
                if head[0] not in _stems(self.t[i].norm) or any(
                        self.t[i + m].norm != head[m] for m in range(1, k)) or (i + k) in self.covered:
                    continue
                j = i + k
                most = 2 if head[0] != "غرفه" else 3  # "قيادة عمليات الأنبار اقتحمت": a command, then its verb
                while j < n and j - (i + k) < most and self.t[j].norm not in stop and \
                        not re.search(r"[^\s]", self.doc.text[self.t[j - 1].end:self.t[j].start]) and \
                        j not in self.covered:
                    j += 1
                first = self.t[i + k].norm if i + k < n else ""
                if head == bare_head and not dropped and (j >= n or "،" not in self.gap(j - 1, j) and "," not in self.gap(j - 1, j)
                                         or not all(self.t[m].norm.startswith("ال") for m in range(i + k, j))):
                    continue  # only a definite name set off by a comma before the commander's name
                if j > i + k and not (first.endswith("ه") and not first.startswith("ال")):
                    # "غرفة عمليات مشتركة" is a description, not a name
                    start = self.clitic_start(i, head[0])
                    name = self.doc.text[start:self.t[j - 1].end]
                    bare = self.doc.text[self.t[i + k].start:self.t[j - 1].end]
                    entry = (head == bare_head and dropped and self.gaz.lookup_name(f"{dropped} {name}")) or \
                        self.gaz.lookup_name(name) or self.gaz.lookup_name(bare)
                    if entry is not None and entry.type != "ORG":
                        entry = None  # "قيادة عمليات بغداد" is a command, not the city
                    while entry is None and j - 1 > i + k and self.gaz.lookup_name(
                            self.doc.text[start:self.t[j - 2].end]) is not None:
                        j -= 1  # the longest known name wins over a longer reading
                        name = self.doc.text[start:self.t[j - 1].end]
                        bare = self.doc.text[self.t[i + k].start:self.t[j - 1].end]
                        entry = self.gaz.lookup_name(name)
                    key = entry.key if entry else f"org:{fold(bare).replace(' ', '-')}"
                    if entry is None and head == bare_head and dropped:
                        name = f"{dropped} {name}"  # the full name: "قيادة عمليات بغداد" is the same
                    self.add(Mention(start, self.t[j - 1].end, i, j, "ORG", key, entry.name if entry else name,
                                     entry, entry.subtype if entry else "ARMED_GROUP"))

    def _kunya_not_place(self, m) -> bool:
        """"المتحدث باسم "فتح الإسلام"، أبو سليم طه، …": a place named like a kunya (أبو سليم is a
        Tripoli district) set off by commas with one more name word is a person."""
        if m.entry.type != "LOC" or m.last - m.first != 2 or m.last >= len(self.t) or \
                self.t[m.first].norm not in person_lexicon().kunya:
            return False
        before = self.doc.text[self.t[m.first - 1].end:self.t[m.first].start] if m.first else ""
        nxt = self.t[m.last]
        after = self.doc.text[nxt.end:self.t[m.last + 1].start] if m.last + 1 < len(self.t) else ""
        return bool(re.search(r"[،,]", before) and re.search(r"[،,]", after)) and not nxt.norm.startswith("ال") and \
            nxt.norm.isalpha() and not self.doc.text[self.t[m.last - 1].end:nxt.start].strip() and \
            self.gaz.lookup_name(nxt.norm) is None

    def military_regions(self) -> None:
        """"المنطقة العسكرية الخامسة": a numbered military region is a command, an organisation
        (one identity per name), also when said as "قيادة المنطقة العسكرية الخامسة"."""
        n = len(self.t)
        for i in range(n):
            for head in self.p.region_heads:
                k = len(head)
                if i + k >= n or head[0] not in _stems(self.t[i].norm) or \
                        any(self.t[i + m].norm != head[m] for m in range(1, k)) or \
                        not (self.t[i + k].norm in self.p.region_ordinals or self.t[i + k].norm.isdigit()) or \
                        any(m in self.covered for m in range(i, i + k + 1)) or \
                        any(self.doc.text[self.t[m - 1].end:self.t[m].start].strip() for m in range(i + 1, i + k + 1)):
                    continue
                start = self.clitic_start(i, head[0])
                last = i + k + 1
                if last < n and self.t[last].norm in self.p.unit_suffixes and \
                        not self.doc.text[self.t[last - 1].end:self.t[last].start].strip():
                    last += 1  # "الفرقة 15 مشاة"
                name = _definite(self._surface(start, self.t[last - 1].end))  # "للمنطقة"
                entry = self.gaz.lookup_name(name)
                if entry is not None and entry.type != "ORG" or any(m in self.covered for m in range(i, last)):
                    continue
                self.add(Mention(start, self.t[last - 1].end, i, last, "ORG",
                                 entry.key if entry else f"org:{fold(name).replace(' ', '-')}",
                                 entry.name if entry else name, entry,
                                 entry.subtype if entry else "GOVERNMENT_FORCES"))

    def nationalities(self, gaz_at: dict[int, "object"]) -> None:
        n = len(self.t)
        for i in range(n):
            if i - 1 in gaz_at and gaz_at[i - 1].entry.type == "ORG" and gaz_at[i - 1].last > i:
                continue  # "الحكومة السورية" is listed (the Syrian government's entry): the list wins
            code = None
            first = last = i
            if self.t[i].norm in self.p.adjective and i > 0 and (
                    self.t[i - 1].norm in self.p.nat_heads or _stems(self.t[i - 1].norm) & (
                        self.p.nat_heads | self.p.forces_heads)) and i - 1 not in gaz_at:
                code, first, last = self.p.adjective[self.t[i].norm], i - 1, i + 1
            else:
                for clen, s in proclitic_splits(self.t[i].norm):
                    if s in self.p.plural:
                        code, first, last = self.p.plural[s], i, i + 1
            if code is None:
                continue
            entry = self.gaz.entries.get(f"loc:country-{code.lower()}")
            if entry is None:
                continue
            if first == i - 1 and _stems(self.t[first].norm) & self.p.forces_heads:
                # "القوات العراقية": the country's forces, an organisation; "الجيش اليمني": its
                # listed army when the list has one
                start = self.clitic_start(first, next(iter(_stems(self.t[first].norm) & self.p.forces_heads)))
                # ("القوات العراقية" are more than the army: only "الجيش X" is its listed army)
                army = _national_armies().get(code) if self.p.army_descriptor in _stems(self.t[first].norm) else None
                self._country_forces(start, first, last, code, army)
                continue
            gov = _stems(self.t[first].norm) & self.p.government_heads if first == i - 1 else set()
            if gov:  # "الحكومة الأردنية": the government, one organisation per country
                start = self.clitic_start(first, next(iter(gov)))
                name = _definite(self._surface(start, self.t[i].end))  # "للحكومة"
                listed = self.gaz.lookup_name(name)  # "الحكومة السورية" is an alias of a listed body
                listed = listed if listed is not None and listed.type == "ORG" else None
                self.add(Mention(start, self.t[i].end, first, last, "ORG",
                                 listed.key if listed else f"org:gov-{code.lower()}", listed.name if listed else name,
                                 listed, listed.subtype if listed else "GOVERNMENT"))
                continue
            start = self.clitic_start(first, next(iter(_stems(self.t[first].norm))))
            start = self.t[first].start if first == i - 1 else start
            for clen, s in proclitic_splits(self.t[first].norm):
                if s in self.p.nat_heads or s in self.p.plural:
                    start = self.doc.normalized.offsets[self.t[first].nstart + clen]
            self.add(Mention(start, self.t[last - 1].end, first, last, "LOC", entry.key, entry.name, entry))

    def institutions(self, gaz_at: dict[int, "object"]) -> None:
        """Committees, councils, governments, missions no list knows, named by a head noun and
        the definite words after it: "اللجنة المركزية", "حكومة الوفاق الوطني", "مجلس الرقة
        المدني", "المجلس العسكري في القصير", "القيادة العامة للجيش والقوات المسلحة".

        Not a name: a bare head ("عضو اللجنة"), a head before a description word (الحكومة
        الجديدة), or before a group the lists know ("قيادة جيش الإسلام" is that group's
        leadership, left to the gazetteer). Role-phrase words (هيئة الأركان، المكتب السياسي)
        are roles, not institutions."""
        pl = person_lexicon()
        titles = pl.honorifics | pl.weak_honorifics | {k[0] for k in pl.ranks} | \
            {"ال" + k[0] for k in pl.ranks} | set(pl.roles_by_first)
        n = len(self.t)
        # inside a longer known name ("مجلس القيادة الرئاسي"), a head starts no new institution
        for i in range(n):
            if i in self.covered or i in self._known:
                continue
            head = next(((s, s[2:] if s.startswith("ال") else s) for _, s in proclitic_splits(self.t[i].norm)
                         if (s[2:] if s.startswith("ال") else s) in self.p.institution_heads), None)
            # after "باسم" (المتحدث باسم …) the words name a body, even in a construct chain
            named_for = i > 0 and self.t[i - 1].norm == "باسم"
            if head is None or self._inside_role_phrase(i, head[0]) or (
                    head[1] in self.p.institution_definite_only and not head[0].startswith("ال") and not named_for):
                continue
            j, genitive, coordinated = i + 1, False, False
            while j < n and j - i <= 6 and not self.gap(j - 1, j).strip():
                w = self.t[j].norm
                if w in pl.stop or w in titles or w in self.p.institution_not_names or not w.isalpha() \
                        or j in self.covered:
                    break
                if j in gaz_at and gaz_at[j].entry.type == "ORG":
                    j = i + 1  # the leadership/government of a known group: not a new name
                    break
                if j >= i + 2 and w.startswith("ال") and w in self.gaz.common and not w.endswith(("ي", "ه")):
                    break  # "تحمّل القيادة العامة الدول الداعمة": a new noun, the object, not the name
                if w.startswith("ال") or (w.startswith("وال") and (genitive or j > i + 1) and not coordinated):
                    coordinated = coordinated or w.startswith("وال")  # "لجنة الأسرى والمعتقلين"
                    j += 1
                elif w.startswith("لل") and j > i + 1 and not genitive:
                    genitive = True  # "القيادة العامة للجيش والقوات المسلحة"
                    j += 1
                elif w.startswith("ل") and len(w) > 3 and j > i + 1 and not genitive and j + 1 < n and \
                        not self.gap(j, j + 1).strip() and (self.t[j + 1].norm.startswith("ال") or (
                            j + 1 in gaz_at and gaz_at[j + 1].entry.type == "LOC")):
                    genitive = True  # "اللجنة الوطنية لشؤون الأسرى", "المجلس التنفيذي لمقاطعة كوباني"
                    j = gaz_at[j + 1].last if j + 1 in gaz_at and gaz_at[j + 1].entry.type == "LOC" else j + 2
                elif j == i + 1 and not head[0].startswith("ال") and named_for and j + 1 < n \
                        and self.t[j + 1].norm.startswith("ال") and j not in gaz_at and not self.gap(j, j + 1).strip():
                    j += 1  # "المتحدث باسم مركز طب الطوارئ والدعم": a construct chain names the body
                elif j == i + 1 and not head[0].startswith("ال") and j in gaz_at and gaz_at[j].entry.type == "LOC" \
                        and gaz_at[j].last < n and self.t[gaz_at[j].last].norm.startswith("ال") and \
                        self.t[gaz_at[j].last].norm not in self.p.institution_not_names and \
                        not self.gap(gaz_at[j].last - 1, gaz_at[j].last).strip():
                    # "محور تعز العسكري", "مجلس منبج العسكري": the place and an adjective name it
                    # ("على محور النيرب" alone is a front line, a place)
                    j = gaz_at[j].last
                else:
                    break
            if j == i + 1:
                continue
            needed = self.p.institution_adjective_required.get(head[1])
            if needed and not any(self.t[k].norm in needed for k in range(i + 1, j)):
                continue  # "على محور النيرب": a front line, not the command "محور تعز العسكري"
            placed = any(k in gaz_at and gaz_at[k].entry.type == "LOC" for k in range(i + 1, j))
            if head[0].startswith("ال") and j + 1 < n and self.t[j].norm == "في" and (j + 1) in gaz_at \
                    and gaz_at[j + 1].entry.type == "LOC" and not (self.gap(j - 1, j) + self.gap(j, j + 1)).strip():
                j = gaz_at[j + 1].last  # "المجلس العسكري في القصير"
                placed = True
            # "المركز الروسي للمصالحة": a nationality names one institution, as a place does
            national = any(self.t[k].norm in self.p.adjective for k in range(i + 1, j))
            start = self.clitic_start(i, head[0])
            name = self._surface(start, self.t[j - 1].end)
            if head[0].startswith("ال"):
                name = _definite(name)  # "للقيادة": the article's alef is elided after ل
            entry = self.gaz.lookup_name(name)
            # a definite head with adjectives and no place ("اللجنة المركزية", "المجلس العسكري")
            # describes an institution more than it names one: another article's "اللجنة
            # المركزية" is another committee, so its identity stays within this article
            self.add(Mention(start, self.t[j - 1].end, i, j, "ORG",
                             entry.key if entry else f"org:{fold(name).replace(' ', '-')}",
                             entry.name if entry else name, entry,
                             entry.subtype if entry else self.p.institution_heads[head[1]],
                             local=entry is None and head[0].startswith("ال") and not placed and not national))

    def gap(self, a: int, b: int) -> str:
        return self.doc.text[self.t[a].end:self.t[b].start]

    def _inside_role_phrase(self, i: int, stem: str) -> bool:
        """Token i (as ``stem``) is a later word of a role phrase: "رئيس هيئة الأركان في"."""
        n = len(self.t)
        for toks, _, _ in person_lexicon().roles:
            for pos in range(1, len(toks)):
                a = i - pos
                if toks[pos] == stem and a >= 0 and a + len(toks) <= n and all(
                        self.t[a + m].norm == toks[m] for m in range(len(toks)) if a + m != i):
                    return True
        return False

    # --- back-references to a group already named
    def _institution_said_again(self, i: int, word: str) -> list[Mention]:
        """"وقالت الوزارة": the definite head noun alone names the last institution with that
        head (وزارة الداخلية السورية … الوزارة), unless a modifier makes it another one
        (الوزارة الروسية)."""
        if not word.startswith("ال") or word[2:] not in self.p.institution_heads:
            return []
        if i + 1 < len(self.t) and self.t[i + 1].norm.startswith("ال") and \
                not re.search(r"[^\s]", self.doc.text[self.t[i].end:self.t[i + 1].start]):
            return []
        head = word[2:]
        before = [m for m in self.mentions if m.type == "ORG" and m.first < i
                  and fold(m.name).split()[:1] == [head]]
        return [max(before, key=lambda m: m.first)] if before else []

    def descriptors(self) -> None:
        seen: list[Mention] = []
        by_first = sorted(self.mentions, key=lambda m: m.first)
        orgs = [m for m in by_first if m.type == "ORG" and m.entry and m.entry.descriptors]
        for i, tok in enumerate(self.t):
            if i in self.covered:
                continue
            if i + 1 < len(self.t) and self.t[i + 1].norm.startswith("ال") and \
                    not self.doc.text[tok.end:self.t[i + 1].start].strip():
                self._armed_forces(i, orgs)  # "القوات المسلحة": the national army, not "القوات" again
                continue
            for clen, s in proclitic_splits(tok.norm):
                cands = [m for m in orgs if s in m.entry.descriptors and m.first < i] or \
                    self._institution_said_again(i, s)
                keys = {m.key for m in cands}
                if len(keys) >= 1:
                    ref = max(cands, key=lambda m: m.first)
                    start = self.doc.normalized.offsets[tok.nstart + clen]
                    self.add(Mention(start, tok.end, i, i + 1, "ORG", ref.key, ref.name, ref.entry,
                                     ref.entry.subtype if ref.entry else None))
                    seen.append(ref)
                    break

    def _armed_forces(self, i: int, orgs: list[Mention]) -> None:
        """"المتحدث باسم القوات المسلحة": the national army the article named before (one whose
        descriptors include الجيش), else the article's own "القوات المسلحة"."""
        stem = proclitic_splits(self.t[i].norm)[-1][1]
        if (stem, self.t[i + 1].norm) not in self.p.armed_forces or i + 1 in self.covered:
            return
        start = self.clitic_start(i, stem)
        adj = self.t[i + 2].norm if i + 2 < len(self.t) and not self.gap(i + 1, i + 2).strip() else ""
        if adj in self.p.adjective and i + 2 not in self.covered:
            # "القوات المسلحة المصرية": that country's army when the list has one, else its forces
            code = self.p.adjective[adj]
            self._country_forces(start, i, i + 3, code, _national_armies().get(code))
            return
        army = [m for m in orgs if self.p.army_descriptor in m.entry.descriptors and m.entry.subtype == "GOVERNMENT"]
        before = [m for m in army if m.first < i]
        ref = max(before, key=lambda m: m.first) if before else (min(army, key=lambda m: m.first) if army else None)
        name = self.p.armed_forces[(stem, self.t[i + 1].norm)]
        self.add(Mention(start, self.t[i + 1].end, i, i + 2, "ORG", ref.key if ref else f"org:{stem}-{self.t[i + 1].norm}",
                         ref.name if ref else name, ref.entry if ref else None,
                         ref.entry.subtype if ref else "GOVERNMENT", local=ref is None))

    def _country_forces(self, start: int, first: int, last: int, code: str, army: Entry | None) -> None:
        """A country's forces said with its nationality (tokens first..last): its listed army
        when there is one, else one "forces of X" organisation per country."""
        name = _definite(self._surface(start, self.t[last - 1].end))
        self.add(Mention(start, self.t[last - 1].end, first, last, "ORG",
                         army.key if army else f"org:forces-{code.lower()}", army.name if army else name,
                         army, army.subtype if army else "GOVERNMENT_FORCES"))

    def page_outlet(self) -> None:
        """The publishing outlet's names in the body ("مراسل فرات بوست", "لتجمع أحرار حوران",
        "في تصريح لـ"الراكوبة"", "لمراسل المنار") are that media organisation, whether a list
        knows it or it was read from the page (``ingest.outlets.guess_outlet``). Names the list
        keeps out of the text elsewhere because they are also words (المنار: the lighthouse)
        are safe here: the page itself is that outlet's."""
        src = self.doc.source
        if not (src.outlet and src.outlet_id):
            return
        guessed = src.outlet_id.startswith("guessed:")
        forms = [name_tokens(src.outlet)] if guessed else [tuple(n.split()) for n in names_of_outlet(src.outlet_id)]
        key = "media:" + src.outlet_id
        entry = None if guessed else self.gaz.entries.get(key)
        seen: set[int] = set()
        for name in sorted((f for f in forms if f), key=len, reverse=True):
            listed = self.gaz.lookup_name(" ".join(name))
            if listed is not None and listed.key != key:
                continue  # "المرصد السوري لحقوق الإنسان": the list files it as an organisation too
            n = len(name)
            for i in range(len(self.t) - n + 1):
                if i in seen or [t.norm for t in self.t[i + 1:i + n]] != list(name[1:]):
                    continue
                if all(stem != name[0] for _, stem in proclitic_splits(self.t[i].norm)):
                    continue
                if not guessed and any(k in self.covered for k in range(i, i + n)):
                    continue  # already found by the gazetteer
                if n == 1 and not self._cited_as_outlet(i, name[0]):
                    continue  # "الجيش السوداني" is no citation of the paper "السوداني"
                seen.update(range(i, i + n))
                self.add(Mention(self.clitic_start(i, name[0]), self.t[i + n - 1].end, i, i + n, "ORG",
                                 key, entry.name if entry else src.outlet, entry, subtype="MEDIA"))

    def _cited_as_outlet(self, i: int, name: str) -> bool:
        """A one-word outlet name at token i is cited as the outlet: with the ل of "لـX", after
        a word for a reporter or a kind of site (مراسل، صحيفة، موقع), or in quotation marks."""
        if self.t[i].norm != name:
            return True  # a proclitic is attached: "لـ"الراكوبة""، "للسوداني"
        before = self.doc.text[self.t[i - 1].end:self.t[i].start] if i else ""
        after = self.doc.text[self.t[i].end:self.t[i + 1].start] if i + 1 < len(self.t) else ""
        # a dateline: "بغداد - الزمان: أعلن …", "ود مدني: التغيير – بسطت …"
        dateline = bool(re.search(r"[-–—:]", before) and re.search(r"[-–—:]", after)) and \
            i < len(self.t) and self.t[i].start - self.doc.text.rfind("\n", 0, self.t[i].start) < 40
        return dateline or bool(re.search(r"[\"“«]", before)) or (i > 0 and bool(_stems(self.t[i - 1].norm) & _outlet_citers()))

    def _outside_its_country(self, matches: list) -> list:
        """Matches to keep: a country-bound alias ("الجيش الوطني") of another country's body
        than the one the article's places lie in is dropped."""
        bound = self.p.country_bound
        places = Counter(m.entry.country for m in matches if m.entry.type == "LOC" and m.entry.country
                         and m.entry.kind != "country")
        if not places:
            return matches
        home = places.most_common(1)[0][0]
        return [m for m in matches if not (m.entry.type == "ORG" and m.entry.country and m.entry.country != home
                                           and fold(m.surface) in bound)]

    def build(self) -> tuple[list[Mention], list]:
        matches = [m for m in self._outside_its_country(self.gaz.match(self.doc)) if not self._kunya_not_place(m)]
        gaz_at = {m.first: m for m in matches}
        self._known = {k for m in matches for k in range(m.first, m.last)}
        self._known_orgs = {k for m in matches if m.entry.type == "ORG" for k in range(m.first, m.last)}
        self.page_outlet()
        self.roads(gaz_at)
        self.countrysides(gaz_at)
        self.quoted_orgs()
        self.operations_rooms()
        self.military_regions()
        self.nationalities(gaz_at)
        self.institutions(gaz_at)
        self.places_with_adjective(matches)
        self.facilities_of_known_places(gaz_at)
        for m in matches:
            self.add(Mention(m.start, m.end, m.first, m.last, m.entry.type, m.entry.key, m.entry.name,
                             m.entry, m.entry.subtype))
        self.place_heads(gaz_at)
        self.repeated_places()
        self.descriptors()
        org_at = {m.first: (m.first, m.last) for m in self.mentions if m.type == "ORG"}
        places = {k for m in self.mentions if m.type == "LOC" for k in range(m.first, m.last)}
        pf = PersonFinder(self.doc, org_at, set(self.covered), places,
                          {m.first: m.subtype for m in self.mentions if m.type == "ORG"})
        pf.run()
        pf.given_name_people()
        hints = []
        for rng, pm in sorted(pf.found.items()):
            if set(range(*rng)) & self.covered:
                continue
            self.add(Mention(pm.start, pm.end, pm.first, pm.last, "PER", person_key(self._surface(pm.start, pm.end)),
                             self._surface(pm.start, pm.end), rank=pm.rank, strong=pm.strong,
                             alias_after=pf.alias_of.get(rng)))
        for rng, role, org in pf.hints:
            hints.append((rng, role, org))
        self.statistical()
        # a role phrase and its organisation, then a person only the tagger found
        starts = {m.first: m for m in self.mentions if m.type == "PER" and m.last - m.first >= 2}
        for j, role, org in pf.pending:
            if j in starts:
                hints.append(((starts[j].first, starts[j].last), role, org))
        return self.mentions, hints

    def statistical(self) -> None:
        """Names the trained tagger finds where no list or rule did (see ``ner_mentions``)."""
        pl = person_lexicon()
        headed_places = self._headed_places()
        weak = {m.first: m for m in self.mentions if m.type == "PER" and not m.strong}
        for sp in ner_spans(self.doc):
            if sp.type == "PER" and sp.first in weak and (sp.last == weak[sp.first].last or (
                    sp.first + 2 <= sp.last < weak[sp.first].last)):
                # the tagger confirms a given-name guess (or its first words: "سعد بحر" for "سعد
                # بحر الدين", "عبد القادر محمد" for "عبد القادر محمد نور")
                weak[sp.first].strong = True
                continue
            if sp.type == "PER" and closes_a_family_name(
                    self.doc, sp.first, [(m.first, m.last) for m in self.mentions if m.type == "PER"]):
                continue
            if set(range(sp.first, sp.last)) & self.covered or \
                    not plausible(self.doc, sp, self.gaz.common, pl.stop, pl.given):
                continue
            start, end = self.t[sp.first].start, self.t[sp.last - 1].end
            first = self.t[sp.first].norm
            if sp.type != "PER" and first[0] in "وفبل":
                # "وكفرنبل" names كفرنبل only when the bare form is known; else the letter may be the name's
                if self.gaz.lookup_name(first[1:]) is None:
                    continue
                start = self.clitic_start(sp.first, first[1:])
            surface = self._surface(start, end)
            if sp.type == "PER":
                self.add(Mention(start, end, sp.first, sp.last, "PER", person_key(surface), surface))
                continue
            entry = self.gaz.lookup_name(surface) or (headed_places.get(fold(surface)) if sp.type == "LOC" else None)
            prefix = "loc" if sp.type == "LOC" else "org"
            key = entry.key if entry else f"{prefix}:{fold(surface).replace(' ', '-')}"
            headed = None
            if sp.type == "LOC" and entry is None and sp.first and \
                    _stems(self.t[sp.first - 1].norm) & set(self.p.place_heads):  # "في حي البكر"
                headed = self._surface(self.clitic_start(sp.first - 1, next(iter(
                    _stems(self.t[sp.first - 1].norm) & set(self.p.place_heads)))), end)
            self.add(Mention(start, end, sp.first, sp.last, entry.type if entry else sp.type, key,
                             entry.name if entry else surface, entry, entry.subtype if entry else None,
                             headed=headed))

    def _headed_places(self) -> dict[str, Entry]:
        """Known places of this article listed with their head noun ("مدينة سرت", "ولاية الجزيرة"),
        by the bare name: the tagger's "سرت" is that city, not a new place."""
        out: dict[str, Entry] = {}
        for m in self.mentions:
            toks = fold(m.entry.name).split() if m.entry is not None and m.type == "LOC" else []
            if len(toks) >= 2 and (toks[0] in self.p.place_heads or toks[0] in self.p.admin_heads):
                out[" ".join(toks[1:])] = m.entry
        return out

    def _surface(self, s: int, e: int) -> str:
        return re.sub(r"[\"“”«»()]", "", self.doc.text[s:e]).strip()


def entities_stage(doc: Document) -> Document:
    """Find entity mentions, cluster them per referent, and give each a cross-document id."""
    builder = EntityBuilder(doc)
    mentions, hints = builder.build()
    clusters = _cluster(mentions)
    _generic_mentions_join_named(doc, clusters)
    _merge_place_refinements(clusters)
    _person_coref(doc, builder, clusters)
    _join_known_as(clusters)
    _surnames_over_places(doc, clusters)
    built = _to_entities(doc, clusters)
    doc.entities = [e for e, _ in built]
    by_token: dict[int, str] = {}
    for e, ms in built:
        for m in ms:
            for k in range(m.first, m.last):
                by_token[k] = e.id
    doc.role_hints = _minister_roles(doc, by_token)
    for rng, role, org in hints:
        pid, oid = by_token.get(rng[0]), by_token.get(org[0])
        if pid and oid:
            ev = doc.sentence_at(doc.tokens[rng[0]].start)
            doc.role_hints.append((pid, role, oid, (ev.start, ev.end) if ev else (0, 0)))
    doc.provided.add("entities")
    return doc


def _minister_roles(doc: Document, by_token: dict[int, str]) -> list:
    """"وزير الدفاع التركي، خلوصي أكار" heads "وزارة الدفاع التركية" when the article names
    that ministry: (person, "head", ministry, sentence) hints. Without the ministry in the text
    there is nothing to link; with a nationality, only the ministry of that nation."""
    p = _patterns()
    t = doc.tokens
    minister = {o[0] for o in person_lexicon().offices if len(o) == 1 and o[0].startswith("وزير")}
    ministries = [e for e in doc.entities if e.type == "ORG" and fold(e.name).startswith("وزاره ")]
    out = []
    for i in range(len(t) - 2):
        if minister.isdisjoint(r for _, r in proclitic_splits(t[i].norm)):
            continue
        office = t[i + 1].norm
        j, nat = i + 2, None
        if j < len(t) and t[j].norm in p.adjective:
            nat, j = t[j].norm, j + 1
        pid = by_token.get(j)
        person = doc.entity(pid) if pid else None
        if person is None or person.type != "PER" or re.search(r"[.:؛\n]", doc.text[t[i].end:t[j].start]):
            continue
        cands = [e for e in ministries if fold(e.name).split()[1:2] == [office]
                 and (nat is None or nat + "ه" in fold(e.name).split() or nat in fold(e.name).split())]
        if len(cands) == 1:
            sent = doc.sentence_at(t[i].start)
            out.append((person.id, "head", cands[0].id, (sent.start, sent.end) if sent else (0, 0)))
    return out


def _cluster(mentions: list[Mention]) -> dict[str, list[Mention]]:
    clusters: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: m.start):
        clusters[m.key].append(m)
    # a one-word person (البكور) joins the fuller name that ends with it (مصطفى البكور)
    per_keys = [k for k in clusters if k.startswith("per:")]
    for k in per_keys:
        toks = k[4:].split("-")
        if len(toks) != 1:
            continue
        if toks[0] in person_lexicon().given:
            continue  # "مصطفى" alone is a first name, not the surname of "ناجي مصطفى"
        fuller = [o for o in per_keys if o != k and o[4:].split("-")[-1] == toks[0]]
        if len(fuller) == 1 and fuller[0] in clusters:
            clusters[fuller[0]].extend(clusters.pop(k))
    # a compound family name alone (عبد الغني، بن عزيز) joins the one full name ending with it
    particles = person_lexicon().particles
    for k in [k for k in clusters if k.startswith("per:")]:
        toks = k[4:].split("-")
        if len(toks) != 2 or toks[0] not in particles:
            continue
        fuller = [o for o in clusters if o.startswith("per:") and o != k
                  and o[4:].split("-")[-2:] == toks and len(o[4:].split("-")) > 2]
        if len(fuller) == 1:
            clusters[fuller[0]].extend(clusters.pop(k))
    # an institution named in full once and shortened after ("اللجنة المركزية في درعا البلد" …
    # "اللجنة المركزية"): the short form joins the one longer name it begins, a listed one too
    minted = {k: k[4:].split("-") for k, ms in clusters.items() if k.startswith("org:") and ms[0].entry is None}
    for k, toks in minted.items():
        longer = [o for o, ot in minted.items() if o != k and len(ot) > len(toks) and ot[:len(toks)] == toks
                  and o in clusters]
        if not longer:  # "حرس المنشآت" after the listed "حرس المنشآت النفطية"
            longer = [o for o, ms in clusters.items() if o.startswith("org:") and ms[0].entry is not None
                      and ms[0].type == "ORG" and (lt := fold(ms[0].entry.name).split()) and len(lt) > len(toks)
                      and lt[:len(toks)] == toks]
        if len(longer) == 1 and k in clusters and len(toks) >= 2:
            for m in clusters.pop(k):
                m.key, m.name = longer[0], clusters[longer[0]][0].name
                m.entry, m.subtype = clusters[longer[0]][0].entry, clusters[longer[0]][0].subtype
                clusters[longer[0]].append(m)
    # weak people never confirmed by a strong mention are dropped
    for k in list(clusters):
        if k.startswith("per:") and not any(m.strong for m in clusters[k]):
            if len(clusters[k]) < 2:
                clusters.pop(k)
    return clusters


def _generic_mentions_join_named(doc: Document, clusters: dict[str, list[Mention]]) -> None:
    """"قوات التحالف" and "التحالف" in an article that names "تحالف دعم الشرعية في اليمن": a
    body matched only by its generic words (a descriptor, alone or after قوات) is the one body
    of the article named in full that shares that descriptor, not another body that the list
    files the generic words under."""
    def generic(m: Mention, descriptors: tuple[str, ...]) -> bool:
        words = fold(doc.text[m.start:m.end]).split()
        if len(words) == 2 and "قوات" in _stems(words[0]):
            words = words[1:]
        if len(words) != 1:
            return False
        readings = _stems(words[0]) | {"ال" + x for x in _stems(words[0])}  # "للتحالف" → التحالف
        return not readings.isdisjoint(descriptors)

    orgs = {k: ms for k, ms in clusters.items() if ms[0].type == "ORG" and ms[0].entry is not None
            and ms[0].entry.descriptors}
    for k, ms in list(orgs.items()):
        if k not in clusters or not all(generic(m, ms[0].entry.descriptors) for m in ms):
            continue
        shared = set(ms[0].entry.descriptors)
        named = [o for o, os_ in orgs.items() if o != k and o in clusters and shared & set(os_[0].entry.descriptors)
                 and not all(generic(m, os_[0].entry.descriptors) for m in os_)]
        if len(named) == 1:
            target = clusters[named[0]]
            for m in clusters.pop(k):
                m.key, m.name, m.entry, m.subtype = target[0].key, target[0].name, target[0].entry, target[0].subtype
                target.append(m)


def _merge_place_refinements(clusters: dict[str, list[Mention]]) -> None:
    """"الغوطة" after "الغوطة الشرقية", "ريف إدلب" beside "ريف إدلب الشرقي": the bare name of an
    area refers to the one qualified area of the same name that the article talks about."""
    dirs = _patterns().directions | {d + "ه" for d in _patterns().directions} | {
        d[:-1] + "يه" for d in _patterns().directions}
    names = {k: tuple(fold(ms[0].name).split()) for k, ms in clusters.items() if ms[0].type == "LOC"}
    for k, toks in list(names.items()):
        refined = [o for o, ot in names.items() if o != k and len(ot) > len(toks) and ot[:len(toks)] == toks
                   and all(t in dirs for t in ot[len(toks):])]
        if not refined and len(toks) == 1 and toks[0].startswith("ال") and len(toks[0]) > 4:
            # "الأشرفية" after "أشرفية صحنايا": the first word of a two-word place, made definite
            refined = [o for o, ot in names.items() if o != k and len(ot) == 2 and ot[0] == toks[0][2:]]
        if refined and k in clusters:
            target = min(refined, key=lambda o: min(m.start for m in clusters[o]))
            for m in clusters.pop(k):
                m.key, m.name, m.entry = target, clusters[target][0].name, clusters[target][0].entry
                clusters[target].append(m)


def _surnames_over_places(doc: Document, clusters: dict[str, list[Mention]]) -> None:
    """"تركي المالكي" … "وأضاف المالكي": a one-word place (حي المالكي) that is the family name of a
    person named in full in the article, and never comes after a place word there, is that
    person."""
    heads = set(_patterns().place_heads)
    family = defaultdict(list)
    for k in clusters:
        if k.startswith("per:") and len(k[4:].split("-")) >= 2:
            family[k[4:].split("-")[-1]].append(k)
    for k in [k for k, ms in clusters.items() if ms[0].type == "LOC" and ms[0].entry is not None]:
        ms = clusters[k]
        if any(m.last - m.first != 1 for m in ms):
            continue
        bare = fold(ms[0].entry.name)
        bare = bare[2:] if bare.startswith("ال") and len(bare) > 4 else bare
        owners = family.get(bare, [])
        after_head = any(m.first and _stems(doc.tokens[m.first - 1].norm) & heads for m in ms)
        if len(owners) == 1 and not after_head:
            for m in clusters.pop(k):
                m.key, m.type, m.entry, m.strong = owners[0], "PER", None, False
                clusters[owners[0]].append(m)


def _join_known_as(clusters: dict[str, list[Mention]]) -> None:
    """"الدياب، المعروف بلقب "أبو عمر الحموي"": the name in quotes is the other name of the
    person mentioned right before; it joins that person and does not name the entity."""
    ends = {m.last - 1: k for k, ms in clusters.items() if k.startswith("per:") for m in ms}
    for k in [k for k in clusters if k.startswith("per:")]:
        if k not in clusters:
            continue
        prev = next((m.alias_after for m in clusters[k] if m.alias_after is not None), None)
        owner = ends.get(prev) if prev is not None else None
        if owner and owner != k and owner in clusters:
            for m in clusters.pop(k):
                m.key, m.strong = owner, False
                clusters[owner].append(m)


def _person_coref(doc: Document, builder: EntityBuilder, clusters: dict[str, list[Mention]]) -> None:
    """Every later occurrence of a person's full name or surname is a mention of them."""
    covered = set(builder.covered)
    surnames: dict[str, list[str]] = defaultdict(list)
    compounds: dict[tuple[str, str], list[str]] = defaultdict(list)  # نصر الله: two words
    for k in clusters:
        if k.startswith("per:"):
            toks = k[4:].split("-")
            if len(toks) >= 3 and toks[-1] == "الله":
                compounds[(toks[-2], toks[-1])].append(k)
            elif len(toks) >= 2 and len(toks[-1]) >= 3:
                surnames[toks[-1]].append(k)
    for i, tok in enumerate(doc.tokens):
        if i in covered:
            continue
        if i + 1 < len(doc.tokens) and (i + 1) not in covered:
            for clen, s in proclitic_splits(tok.norm):
                keys = compounds.get((s, doc.tokens[i + 1].norm))
                if keys and len(keys) == 1:
                    start = doc.normalized.offsets[tok.nstart + clen]
                    clusters[keys[0]].append(Mention(start, doc.tokens[i + 1].end, i, i + 2, "PER", keys[0],
                                                     doc.text[start:doc.tokens[i + 1].end], strong=False))
                    covered |= {i, i + 1}
                    break
            if i in covered:
                continue
        for clen, s in proclitic_splits(tok.norm):
            bare = s[2:] if s.startswith("ال") and len(s) > 4 else s
            keys = surnames.get(bare)
            if not keys or len(keys) != 1 or bare in person_lexicon().stop:
                continue
            start = doc.normalized.offsets[tok.nstart + clen]
            clusters[keys[0]].append(Mention(start, tok.end, i, i + 1, "PER", keys[0],
                                             doc.text[start:tok.end], strong=False))
            covered.add(i)
            break


def _to_entities(doc: Document, clusters: dict[str, list[Mention]]) -> list[tuple[Entity, list[Mention]]]:
    """Entities numbered in order of first mention, each with the mentions it was built from."""
    ordered = sorted(clusters.items(), key=lambda kv: min(m.start for m in kv[1]))
    out: list[tuple[Entity, list[Mention]]] = []
    for n, (key, ms) in enumerate(ordered, 1):
        head = ms[0]
        entry = next((m.entry for m in ms if m.entry), None)
        if head.type == "PER":
            names = Counter(m.name for m in ms if m.strong)
            name = max(names, key=lambda x: (len(x.split()), names[x])) if names else head.name
            rank = next((m.rank for m in ms if m.rank), None)
        else:
            name, rank = (entry.name if entry else head.name), None
        e = Entity(id=f"e{n}", type=head.type, name=name,
                   subtype=(entry.subtype if entry else head.subtype),
                   name_en=entry.name_en if entry else (romanize_person(name) if head.type == "PER" else None),
                   kb_id=entry.kb_id if entry else minted_kb_id(head.type, key) + (
                       f"@{doc.id}" if all(m.local for m in ms) else ""),
                   rank=rank, gazetteer_id=entry.key if entry else None,
                   descriptors=entry.descriptors if entry else ())
        e.geo = _geo(key, entry)
        for m in sorted(ms, key=lambda m: m.start):
            surface = re.sub(r"[\"“”«»()]", "", doc.text[m.start:m.end]).strip()
            e.add_mention(m.start, m.end, surface)
            if m.headed and m.headed not in e.aliases:
                e.aliases.append(m.headed)
        if name not in e.aliases:
            e.aliases.insert(0, name)
        out.append((e, ms))
    return out


def _geo(key: str, entry: Entry | None) -> tuple[float, float, str | None] | None:
    """Coordinates from the gazetteer; a countryside no list names takes its town's."""
    if entry is None and key.startswith("loc:countryside:"):
        entry = gazetteer().entries.get("loc:" + key.split(":")[2])
    if entry is None or entry.lat is None or entry.lon is None:
        return None
    return entry.lat, entry.lon, entry.admin1


entities_stage.requires = ("tokens",)  # type: ignore[attr-defined]
entities_stage.provides = ("entities",)  # type: ignore[attr-defined]
