"""Read queries over the knowledge base for the API, the UI and scripts.

Every list is paginated (``limit``/``offset``) and filtered in SQL; entity lookups accept any
alias, Arabic (folded: hamza, ta marbuta, diacritics do not matter) or English. The SQL is written
once, with ``?`` placeholders, for SQLite and PostgreSQL alike; the few differences (row ids, JSON
array membership, LIKE) come from the backend's ``kb.dialect``. Orderings end on a unique key so
both backends return the same rows in the same order.
"""
from __future__ import annotations

from typing import Any

from rasid.errors import NotFoundError
from rasid.kb.store import KnowledgeBase
from rasid.normalize import fold


def _rows(kb: KnowledgeBase, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
    cur = kb.execute(sql, args)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def articles(kb: KnowledgeBase, outlet: str | None = None, limit: int = 50, offset: int = 0) -> dict:
    where, args = ("WHERE outlet = ?", (outlet,)) if outlet else ("", ())
    total = kb.execute(f"SELECT count(*) FROM documents {where}", args).fetchone()[0]
    items = _rows(kb, f"SELECT id, title, outlet, published, url FROM documents {where} "
                      "ORDER BY coalesce(published, '') DESC, id LIMIT ? OFFSET ?", (*args, limit, offset))
    return {"total": total, "items": items}


def find_entities(kb: KnowledgeBase, q: str = "", etype: str | None = None,
                  limit: int = 50, offset: int = 0) -> dict:
    conds, args = [], []
    if q:
        alias, english = kb.dialect.like("norm"), kb.dialect.like("lower(coalesce(e.name_en, ''))")
        conds.append(f"(e.kb_id IN (SELECT kb_id FROM entity_aliases WHERE {alias}) OR {english})")
        args += [f"%{fold(q)}%", f"%{q.lower()}%"]
    if etype:
        conds.append("e.type = ?")
        args.append(etype)
    where = "WHERE " + " AND ".join(conds) if conds else ""
    base = (f"FROM entities e JOIN doc_entities d ON d.kb_id = e.kb_id {where}")
    total = kb.execute(f"SELECT count(DISTINCT e.kb_id) {base}", args).fetchone()[0]
    items = _rows(kb, f"SELECT e.kb_id, e.type, e.subtype, e.name, e.name_en, e.rank, "
                      f"count(DISTINCT d.doc_id) AS articles, sum(d.mentions) AS mentions {base} "
                      "GROUP BY e.kb_id ORDER BY articles DESC, mentions DESC, e.name, e.kb_id LIMIT ? OFFSET ?",
                  (*args, limit, offset))
    return {"total": total, "items": items}


def entity(kb: KnowledgeBase, kb_id: str) -> dict:
    """Profile: names, roles over time, what they said, what was said about them, events, network."""
    row = _rows(kb, "SELECT kb_id, type, subtype, name, name_en, rank FROM entities WHERE kb_id = ?", (kb_id,))
    if not row:
        raise NotFoundError(f"no entity with id {kb_id!r}")
    prof = row[0]
    rid = kb.dialect.rowid
    prof["aliases"] = [r["alias"] for r in _rows(kb, "SELECT alias FROM entity_aliases WHERE kb_id = ? "
                                                      "ORDER BY alias", (kb_id,))]
    docs = [r["doc_id"] for r in _rows(kb, "SELECT DISTINCT doc_id FROM doc_entities WHERE kb_id = ?", (kb_id,))]
    prof["articles"] = _rows(kb, "SELECT id, title, outlet, published FROM documents WHERE id IN "
                                 f"({','.join('?' * len(docs))}) ORDER BY coalesce(published, ''), id",
                             tuple(docs)) if docs else []
    prof["roles"] = _rows(kb, "SELECT r.role, r.person_kb, p.name AS person, r.org_kb, o.name AS org, r.doc_id, "
                              "r.published, substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start) "
                              "AS evidence FROM relations r JOIN entities p ON p.kb_id = r.person_kb "
                              "JOIN entities o ON o.kb_id = r.org_kb JOIN documents d ON d.id = r.doc_id "
                              "WHERE r.person_kb = ? OR r.org_kb = ? "
                              f"ORDER BY coalesce(r.published, ''), r.doc_id, r.{rid}", (kb_id, kb_id))
    prof["said"] = _rows(kb, "SELECT q.doc_id, d.published, d.outlet, q.act, q.kind, q.channel, q.text "
                             "FROM quotes q JOIN documents d ON d.id = q.doc_id WHERE q.speaker_kb = ? "
                             f"ORDER BY coalesce(d.published, ''), q.doc_id, q.span_start, q.{rid} LIMIT 500",
                         (kb_id,))
    about = _rows(kb, "SELECT q.doc_id, s.name AS speaker, q.speaker_kb, q.act, q.text, d.published "
                      f"FROM quote_about a JOIN quotes q ON q.{rid} = a.quote_rowid "
                      "JOIN documents d ON d.id = q.doc_id "
                      "LEFT JOIN entities s ON s.kb_id = q.speaker_kb WHERE a.kb_id = ? "
                      f"ORDER BY coalesce(d.published, ''), q.doc_id, q.{rid} LIMIT 500", (kb_id,))
    prof["said_about"] = about
    prof["events"] = [e for e in events(kb, actor=kb_id, limit=500)["items"]] + \
        [e for e in events(kb, place=kb_id, limit=500)["items"]]
    prof["cooccurring"] = _rows(
        kb, "SELECT e.kb_id, e.name, e.type, count(DISTINCT d2.doc_id) AS articles FROM doc_entities d1 "
            "JOIN doc_entities d2 ON d2.doc_id = d1.doc_id AND d2.kb_id != d1.kb_id "
            "JOIN entities e ON e.kb_id = d2.kb_id WHERE d1.kb_id = ? AND e.type IN ('PER', 'ORG') "
            "GROUP BY e.kb_id ORDER BY articles DESC, e.name, e.kb_id LIMIT 25", (kb_id,))
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
    total = kb.execute(f"SELECT count(*) {base}", args).fetchone()[0]
    items = _rows(kb, f"SELECT q.doc_id, d.outlet, d.published, q.speaker_kb, s.name AS speaker, q.act, q.kind, "
                      f"q.channel, q.text {base} ORDER BY coalesce(d.published, ''), q.doc_id, q.span_start, "
                      f"q.{kb.dialect.rowid} LIMIT ? OFFSET ?", (*args, limit, offset))
    return {"total": total, "items": items}


def events(kb: KnowledgeBase, etype: str | None = None, actor: str | None = None, place: str | None = None,
           governorate: str | None = None, date_from: str | None = None, date_to: str | None = None,
           bbox: tuple[float, float, float, float] | None = None, limit: int = 100, offset: int = 0) -> dict:
    conds, args = [], []
    if etype:
        conds.append("ev.type = ?")
        args.append(etype)
    if actor:
        conds.append(kb.dialect.actors_contain("ev.actors"))
        args.append(actor)
    if place:
        conds.append("ev.location_kb = ?")
        args.append(place)
    if governorate:
        conds.append("ev.admin1 = ?")
        args.append(governorate)
    if date_from:
        conds.append("ev.date >= ?")
        args.append(date_from)
    if date_to:
        conds.append("substr(ev.date, 1, length(CAST(? AS TEXT))) <= ?")
        args += [date_to, date_to]
    if bbox:
        conds.append("ev.lon BETWEEN ? AND ? AND ev.lat BETWEEN ? AND ?")
        args += [bbox[0], bbox[2], bbox[1], bbox[3]]
    where = "WHERE " + " AND ".join(conds) if conds else ""
    base = f"FROM events ev JOIN documents d ON d.id = ev.doc_id LEFT JOIN entities l ON l.kb_id = ev.location_kb {where}"
    total = kb.execute(f"SELECT count(*) {base}", args).fetchone()[0]
    rid = kb.dialect.rowid
    rows = _rows(kb, f"SELECT ev.{rid} AS n, ev.doc_id, ev.type, ev.date, ev.location_kb, l.name AS location, "
                     f"ev.count, ev.trigger, ev.actors, ev.lat, ev.lon, ev.admin1, d.outlet, d.published, "
                     f"substr(d.text, ev.evidence_start + 1, ev.evidence_end - ev.evidence_start) AS evidence "
                     f"{base} ORDER BY coalesce(ev.date, ''), ev.doc_id, ev.{rid} LIMIT ? OFFSET ?",
                 (*args, limit, offset))
    for r in rows:
        r["actors"] = kb.dialect.json(r["actors"]) or []
    ids = sorted({a for r in rows for a in r["actors"] if a})
    names = dict(kb.execute(f"SELECT kb_id, name FROM entities WHERE kb_id IN ({','.join('?' * len(ids))})",
                            tuple(ids)).fetchall()) if ids else {}
    for r in rows:
        r["actors"] = [{"kb_id": a, "name": names.get(a)} for a in r["actors"] if a]
    return {"total": total, "items": rows}
