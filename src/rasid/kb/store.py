"""The SQLite knowledge base: one writer, one transaction per article, FTS5 search.

Re-ingesting an article with the same id and content hash changes nothing; a changed article
replaces its old version inside one transaction, so a reader (or a crash, or Ctrl-C) never
sees half an article. Entities are keyed by ``kb_id``: every document that mentions an entity
adds its aliases under that one id.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from rasid.document import Document
from rasid.errors import NotFoundError, QueryError, StoreError
from rasid.kb import semantic
from rasid.kb.schema import migrate
from rasid.kb.search import Hit, fts_query, mark, stems_of
from rasid.normalize import fold


_MIGRATED: set[str] = set()  # paths already migrated by this process (the API opens one per request)


def raw_hash(raw: str) -> str:
    import hashlib

    return hashlib.sha256(raw.encode("utf-8", errors="surrogatepass")).hexdigest()


def default_db_path() -> str:
    if os.environ.get("RASID_DB"):
        return os.environ["RASID_DB"]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "rasid", "rasid.db")


@dataclass(frozen=True)
class StoreResult:
    doc_id: str
    status: str  # "added", "replaced", "unchanged"


class KnowledgeBase:
    """Open (and migrate) a knowledge base; use as a context manager or call ``close``."""

    def __init__(self, path: str | None = None, semantic: bool = True) -> None:
        self.path = path or default_db_path()
        self.semantic = semantic
        self._matrix: tuple[int, list[int], Any] | None = None  # (sentence count, ids, vectors)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30,
                                        check_same_thread=False)  # one connection, used by one request
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            if self.path == ":memory:" or self.path not in _MIGRATED:
                migrate(self.conn)
                _MIGRATED.add(self.path)
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open knowledge base {self.path}: {err}") from err

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- writing
    def store(self, doc: Document) -> StoreResult:
        rec = self._apply_merges(doc.to_record())
        h = doc.content_hash
        row = self.conn.execute("SELECT content_hash FROM documents WHERE id = ?", (doc.id,)).fetchone()
        if row and row[0] == h:
            return StoreResult(doc.id, "unchanged")
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            if row:
                self._delete_doc(doc.id)
            src = rec["source"]
            c.execute("INSERT INTO documents(id, content_hash, raw_hash, outlet, title, published, url, path,"
                      " text, record) VALUES (?,?,?,?,?,?,?,?,?,?)",
                      (doc.id, h, raw_hash(doc.raw), src["outlet"], src["title"], src["published"], src["url"],
                       src["path"], doc.text, json.dumps(rec, ensure_ascii=False)))
            kb_of = {}
            for e in rec["entities"]:
                kb_of[e["id"]] = e["kb_id"]
                c.execute("INSERT INTO entities(kb_id, type, subtype, name, name_en, rank) VALUES (?,?,?,?,?,?)"
                          " ON CONFLICT(kb_id) DO UPDATE SET"
                          " name = CASE WHEN length(excluded.name) > length(entities.name) THEN excluded.name"
                          " ELSE entities.name END, rank = coalesce(excluded.rank, entities.rank),"
                          " name_en = coalesce(entities.name_en, excluded.name_en)",
                          (e["kb_id"], e["type"], e.get("subtype"), e["name"], e["name_en"], e["rank"]))
                for a in dict.fromkeys([e["name"], *e["aliases"]]):
                    c.execute("INSERT OR IGNORE INTO entity_aliases(kb_id, alias, norm) VALUES (?,?,?)",
                              (e["kb_id"], a, fold(a)))
                c.execute("INSERT INTO doc_entities(doc_id, local_id, kb_id, mentions) VALUES (?,?,?,?)",
                          (doc.id, e["id"], e["kb_id"], len(e["mentions"])))
            for r in rec["relations"]:
                c.execute("INSERT INTO relations VALUES (?,?,?,?,?,?,?)",
                          (doc.id, kb_of.get(r["person"]), kb_of.get(r["org"]), r["role"],
                           r["evidence"][0], r["evidence"][1], src["published"]))
            mentions = [(s, e["kb_id"], e["id"]) for e in rec["entities"] for s, _ in e["mentions"]]
            for q in rec["quotes"]:
                cur = c.execute("INSERT INTO quotes(doc_id, speaker_kb, act, kind, text, span_start, span_end,"
                                " channel) VALUES (?,?,?,?,?,?,?,?)",
                                (doc.id, kb_of.get(q["speaker"]), q["act"], q["kind"], q["text"],
                                 q["span"][0], q["span"][1], q["channel"]))
                about = {k for s, k, local in mentions if q["span"][0] <= s < q["span"][1] and local != q["speaker"]}
                for k in about:
                    c.execute("INSERT INTO quote_about(doc_id, quote_rowid, kb_id) VALUES (?,?,?)",
                              (doc.id, cur.lastrowid, k))
            geo_of = {e["id"]: e.get("geo") or {} for e in rec["entities"]}
            for ev in rec["events"]:
                g = geo_of.get(ev["location"], {}) if ev["location"] else {}
                c.execute("INSERT INTO events(doc_id, type, date, location_kb, count, trigger, evidence_start,"
                          " evidence_end, actors, lat, lon, admin1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                          (doc.id, ev["type"], ev["date"], kb_of.get(ev["location"]), ev["count"],
                           ev["trigger"], ev["evidence"][0], ev["evidence"][1],
                           json.dumps([kb_of.get(a) for a in ev["actors"]]), g.get("lat"), g.get("lon"),
                           g.get("admin1")))
            # one vector per clause; short lines (captions, names) would match every query: none
            pieces = [semantic.chunks(doc.text[s.start:s.end]) for s in doc.sentences] if self.semantic else None
            vecs = semantic.encode([c for cs in pieces for c in cs]) if pieces else None
            vi = 0
            for n, s in enumerate(doc.sentences):
                cur = c.execute("INSERT INTO sentences(doc_id, start, end) VALUES (?,?,?)",
                                (doc.id, s.start, s.end))
                c.execute("INSERT INTO sentences_fts(rowid, stems) VALUES (?,?)",
                          (cur.lastrowid, " ".join(stems_of(doc.text[s.start:s.end]))))
                for _ in (pieces[n] if pieces else ()):
                    c.execute("INSERT INTO sentence_vectors(sentence_id, vec) VALUES (?,?)",
                              (cur.lastrowid, semantic.to_blob(vecs[vi])))
                    vi += 1
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        return StoreResult(doc.id, "replaced" if row else "added")

    def has_raw(self, doc_id: str, raw: str) -> bool:
        """True when this exact input is stored already: a restarted ingest skips it unread."""
        row = self.conn.execute("SELECT raw_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return bool(row) and row[0] == raw_hash(raw)

    def _apply_merges(self, rec: dict[str, Any]) -> dict[str, Any]:
        """Identities an analyst merged stay merged when more articles arrive."""
        merges = dict(self.conn.execute("SELECT merged, keep FROM entity_merges").fetchall())
        for e in rec["entities"]:
            e["kb_id"] = merges.get(e["kb_id"], e["kb_id"])
        return rec

    def merge_entities(self, keep: str, merged: str) -> int:
        """Fold identity ``merged`` into ``keep`` everywhere (one transaction); returns articles touched."""
        if keep == merged:
            raise StoreError("cannot merge an entity into itself")
        for k in (keep, merged):
            if not self.conn.execute("SELECT 1 FROM entities WHERE kb_id = ?", (k,)).fetchone():
                raise NotFoundError(f"no entity with id {k!r}")
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            docs = [r[0] for r in c.execute("SELECT DISTINCT doc_id FROM doc_entities WHERE kb_id = ?", (merged,))]
            for did in docs:
                rec = json.loads(c.execute("SELECT record FROM documents WHERE id = ?", (did,)).fetchone()[0])
                for e in rec["entities"]:
                    if e["kb_id"] == merged:
                        e["kb_id"] = keep
                c.execute("UPDATE documents SET record = ? WHERE id = ?", (json.dumps(rec, ensure_ascii=False), did))
            c.execute("UPDATE doc_entities SET kb_id = ? WHERE kb_id = ?", (keep, merged))
            c.execute("UPDATE relations SET person_kb = ? WHERE person_kb = ?", (keep, merged))
            c.execute("UPDATE relations SET org_kb = ? WHERE org_kb = ?", (keep, merged))
            c.execute("UPDATE quotes SET speaker_kb = ? WHERE speaker_kb = ?", (keep, merged))
            c.execute("UPDATE quote_about SET kb_id = ? WHERE kb_id = ?", (keep, merged))
            c.execute("UPDATE events SET location_kb = ? WHERE location_kb = ?", (keep, merged))
            c.execute("UPDATE events SET actors = replace(actors, ?, ?) WHERE actors LIKE ?",
                      (json.dumps(merged, ensure_ascii=False), json.dumps(keep, ensure_ascii=False), f"%{merged}%"))
            c.execute("INSERT OR IGNORE INTO entity_aliases(kb_id, alias, norm) "
                      "SELECT ?, alias, norm FROM entity_aliases WHERE kb_id = ?", (keep, merged))
            c.execute("DELETE FROM entity_aliases WHERE kb_id = ?", (merged,))
            c.execute("DELETE FROM entities WHERE kb_id = ?", (merged,))
            c.execute("UPDATE entity_merges SET keep = ? WHERE keep = ?", (keep, merged))
            c.execute("INSERT OR REPLACE INTO entity_merges(merged, keep) VALUES (?, ?)", (merged, keep))
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        return len(docs)

    def _delete_doc(self, doc_id: str) -> None:
        c = self.conn
        c.execute("DELETE FROM sentences_fts WHERE rowid IN (SELECT id FROM sentences WHERE doc_id = ?)", (doc_id,))
        c.execute("DELETE FROM sentence_vectors WHERE sentence_id IN (SELECT id FROM sentences WHERE doc_id = ?)",
                  (doc_id,))
        for table in ("sentences", "doc_entities", "relations", "quotes", "quote_about", "events"):
            c.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))  # noqa: S608 - fixed names
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    # --- reading
    def record(self, doc_id: str) -> dict[str, Any]:
        row = self.conn.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if not row:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return json.loads(row[0])

    def records(self) -> Iterator[dict[str, Any]]:
        for (rec,) in self.conn.execute("SELECT record FROM documents ORDER BY id"):
            yield json.loads(rec)

    def search(self, query: str, limit: int = 20, mode: str = "hybrid") -> list[Hit]:
        """``keyword`` (FTS5, Arabic-aware), ``semantic`` (cross-lingual vectors) or ``hybrid``
        (both, fused by reciprocal rank; a keyword match always beats a vector-only one)."""
        if mode not in ("keyword", "semantic", "hybrid"):
            raise QueryError(f"unknown search mode {mode!r}")
        if not stems_of(query):
            raise QueryError("the query has no words to search for")
        ids: list[int] = []
        keyword: list[int] = []
        if mode != "semantic":
            keyword = [r[0] for r in self.conn.execute(
                "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?",
                (fts_query(query), max(limit, 50)))]
        if mode == "keyword":
            ids = keyword
        else:
            vector = self._vector_ranking(query, max(limit, 50))
            ids = keyword + [i for i in semantic.rrf([keyword, vector]) if i not in set(keyword)] \
                if mode == "hybrid" else vector
        ids = ids[:limit]
        if not ids:
            return []
        rows = {r[0]: r for r in self.conn.execute(
            "SELECT s.id, s.doc_id, s.start, s.end, d.outlet, d.title, d.published,"
            " substr(d.text, s.start + 1, s.end - s.start) FROM sentences s JOIN documents d ON d.id = s.doc_id"
            f" WHERE s.id IN ({','.join('?' * len(ids))})", ids)}
        return [Hit(r[1], r[4], r[5], r[6], r[7], r[2], r[3], mark(r[7], query))
                for r in (rows[i] for i in ids if i in rows)]

    def _vector_ranking(self, query: str, k: int) -> list[int]:
        n = self.conn.execute("SELECT count(*) FROM sentence_vectors").fetchone()[0]
        if not n:
            return []
        if self._matrix is None or self._matrix[0] != n:
            rows = self.conn.execute("SELECT sentence_id, vec FROM sentence_vectors ORDER BY id").fetchall()
            self._matrix = (n, [r[0] for r in rows], semantic.from_blobs([r[1] for r in rows]))
        _, ids, mat = self._matrix
        scores = mat @ semantic.encode([query])[0]
        out: list[int] = []
        for i in scores.argsort()[::-1]:
            if scores[i] <= 0.15 or len(out) >= k:
                break
            if ids[i] not in out:  # a sentence ranks by its best clause
                out.append(ids[i])
        return out

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        by_type = dict(self.conn.execute(
            "SELECT e.type, count(DISTINCT e.kb_id) FROM entities e JOIN doc_entities d ON d.kb_id = e.kb_id"
            " GROUP BY e.type").fetchall())
        outlets = dict(self.conn.execute(
            "SELECT coalesce(outlet, '?'), count(*) FROM documents GROUP BY outlet ORDER BY 2 DESC").fetchall())
        return {
            "path": self.path,
            "articles": one("SELECT count(*) FROM documents"),
            "entities": one("SELECT count(DISTINCT kb_id) FROM doc_entities"),
            "entities_by_type": by_type,
            "mentions": one("SELECT coalesce(sum(mentions), 0) FROM doc_entities"),
            "relations": one("SELECT count(*) FROM relations"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "events": one("SELECT count(*) FROM events"),
            "sentences": one("SELECT count(*) FROM sentences"),
            "outlets": outlets,
        }
