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
    ``counts`` the full numbers. Every "latest" is a backwards walk down an index keyed by the
    entity and the date (migration 0009), stopping after ``limit`` rows, and article text is read
    for those rows alone: an entity named in 10,000 articles answers in milliseconds.
    The network counts co-occurrence over the entity's latest ``2 * limit`` articles."""
    row = _rows(kb, "SELECT kb_id, type, subtype, name, name_en, rank FROM entities WHERE kb_id = ?", (kb_id,))
    if not row:
        raise NotFoundError(f"no entity with id {kb_id!r}")
    prof = row[0]
    rid = kb.dialect.rowid
    one = lambda sql, args: kb.execute(sql, args).fetchone()[0]  # noqa: E731
    prof["aliases"] = [r["alias"] for r in _rows(kb, "SELECT alias FROM entity_aliases WHERE kb_id = ? "
                                                      "ORDER BY alias", (kb_id,))]
    latest_docs = ("SELECT doc_id FROM doc_entities WHERE kb_id = ? GROUP BY coalesce(published, ''), doc_id "
                   "ORDER BY coalesce(published, '') DESC, doc_id DESC LIMIT ?")
    prof["articles"] = _rows(
        kb, f"SELECT id, title, outlet, published FROM documents WHERE id IN ({latest_docs}) "
            "ORDER BY coalesce(published, ''), id", (kb_id, limit))
    latest_roles = " UNION ".join(
        f"SELECT * FROM (SELECT {rid} AS n, coalesce(published, '') AS p, doc_id FROM relations "
        f"WHERE {col} = ? ORDER BY coalesce(published, '') DESC, doc_id DESC, {rid} DESC LIMIT ?) AS {col}"
        for col in ("person_kb", "org_kb"))
    prof["roles"] = _rows(
        kb, "SELECT r.role, r.person_kb, p.name AS person, r.org_kb, o.name AS org, r.doc_id, r.published, "
            "substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start) AS evidence "
            "FROM relations r JOIN entities p ON p.kb_id = r.person_kb JOIN entities o ON o.kb_id = r.org_kb "
            f"JOIN documents d ON d.id = r.doc_id WHERE r.{rid} IN (SELECT n FROM ({latest_roles}) AS latest "
            f"ORDER BY p DESC, doc_id DESC, n DESC LIMIT ?) "
            f"ORDER BY coalesce(r.published, ''), r.doc_id, r.{rid}", (kb_id, limit, kb_id, limit, limit))
    prof["said"] = _rows(
        kb, "SELECT q.doc_id, q.published, d.outlet, q.act, q.kind, q.channel, q.text FROM quotes q "
            f"JOIN documents d ON d.id = q.doc_id WHERE q.{rid} IN (SELECT {rid} FROM quotes WHERE speaker_kb = ? "
            f"ORDER BY coalesce(published, '') DESC, doc_id DESC, span_start DESC, {rid} DESC LIMIT ?) "
            f"ORDER BY coalesce(q.published, ''), q.doc_id, q.span_start, q.{rid}", (kb_id, limit))
    prof["said_about"] = _rows(
        kb, "SELECT a.doc_id, s.name AS speaker, q.speaker_kb, q.act, q.text, a.published FROM "
            f"(SELECT doc_id, quote_rowid, published FROM quote_about WHERE kb_id = ? "
            "ORDER BY coalesce(published, '') DESC, doc_id DESC, quote_rowid DESC LIMIT ?) AS a "
            f"JOIN quotes q ON q.{rid} = a.quote_rowid LEFT JOIN entities s ON s.kb_id = q.speaker_kb "
            "ORDER BY coalesce(a.published, ''), a.doc_id, a.quote_rowid", (kb_id, limit))
    as_actor = _event_rows(kb, "SELECT event_rowid FROM event_actors WHERE kb_id = ? "
                               "ORDER BY coalesce(date, '') DESC, doc_id DESC, event_rowid DESC LIMIT ?",
                           (kb_id, limit))
    at_place = _event_rows(kb, f"SELECT {rid} FROM events WHERE location_kb = ? "
                               f"ORDER BY coalesce(date, '') DESC, doc_id DESC, {rid} DESC LIMIT ?", (kb_id, limit))
    prof["events"] = as_actor + _place_only(as_actor, at_place)
    prof["counts"] = {
        "articles": one("SELECT count(DISTINCT doc_id) FROM doc_entities WHERE kb_id = ?", (kb_id,)),
        "roles": one("SELECT count(*) FROM relations WHERE person_kb = ? OR org_kb = ?", (kb_id, kb_id)),
        "said": one("SELECT count(*) FROM quotes WHERE speaker_kb = ?", (kb_id,)),
        "said_about": one("SELECT count(*) FROM quote_about WHERE kb_id = ?", (kb_id,)),
        "events_as_actor": one("SELECT count(*) FROM event_actors WHERE kb_id = ?", (kb_id,)),
        "events_at_place": one("SELECT count(*) FROM events WHERE location_kb = ?", (kb_id,)),
    }
    prof["cooccurring"] = _rows(
        kb, "SELECT e.kb_id, e.name, e.type, c.articles FROM (SELECT kb_id, count(DISTINCT doc_id) AS articles "
            f"FROM doc_entities WHERE doc_id IN ({latest_docs}) AND kb_id != ? GROUP BY kb_id) AS c "
            "JOIN entities e ON e.kb_id = c.kb_id WHERE e.type IN ('PER', 'ORG') "
            "ORDER BY c.articles DESC, e.name, e.kb_id LIMIT 25", (kb_id, 2 * limit, kb_id))
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
        conds.append(f"ev.{kb.dialect.rowid} IN (SELECT event_rowid FROM event_actors WHERE kb_id = ?)")
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
    rid = kb.dialect.rowid
    total = kb.execute(f"SELECT count(*) FROM events ev {where}", args).fetchone()[0]
    page = f"SELECT ev.{rid} FROM events ev {where} ORDER BY coalesce(ev.date, ''), ev.doc_id, ev.{rid} LIMIT ? OFFSET ?"
    return {"total": total, "items": _event_rows(kb, page, (*args, limit, offset))}


def _event_rows(kb: KnowledgeBase, page: str, args: tuple) -> list[dict]:
    """The events whose row ids ``page`` selects, by date, with evidence and actor names.

    Filters and order use only the events table (or event_actors): pick the page there, then
    read evidence (article text) for the page's rows alone."""
    rid = kb.dialect.rowid
    rows = _rows(kb, f"SELECT ev.{rid} AS n, ev.doc_id, ev.type, ev.date, ev.location_kb, l.name AS location, "
                     f"ev.count, ev.trigger, ev.actors, ev.lat, ev.lon, ev.admin1, d.outlet, d.published, "
                     f"substr(d.text, ev.evidence_start + 1, ev.evidence_end - ev.evidence_start) AS evidence "
                     f"FROM events ev JOIN documents d ON d.id = ev.doc_id LEFT JOIN entities l ON l.kb_id = ev.location_kb "
                     f"WHERE ev.{rid} IN ({page}) ORDER BY coalesce(ev.date, ''), ev.doc_id, ev.{rid}", args)
    for r in rows:
        r["actors"] = kb.dialect.json(r["actors"]) or []
    ids = sorted({a for r in rows for a in r["actors"] if a})
    names = dict(kb.execute(f"SELECT kb_id, name FROM entities WHERE kb_id IN ({','.join('?' * len(ids))})",
                            tuple(ids)).fetchall()) if ids else {}
    for r in rows:
        r["actors"] = [{"kb_id": a, "name": names.get(a)} for a in r["actors"] if a]
    return rows
