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


PROFILE_LIMIT = 100  # rows per section of an entity profile; ``counts`` has the totals


def entity(kb: KnowledgeBase, kb_id: str, limit: int = PROFILE_LIMIT) -> dict:
    """Profile: names, roles over time, what they said, what was said about them, events, network.

    Each list holds the latest ``limit`` rows (oldest first, so it reads as a timeline) and
    ``counts`` the full numbers: an entity named in 10,000 articles still answers in milliseconds.
    The network counts co-occurrence over the entity's latest ``5 * limit`` articles."""
    row = _rows(kb, "SELECT kb_id, type, subtype, name, name_en, rank FROM entities WHERE kb_id = ?", (kb_id,))
    if not row:
        raise NotFoundError(f"no entity with id {kb_id!r}")
    prof = row[0]
    rid = kb.dialect.rowid
    one = lambda sql, args: kb.execute(sql, args).fetchone()[0]  # noqa: E731
    prof["aliases"] = [r["alias"] for r in _rows(kb, "SELECT alias FROM entity_aliases WHERE kb_id = ? "
                                                      "ORDER BY alias", (kb_id,))]
    # Each list: pick the latest keys over narrow columns (no article text), then read those rows.
    # (walks the documents_published index backwards until `limit` articles of the entity are found)
    latest_docs = ("SELECT d.id FROM documents d WHERE EXISTS (SELECT 1 FROM doc_entities de WHERE de.kb_id = ? "
                   "AND de.doc_id = d.id) ORDER BY coalesce(d.published, '') DESC, d.id DESC LIMIT ?")
    prof["articles"] = _rows(
        kb, f"SELECT id, title, outlet, published FROM documents WHERE id IN ({latest_docs}) "
            "ORDER BY coalesce(published, ''), id", (kb_id, limit))
    prof["roles"] = _rows(
        kb, "SELECT r.role, r.person_kb, p.name AS person, r.org_kb, o.name AS org, r.doc_id, r.published, "
            "substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start) AS evidence "
            "FROM relations r JOIN entities p ON p.kb_id = r.person_kb JOIN entities o ON o.kb_id = r.org_kb "
            f"JOIN documents d ON d.id = r.doc_id WHERE r.{rid} IN (SELECT {rid} FROM relations "
            f"WHERE person_kb = ? OR org_kb = ? ORDER BY coalesce(published, '') DESC, doc_id DESC, {rid} DESC "
            f"LIMIT ?) ORDER BY coalesce(r.published, ''), r.doc_id, r.{rid}", (kb_id, kb_id, limit))
    latest_quotes = (f"SELECT q2.{rid} FROM {{source}} JOIN documents d2 ON d2.id = q2.doc_id WHERE {{cond}} "
                     f"ORDER BY coalesce(d2.published, '') DESC, q2.doc_id DESC, q2.span_start DESC, q2.{rid} DESC "
                     "LIMIT ?")
    prof["said"] = _rows(
        kb, "SELECT q.doc_id, d.published, d.outlet, q.act, q.kind, q.channel, q.text FROM quotes q "
            f"JOIN documents d ON d.id = q.doc_id WHERE q.{rid} IN "
            f"({latest_quotes.format(source='quotes q2', cond='q2.speaker_kb = ?')}) "
            f"ORDER BY coalesce(d.published, ''), q.doc_id, q.span_start, q.{rid}", (kb_id, limit))
    about_src = f"quote_about a JOIN quotes q2 ON q2.{rid} = a.quote_rowid"
    prof["said_about"] = _rows(
        kb, "SELECT q.doc_id, s.name AS speaker, q.speaker_kb, q.act, q.text, d.published FROM quotes q "
            "JOIN documents d ON d.id = q.doc_id LEFT JOIN entities s ON s.kb_id = q.speaker_kb "
            f"WHERE q.{rid} IN ({latest_quotes.format(source=about_src, cond='a.kb_id = ?')}) "
            f"ORDER BY coalesce(d.published, ''), q.doc_id, q.span_start, q.{rid}", (kb_id, limit))
    as_actor, at_place = events(kb, actor=kb_id, limit=limit), events(kb, place=kb_id, limit=limit)
    prof["events"] = as_actor["items"] + _place_only(as_actor["items"], at_place["items"])
    prof["counts"] = {
        "articles": one("SELECT count(DISTINCT doc_id) FROM doc_entities WHERE kb_id = ?", (kb_id,)),
        "roles": one("SELECT count(*) FROM relations WHERE person_kb = ? OR org_kb = ?", (kb_id, kb_id)),
        "said": one("SELECT count(*) FROM quotes WHERE speaker_kb = ?", (kb_id,)),
        "said_about": one("SELECT count(*) FROM quote_about WHERE kb_id = ?", (kb_id,)),
        "events_as_actor": as_actor["total"], "events_at_place": at_place["total"],
    }
    prof["cooccurring"] = _rows(
        kb, "SELECT e.kb_id, e.name, e.type, count(DISTINCT d2.doc_id) AS articles FROM doc_entities d2 "
            f"JOIN entities e ON e.kb_id = d2.kb_id WHERE d2.doc_id IN ({latest_docs}) AND d2.kb_id != ? "
            "AND e.type IN ('PER', 'ORG') GROUP BY e.kb_id, e.name, e.type "
            "ORDER BY articles DESC, e.name, e.kb_id LIMIT 25", (kb_id, 5 * limit, kb_id))
    return prof


def _place_only(as_actor: list[dict], at_place: list[dict]) -> list[dict]:
    """Events where the entity is the place but not already listed as an actor's."""
    seen = {(e["doc_id"], e["n"]) for e in as_actor}
    return [e for e in at_place if (e["doc_id"], e["n"]) not in seen]


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
        sql, more = kb.dialect.actors_contain("ev.actors", actor)
        conds.append(sql)
        args += more
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
    rid = kb.dialect.rowid
    # Filters and order use only the events table: count and pick the page there, then read
    # evidence (article text) for the page's rows alone.
    total = kb.execute(f"SELECT count(*) FROM events ev {where}", args).fetchone()[0]
    page = f"SELECT ev.{rid} FROM events ev {where} ORDER BY coalesce(ev.date, ''), ev.doc_id, ev.{rid} LIMIT ? OFFSET ?"
    rows = _rows(kb, f"SELECT ev.{rid} AS n, ev.doc_id, ev.type, ev.date, ev.location_kb, l.name AS location, "
                     f"ev.count, ev.trigger, ev.actors, ev.lat, ev.lon, ev.admin1, d.outlet, d.published, "
                     f"substr(d.text, ev.evidence_start + 1, ev.evidence_end - ev.evidence_start) AS evidence "
                     f"FROM events ev JOIN documents d ON d.id = ev.doc_id LEFT JOIN entities l ON l.kb_id = ev.location_kb "
                     f"WHERE ev.{rid} IN ({page}) ORDER BY coalesce(ev.date, ''), ev.doc_id, ev.{rid}",
                 (*args, limit, offset))
    for r in rows:
        r["actors"] = kb.dialect.json(r["actors"]) or []
    ids = sorted({a for r in rows for a in r["actors"] if a})
    names = dict(kb.execute(f"SELECT kb_id, name FROM entities WHERE kb_id IN ({','.join('?' * len(ids))})",
                            tuple(ids)).fetchall()) if ids else {}
    for r in rows:
        r["actors"] = [{"kb_id": a, "name": names.get(a)} for a in r["actors"] if a]
    return {"total": total, "items": rows}
