"""Exports of the knowledge base for the tools analysts already use.

- ``acled-csv``: one row per event in ACLED's column spirit (event_date, event_type, actor1,
  actor2, location, latitude, longitude, admin1, source, notes, fatalities/count, evidence);
- ``jsonl``: the document records exactly as ``rasid extract`` prints them;
- ``entities-csv`` and ``quotes-csv``: one row per entity identity / per statement;
- ``geojson``: events as points (places without coordinates are left out of the geometry list);
- ``graphml``: the actor network for Gephi — co-occurrence in an article, ROLE and
  quote-about edges.
All exports read the stored records, so they show exactly what the knowledge base holds.
"""
from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from typing import Callable, Iterable, TextIO
from xml.sax.saxutils import escape, quoteattr

FORMATS = ("acled-csv", "jsonl", "entities-csv", "quotes-csv", "geojson", "graphml")

ACLED_FIELDS = ["event_date", "event_type", "actor1", "actor2", "location", "latitude", "longitude",
                "admin1", "source", "notes", "count", "evidence", "article_id", "status"]
ENTITY_FIELDS = ["kb_id", "type", "subtype", "name", "name_en", "rank", "aliases", "articles", "mentions"]
QUOTE_FIELDS = ["article_id", "outlet", "published", "speaker", "speaker_kb_id", "act", "kind", "channel",
                "cue", "text"]


def _ents(rec: dict) -> dict[str, dict]:
    return {e["id"]: e for e in rec["entities"]}


def event_rows(records: Iterable[dict]) -> Iterable[dict]:
    for rec in records:
        ents = _ents(rec)
        for ev in rec["events"]:
            actors = [ents[a]["name"] for a in ev["actors"] if a in ents]
            loc = ents.get(ev["location"]) if ev["location"] else None
            geo = (loc or {}).get("geo") or {}
            s, e = ev["evidence"]
            yield {
                "event_date": ev["date"] or "", "event_type": ev["type"],
                "actor1": actors[0] if actors else "", "actor2": actors[1] if len(actors) > 1 else "",
                "location": loc["name"] if loc else "", "latitude": geo.get("lat", ""),
                "longitude": geo.get("lon", ""), "admin1": geo.get("admin1") or "",
                "source": rec["source"]["outlet"] or "", "notes": f"trigger: {ev['trigger']}",
                "count": ev["count"] if ev["count"] is not None else "",
                "evidence": rec["text"][s:e], "article_id": rec["id"], "status": ev.get("status", "asserted"),
            }


def write_acled(records: Iterable[dict], out: TextIO) -> int:
    w = csv.DictWriter(out, fieldnames=ACLED_FIELDS)
    w.writeheader()
    n = 0
    for row in event_rows(records):
        w.writerow(row)
        n += 1
    return n


def write_jsonl(records: Iterable[dict], out: TextIO) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_entities(records: Iterable[dict], out: TextIO) -> int:
    info: dict[str, dict] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    articles: Counter = Counter()
    mentions: Counter = Counter()
    for rec in records:
        for e in rec["entities"]:
            k = e["kb_id"]
            cur = info.get(k)
            if cur is None or len(e["name"]) > len(cur["name"]):
                info[k] = e
            aliases[k] |= set(e["aliases"])
            articles[k] += 1
            mentions[k] += len(e["mentions"])
    w = csv.DictWriter(out, fieldnames=ENTITY_FIELDS)
    w.writeheader()
    for k in sorted(info):
        e = info[k]
        w.writerow({"kb_id": k, "type": e["type"], "subtype": e.get("subtype") or "", "name": e["name"],
                    "name_en": e["name_en"] or "", "rank": e["rank"] or "",
                    "aliases": "|".join(sorted(aliases[k])), "articles": articles[k], "mentions": mentions[k]})
    return len(info)


