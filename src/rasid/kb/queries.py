"""Read queries over the knowledge base for the API, the UI and scripts.

Every list is paginated (``limit``/``offset``) and filtered in SQL; entity lookups accept any
alias, Arabic (folded: hamza, ta marbuta, diacritics do not matter) or English.
"""
from __future__ import annotations

import json
from typing import Any

from rasid.errors import NotFoundError
from rasid.kb.store import KnowledgeBase
from rasid.normalize import fold


def _rows(kb: KnowledgeBase, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
    cur = kb.conn.execute(sql, args)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def articles(kb: KnowledgeBase, outlet: str | None = None, limit: int = 50, offset: int = 0) -> dict:
    where, args = ("WHERE outlet = ?", (outlet,)) if outlet else ("", ())
    total = kb.conn.execute(f"SELECT count(*) FROM documents {where}", args).fetchone()[0]
    items = _rows(kb, f"SELECT id, title, outlet, published, url FROM documents {where} "
                      "ORDER BY coalesce(published, '') DESC, id LIMIT ? OFFSET ?", (*args, limit, offset))
    return {"total": total, "items": items}


def find_entities(kb: KnowledgeBase, q: str = "", etype: str | None = None,
                  limit: int = 50, offset: int = 0) -> dict:
    conds, args = [], []
    if q:
        conds.append("(e.kb_id IN (SELECT kb_id FROM entity_aliases WHERE norm LIKE ?) "
                     "OR lower(coalesce(e.name_en, '')) LIKE ?)")
        args += [f"%{fold(q)}%", f"%{q.lower()}%"]
    if etype:
        conds.append("e.type = ?")
        args.append(etype)
    where = "WHERE " + " AND ".join(conds) if conds else ""
    base = (f"FROM entities e JOIN doc_entities d ON d.kb_id = e.kb_id {where}")
    total = kb.conn.execute(f"SELECT count(DISTINCT e.kb_id) {base}", args).fetchone()[0]
    items = _rows(kb, f"SELECT e.kb_id, e.type, e.subtype, e.name, e.name_en, e.rank, "
                      f"count(DISTINCT d.doc_id) AS articles, sum(d.mentions) AS mentions {base} "
                      "GROUP BY e.kb_id ORDER BY articles DESC, mentions DESC, e.name LIMIT ? OFFSET ?",
                  (*args, limit, offset))
    return {"total": total, "items": items}


def entity(kb: KnowledgeBase, kb_id: str) -> dict:
    """Profile: names, roles over time, what they said, what was said about them, events, network."""
    row = _rows(kb, "SELECT kb_id, type, subtype, name, name_en, rank FROM entities WHERE kb_id = ?", (kb_id,))
    if not row:
        raise NotFoundError(f"no entity with id {kb_id!r}")
    prof = row[0]
    prof["aliases"] = [r["alias"] for r in _rows(kb, "SELECT alias FROM entity_aliases WHERE kb_id = ? "
                                                      "ORDER BY alias", (kb_id,))]
    docs = [r["doc_id"] for r in _rows(kb, "SELECT DISTINCT doc_id FROM doc_entities WHERE kb_id = ?", (kb_id,))]
    prof["articles"] = _rows(kb, "SELECT id, title, outlet, published FROM documents WHERE id IN "
                                 f"({','.join('?' * len(docs))}) ORDER BY published", tuple(docs)) if docs else []
    prof["roles"] = _rows(kb, "SELECT r.role, r.person_kb, p.name AS person, r.org_kb, o.name AS org, r.doc_id, "
                              "r.published, substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start) "
                              "AS evidence FROM relations r JOIN entities p ON p.kb_id = r.person_kb "
                              "JOIN entities o ON o.kb_id = r.org_kb JOIN documents d ON d.id = r.doc_id "
                              "WHERE r.person_kb = ? OR r.org_kb = ? ORDER BY coalesce(r.published, ''), r.doc_id",
                          (kb_id, kb_id))
    prof["said"] = _rows(kb, "SELECT q.doc_id, d.published, d.outlet, q.act, q.kind, q.channel, q.text "
                             "FROM quotes q JOIN documents d ON d.id = q.doc_id WHERE q.speaker_kb = ? "
                             "ORDER BY coalesce(d.published, ''), q.doc_id, q.span_start", (kb_id,))
    about = []
    for did in docs:
        rec = kb.record(did)
        local = {e["id"]: e for e in rec["entities"]}
        mine = [e for e in rec["entities"] if e["kb_id"] == kb_id]
        spans = [m for e in mine for m in e["mentions"]]
        for q in rec["quotes"]:
            sp = local.get(q["speaker"]) if q["speaker"] else None
            if sp and sp["kb_id"] == kb_id:
                continue
            if any(q["span"][0] <= s < q["span"][1] for s, _ in spans):
                about.append({"doc_id": did, "speaker": sp["name"] if sp else None,
                              "speaker_kb": sp["kb_id"] if sp else None, "act": q["act"], "text": q["text"],
                              "published": rec["source"]["published"]})
    prof["said_about"] = about
    prof["events"] = [e for e in events(kb, actor=kb_id, limit=500)["items"]] + \
        [e for e in events(kb, place=kb_id, limit=500)["items"]]
    prof["cooccurring"] = _rows(
        kb, "SELECT e.kb_id, e.name, e.type, count(DISTINCT d2.doc_id) AS articles FROM doc_entities d1 "
            "JOIN doc_entities d2 ON d2.doc_id = d1.doc_id AND d2.kb_id != d1.kb_id "
            "JOIN entities e ON e.kb_id = d2.kb_id WHERE d1.kb_id = ? AND e.type IN ('PER', 'ORG') "
            "GROUP BY e.kb_id ORDER BY articles DESC, e.name LIMIT 25", (kb_id,))
    return prof


def quotes(kb: KnowledgeBase, speaker: str | None = None, org: str | None = None, act: str | None = None,
           date_from: str | None = None, date_to: str | None = None, outlet: str | None = None,
           limit: int = 50, offset: int = 0) -> dict:
    conds, args = [], []
    if speaker:
        conds.append("q.speaker_kb = ?")
        args.append(speaker)
    if org:  # the organisation itself, or a person holding a role in it
        conds.append("(q.speaker_kb = ? OR q.speaker_kb IN (SELECT person_kb FROM relations WHERE org_kb = ?))")
        args += [org, org]
    if act:
        conds.append("q.act = ?")
        args.append(act)
    if date_from:
        conds.append("d.published >= ?")
        args.append(date_from)
    if date_to:
        conds.append("d.published <= ?")
        args.append(date_to)
    if outlet:
        conds.append("d.outlet = ?")
        args.append(outlet)
    where = "WHERE " + " AND ".join(conds) if conds else ""
    base = f"FROM quotes q JOIN documents d ON d.id = q.doc_id LEFT JOIN entities s ON s.kb_id = q.speaker_kb {where}"
    total = kb.conn.execute(f"SELECT count(*) {base}", args).fetchone()[0]
    items = _rows(kb, f"SELECT q.doc_id, d.outlet, d.published, q.speaker_kb, s.name AS speaker, q.act, q.kind, "
                      f"q.channel, q.text {base} ORDER BY coalesce(d.published, ''), q.doc_id, q.span_start "
                      "LIMIT ? OFFSET ?", (*args, limit, offset))
    return {"total": total, "items": items}


def events(kb: KnowledgeBase, etype: str | None = None, actor: str | None = None, place: str | None = None,
           governorate: str | None = None, date_from: str | None = None, date_to: str | None = None,
           bbox: tuple[float, float, float, float] | None = None, limit: int = 100, offset: int = 0) -> dict:
    conds, args = [], []
    if etype:
        conds.append("ev.type = ?")
        args.append(etype)
    if actor:
        conds.append("EXISTS (SELECT 1 FROM json_each(ev.actors) WHERE json_each.value = ?)")
        args.append(actor)
    if place:
        conds.append("ev.location_kb = ?")
        args.append(place)
    if date_from:
        conds.append("ev.date >= ?")
        args.append(date_from)
    if date_to:
        conds.append("substr(ev.date, 1, length(?)) <= ?")
        args += [date_to, date_to]
    where = "WHERE " + " AND ".join(conds) if conds else ""
    rows = _rows(kb, f"SELECT ev.rowid AS n, ev.doc_id, ev.type, ev.date, ev.location_kb, l.name AS location, "
                     f"ev.count, ev.trigger, ev.actors, d.outlet, d.published, "
                     f"substr(d.text, ev.evidence_start + 1, ev.evidence_end - ev.evidence_start) AS evidence "
                     f"FROM events ev JOIN documents d ON d.id = ev.doc_id LEFT JOIN entities l "
                     f"ON l.kb_id = ev.location_kb {where} ORDER BY coalesce(ev.date, ''), ev.doc_id", tuple(args))
    out = []
    names = dict(kb.conn.execute("SELECT kb_id, name FROM entities").fetchall())
    for r in rows:
        r["actors"] = [{"kb_id": a, "name": names.get(a)} for a in json.loads(r["actors"] or "[]") if a]
        geo = _geo(kb, r["doc_id"], r["location_kb"])
        r.update(geo)
        if governorate and r.get("admin1") != governorate:
            continue
        if bbox and not (r.get("lat") is not None and bbox[1] <= r["lat"] <= bbox[3] and bbox[0] <= r["lon"] <= bbox[2]):
            continue
        out.append(r)
    return {"total": len(out), "items": out[offset:offset + limit]}


def _geo(kb: KnowledgeBase, doc_id: str, kb_id: str | None) -> dict:
    if not kb_id:
        return {"lat": None, "lon": None, "admin1": None}
    rec = kb.record(doc_id)
    for e in rec["entities"]:
        if e["kb_id"] == kb_id and e.get("geo"):
            return {"lat": e["geo"]["lat"], "lon": e["geo"]["lon"], "admin1": e["geo"]["admin1"]}
    return {"lat": None, "lon": None, "admin1": None}