def write_quotes(records: Iterable[dict], out: TextIO) -> int:
    w = csv.DictWriter(out, fieldnames=QUOTE_FIELDS)
    w.writeheader()
    n = 0
    for rec in records:
        ents = _ents(rec)
        for q in rec["quotes"]:
            sp = ents.get(q["speaker"]) if q["speaker"] else None
            w.writerow({"article_id": rec["id"], "outlet": rec["source"]["outlet"] or "",
                        "published": rec["source"]["published"] or "", "speaker": sp["name"] if sp else "",
                        "speaker_kb_id": sp["kb_id"] if sp else "", "act": q["act"], "kind": q["kind"],
                        "channel": q["channel"] or "", "cue": q["cue"] or "", "text": q["text"]})
            n += 1
    return n


def write_geojson(records: Iterable[dict], out: TextIO) -> int:
    feats = []
    for row in event_rows(records):
        if row["latitude"] == "" or row["longitude"] == "":
            continue
        props = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                      "properties": props})
    json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False)
    return len(feats)


def write_graphml(records: Iterable[dict], out: TextIO) -> int:
    nodes: dict[str, dict] = {}
    edges: Counter = Counter()  # (source, target, kind, label) -> weight
    for rec in records:
        ents = _ents(rec)
        actors = [e for e in rec["entities"] if e["type"] in ("PER", "ORG")]
        for e in actors:
            nodes.setdefault(e["kb_id"], e)
        ids = sorted({e["kb_id"] for e in actors})
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                edges[(a, b, "cooccurs", "")] += 1
        for r in rec["relations"]:
            p, o = ents.get(r["person"]), ents.get(r["org"])
            if p and o:
                edges[(p["kb_id"], o["kb_id"], "role", r["role"])] += 1
        for q in rec["quotes"]:
            sp = ents.get(q["speaker"]) if q["speaker"] else None
            if not sp:
                continue
            s, t = q["span"]
            about = {e["kb_id"] for e in actors if e["kb_id"] != sp["kb_id"] and
                     any(s <= ms < t for ms, _ in e["mentions"])}
            for k in about:
                edges[(sp["kb_id"], k, "quote_about", q["act"])] += 1
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
              '<key id="name" for="node" attr.name="name" attr.type="string"/>\n'
              '<key id="name_en" for="node" attr.name="name_en" attr.type="string"/>\n'
              '<key id="type" for="node" attr.name="type" attr.type="string"/>\n'
              '<key id="kind" for="edge" attr.name="kind" attr.type="string"/>\n'
              '<key id="label" for="edge" attr.name="label" attr.type="string"/>\n'
              '<key id="weight" for="edge" attr.name="weight" attr.type="double"/>\n'
              '<graph id="rasid" edgedefault="directed">\n')
    for k, e in sorted(nodes.items()):
        out.write(f"<node id={quoteattr(k)}><data key=\"name\">{escape(e['name'])}</data>"
                  f"<data key=\"name_en\">{escape(e['name_en'] or '')}</data>"
                  f"<data key=\"type\">{escape(e.get('subtype') or e['type'])}</data></node>\n")
    for n, ((a, b, kind, label), w) in enumerate(sorted(edges.items())):
        out.write(f"<edge id=\"e{n}\" source={quoteattr(a)} target={quoteattr(b)}>"
                  f"<data key=\"kind\">{kind}</data><data key=\"label\">{escape(label)}</data>"
                  f"<data key=\"weight\">{w}</data></edge>\n")
    out.write("</graph>\n</graphml>\n")
    return len(nodes)


WRITERS: dict[str, Callable[[Iterable[dict], TextIO], int]] = {
    "acled-csv": write_acled, "jsonl": write_jsonl, "entities-csv": write_entities,
    "quotes-csv": write_quotes, "geojson": write_geojson, "graphml": write_graphml,
}


def export(records: Iterable[dict], fmt: str, out: TextIO) -> int:
    """Write ``records`` in ``fmt``; returns the number of rows/features/nodes written."""
    return WRITERS[fmt](records, out)
