"""The knowledge base: one writer, one transaction per article, Arabic-aware search.

Re-ingesting an article with the same id and content hash changes nothing; a changed article
replaces its old version inside one transaction, so a reader (or a crash, or Ctrl-C) never
sees half an article. Entities are keyed by ``kb_id``: every document that mentions an entity
adds its aliases under that one id.

SQLite (a file, FTS5) is the default; ``KnowledgeBase("postgresql://user:pass@host/db")`` (or
``open_kb``) opens the same knowledge base on PostgreSQL (``rasid.kb.postgres``). Both backends
run the same store, merge and read code; what differs (placeholders, full-text index, JSON,
transactions) sits behind a few hooks and a tiny SQL dialect object (``kb.dialect``).
"""
from __future__ import annotations

import atexit
import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from rasid.document import Document
from rasid.errors import NotFoundError, QueryError, StoreError
from rasid.kb import semantic
from rasid.kb.schema import migrate
from rasid.kb.semantic import VectorIndex, shared_index
from rasid.kb.search import RANK_WINDOW, Hit, fts_query, mark, stems_of
from rasid.normalize import fold


# files already migrated by this process, by path and identity (the API opens one per request)
_MIGRATED: set[tuple[str, tuple[int, int] | None]] = set()


def raw_hash(raw: str) -> str:
    import hashlib

    return hashlib.sha256(raw.encode("utf-8", errors="surrogatepass")).hexdigest()


def is_postgres_url(target: str | None) -> bool:
    return bool(target) and str(target).startswith(("postgresql://", "postgres://"))


def backend_errors(target: str | None = None) -> tuple[type[BaseException], ...]:
    """The driver's exception classes for the knowledge base at ``target`` (for the API's 503)."""
    if is_postgres_url(target or default_db_path()):
        try:
            import psycopg
        except ImportError:
            return (sqlite3.Error,)
        return (sqlite3.Error, psycopg.Error)
    return (sqlite3.Error,)


def default_db_path() -> str:
    if os.environ.get("RASID_DB"):
        return os.environ["RASID_DB"]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "rasid", "rasid.db")


@dataclass(frozen=True)
class StoreResult:
    doc_id: str
    status: str  # "added", "replaced", "unchanged"


class SQLiteDialect:
    """What read queries need to know about the backend's SQL (``rasid.kb.queries``).

    Queries are written once with ``?`` placeholders; ``sql`` turns them into the driver's
    style. PostgreSQL's version is ``rasid.kb.postgres.PostgresDialect``."""

    name = "sqlite"
    rowid = "rowid"  # the row id of relations, quotes and events

    def sql(self, query: str) -> str:
        return query

    def like(self, expr: str) -> str:
        """``expr`` contains the pattern ``?`` (ASCII case-insensitive, no escape character)."""
        return f"{expr} LIKE ?"

    def json(self, value: Any) -> Any:
        """A stored JSON column as Python (SQLite returns the text)."""
        return json.loads(value) if isinstance(value, (str, bytes)) else value


def _file_identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the database file, or None (in memory, not created yet)."""
    if path == ":memory:":
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class _ConnectionPool:
    """Idle SQLite connections of this process, by path and file identity: a file deleted and
    created again at the same path (a new inode) never gets a connection to the old one."""

    size = 32  # the API serves up to 40 requests at once (its thread pool)

    def __init__(self) -> None:
        self._idle: dict[tuple[str, tuple[int, int]], list[sqlite3.Connection]] = {}
        self._lock = threading.Lock()

    def checkout(self, path: str, file: tuple[int, int] | None) -> sqlite3.Connection | None:
        if file is None:
            return None
        with self._lock:
            idle = self._idle.get((path, file))
            return idle.pop() if idle else None

    def checkin(self, path: str, file: tuple[int, int] | None, conn: sqlite3.Connection) -> bool:
        if file is None or conn.in_transaction:
            return False
        with self._lock:
            idle = self._idle.setdefault((path, file), [])
            if len(idle) >= self.size:
                return False
            idle.append(conn)
            return True

    def close_all(self) -> None:
        """Close every idle connection (at exit: the last one to close checkpoints the WAL into
        the database file, so a copy of the file alone is complete)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()


_SQLITE_POOL = _ConnectionPool()
atexit.register(_SQLITE_POOL.close_all)


def open_kb(target: str | None = None, semantic: bool = True) -> "KnowledgeBase":
    """The knowledge base at ``target``: a ``postgresql://`` (or ``postgres://``) URL opens
    PostgreSQL, anything else is an SQLite file; ``None`` means ``$RASID_DB`` or the default file."""
    return KnowledgeBase(target, semantic)


class KnowledgeBase:
    """Open (and migrate) a knowledge base; use as a context manager or call ``close``.

    ``KnowledgeBase(path)`` is SQLite for a file path and PostgreSQL for a ``postgresql://`` URL
    (an instance of ``rasid.kb.postgres.PostgresKnowledgeBase``, a subclass)."""

    dialect: Any = SQLiteDialect()
    _wrote = False  # a write transaction ran on this connection (``close`` checkpoints then)

    def __new__(cls, path: str | None = None, semantic: bool = True):
        if cls is KnowledgeBase and is_postgres_url(path or default_db_path()):
            from rasid.kb.postgres import PostgresKnowledgeBase

            return super().__new__(PostgresKnowledgeBase)
        return super().__new__(cls)

    def __init__(self, path: str | None = None, semantic: bool = True) -> None:
        self.path = path or default_db_path()
        self.semantic = semantic
        # an in-memory database is private to this connection; a file is shared by the process
        self._vectors = VectorIndex() if self.path == ":memory:" else shared_index(os.path.abspath(self.path))
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._file = _file_identity(self.path)
        self.conn = _SQLITE_POOL.checkout(self.path, self._file)
        if self.conn is not None:
            return
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30,
                                        check_same_thread=False)  # one connection, used by one request
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._file = _file_identity(self.path)  # the file exists now
            if self.path == ":memory:" or (self.path, self._file) not in _MIGRATED:
                migrate(self.conn)
                _MIGRATED.add((self.path, self._file))
        except sqlite3.DatabaseError as err:
            if self.conn is not None:
                self.conn.close()
            raise StoreError(f"cannot open knowledge base {self.path}: {err}") from err

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Hands the connection back to this process's pool (the API opens a knowledge base per
        request; a pooled connection keeps its page cache) or closes it."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        if self._wrote and not conn.in_transaction:
            # what this writer committed goes into the database file itself (as closing the last
            # connection would do), so copying the file alone after a write is a complete copy
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        if not _SQLITE_POOL.checkin(self.path, self._file, conn):
            conn.close()

    # --- the backend's SQL (PostgreSQL overrides these; rasid.kb.postgres)
    def execute(self, sql: str, args: tuple | list = ()) -> Any:
        """Run one statement written with ``?`` placeholders; returns the driver's cursor."""
        return self.conn.execute(self.dialect.sql(sql), tuple(args))

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction; writers take turns (SQLite: BEGIN IMMEDIATE)."""
        c = self.conn
        self._wrote = True
        c.execute("BEGIN IMMEDIATE")
        try:
            yield
            c.execute("UPDATE kb_generation SET n = n + 1")
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise

    def generation(self) -> int:
        """A number that grows with every committed write (store, merge, split): equal numbers
        mean equal contents, so a cached answer is still right."""
        return self.execute("SELECT n FROM kb_generation").fetchone()[0]

    def optimize(self) -> None:
        """Refresh the planner's statistics after a batch of writes. Without them SQLite may join
        ``documents`` through its primary key instead of the covering index and read article text
        just to sort by date. ``analysis_limit`` samples each index, so the cost stays bounded
        (~0.1 s) however large the knowledge base grows."""
        self.conn.execute("PRAGMA analysis_limit=1000")
        self.conn.execute("ANALYZE")

    def _insert_id(self, sql: str, args: tuple) -> int:
        """INSERT one row, return its row id."""
        return self.execute(sql, args).lastrowid

    def _insert_sentence(self, doc_id: str, start: int, end: int, stems: str) -> int:
        sid = self._insert_id('INSERT INTO sentences(doc_id, start, "end") VALUES (?,?,?)', (doc_id, start, end))
        self.conn.execute("INSERT INTO sentences_fts(rowid, stems) VALUES (?,?)", (sid, stems))
        return sid

    def _delete_sentence_index(self, doc_id: str) -> None:
        self.execute("DELETE FROM sentences_fts WHERE rowid IN (SELECT id FROM sentences WHERE doc_id = ?)",
                     (doc_id,))

    def _keyword_ids(self, query: str, k: int) -> list[int]:
        q = fts_query(query)
        return [r[0] for r in self.execute(
            "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? AND rowid >= coalesce((SELECT min(rowid) "
            "FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rowid DESC LIMIT ?)), 0) "
            "ORDER BY rank, rowid LIMIT ?", (q, q, RANK_WINDOW, k))]

    def _replace_actor(self, keep: str, merged: str, doc_id: str | None = None) -> None:
        """Event actors (a JSON array of kb_ids): ``merged`` becomes ``keep`` (in one article)."""
        self.execute("UPDATE events SET actors = (SELECT json_group_array(CASE WHEN j.value = ? THEN ? "
                     "ELSE j.value END) FROM (SELECT value FROM json_each(events.actors) ORDER BY key) j) "
                     "WHERE EXISTS (SELECT 1 FROM json_each(events.actors) WHERE value = ?) "
                     "AND (? IS NULL OR doc_id = ?)", (merged, keep, merged, doc_id, doc_id))

    # --- writing
    def store(self, doc: Document) -> StoreResult:
        h = doc.content_hash
        row = self.execute("SELECT content_hash FROM documents WHERE id = ?", (doc.id,)).fetchone()
        if row and row[0] == h:
            return StoreResult(doc.id, "unchanged")
        # Computed before the transaction (or already by a scale-out worker): writers wait on
        # each other only for the inserts.
        pieces, vecs = None, None
        if self.semantic:
            pieces, vecs = doc.clause_vectors or semantic.document_vectors(doc)
        x = self.execute
        with self._write():
            row = x("SELECT content_hash FROM documents WHERE id = ?", (doc.id,)).fetchone()
            if row and row[0] == h:  # another writer stored it meanwhile
                return StoreResult(doc.id, "unchanged")
            rec = self._apply_merges(doc.to_record())
            if row:
                self._delete_doc(doc.id)
            src = rec["source"]
            x("INSERT INTO documents(id, content_hash, raw_hash, outlet, title, published, url, path,"
              " text, record) VALUES (?,?,?,?,?,?,?,?,?,?)",
              (doc.id, h, raw_hash(doc.raw), src["outlet"], src["title"], src["published"], src["url"],
               src["path"], doc.text, json.dumps(rec, ensure_ascii=False)))
            kb_of = {}
            for e in rec["entities"]:
                kb_of[e["id"]] = e["kb_id"]
                x("INSERT INTO entities(kb_id, type, subtype, name, name_en, rank) VALUES (?,?,?,?,?,?)"
                  " ON CONFLICT(kb_id) DO UPDATE SET"
                  " name = CASE WHEN length(excluded.name) > length(entities.name) THEN excluded.name"
                  " ELSE entities.name END, rank = coalesce(excluded.rank, entities.rank),"
                  " name_en = coalesce(entities.name_en, excluded.name_en)",
                  (e["kb_id"], e["type"], e.get("subtype"), e["name"], e["name_en"], e["rank"]))
                for a in dict.fromkeys([e["name"], *e["aliases"]]):
                    x("INSERT INTO entity_aliases(kb_id, alias, norm) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                      (e["kb_id"], a, fold(a)))
                x("INSERT INTO doc_entities(doc_id, local_id, kb_id, mentions, published) VALUES (?,?,?,?,?)",
                  (doc.id, e["id"], e["kb_id"], len(e["mentions"]), src["published"]))
            for r in rec["relations"]:
                x("INSERT INTO relations(doc_id, person_kb, org_kb, role, evidence_start, evidence_end, published)"
                  " VALUES (?,?,?,?,?,?,?)",
                  (doc.id, kb_of.get(r["person"]), kb_of.get(r["org"]), r["role"],
                   r["evidence"][0], r["evidence"][1], src["published"]))
            mentions = [(s, e["kb_id"], e["id"]) for e in rec["entities"] for s, _ in e["mentions"]]
            for q in rec["quotes"]:
                qid = self._insert_id("INSERT INTO quotes(doc_id, speaker_kb, act, kind, text, span_start,"
                                      " span_end, channel, published) VALUES (?,?,?,?,?,?,?,?,?)",
                                      (doc.id, kb_of.get(q["speaker"]), q["act"], q["kind"], q["text"],
                                       q["span"][0], q["span"][1], q["channel"], src["published"]))
                about = {k for s, k, local in mentions if q["span"][0] <= s < q["span"][1] and local != q["speaker"]}
                for k in sorted(about):
                    x("INSERT INTO quote_about(doc_id, quote_rowid, kb_id, published) VALUES (?,?,?,?)",
                      (doc.id, qid, k, src["published"]))
            geo_of = {e["id"]: e.get("geo") or {} for e in rec["entities"]}
            for ev in rec["events"]:
                g = geo_of.get(ev["location"], {}) if ev["location"] else {}
                actors = [kb_of.get(a) for a in ev["actors"]]
                eid = self._insert_id(
                    "INSERT INTO events(doc_id, type, date, location_kb, count, trigger, evidence_start,"
                    " evidence_end, actors, lat, lon, admin1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, ev["type"], ev["date"], kb_of.get(ev["location"]), ev["count"],
                     ev["trigger"], ev["evidence"][0], ev["evidence"][1], json.dumps(actors),
                     g.get("lat"), g.get("lon"), g.get("admin1")))
                for a in dict.fromkeys(a for a in actors if a):
                    x("INSERT INTO event_actors(doc_id, event_rowid, kb_id, date) VALUES (?,?,?,?)",
                      (doc.id, eid, a, ev["date"]))
            vi = 0
            for n, s in enumerate(doc.sentences):
                sid = self._insert_sentence(doc.id, s.start, s.end, " ".join(stems_of(doc.text[s.start:s.end])))
                for _ in (pieces[n] if pieces else ()):
                    x("INSERT INTO sentence_vectors(sentence_id, vec) VALUES (?,?)",
                      (sid, semantic.to_blob(vecs[vi])))
                    vi += 1
        return StoreResult(doc.id, "replaced" if row else "added")

    def has_raw(self, doc_id: str, raw: str) -> bool:
        """True when this exact input is stored already: a restarted ingest skips it unread."""
        row = self.execute("SELECT raw_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return bool(row) and row[0] == raw_hash(raw)

    def _apply_merges(self, rec: dict[str, Any]) -> dict[str, Any]:
        """Identities an analyst merged stay merged, and split ones split, when articles arrive again."""
        splits = dict(self.execute("SELECT kb_id, new_kb_id FROM entity_splits WHERE doc_id = ?",
                                   (rec["id"],)).fetchall())
        for e in rec["entities"]:
            e["kb_id"] = splits.get(e["kb_id"], e["kb_id"])
        merges = dict(self.execute("SELECT merged, keep FROM entity_merges").fetchall())
        for e in rec["entities"]:
            e["kb_id"] = merges.get(e["kb_id"], e["kb_id"])
        return rec

    def merge_entities(self, keep: str, merged: str) -> int:
        """Fold identity ``merged`` into ``keep`` everywhere (one transaction); returns articles touched."""
        if keep == merged:
            raise StoreError("cannot merge an entity into itself")
        x = self.execute
        with self._write():
            for k in (keep, merged):
                if not x("SELECT 1 FROM entities WHERE kb_id = ?", (k,)).fetchone():
                    raise NotFoundError(f"no entity with id {k!r}")
            docs = [r[0] for r in x("SELECT DISTINCT doc_id FROM doc_entities WHERE kb_id = ? ORDER BY doc_id",
                                    (merged,)).fetchall()]
            for did in docs:
                rec = json.loads(x("SELECT record FROM documents WHERE id = ?", (did,)).fetchone()[0])
                for e in rec["entities"]:
                    if e["kb_id"] == merged:
                        e["kb_id"] = keep
                x("UPDATE documents SET record = ? WHERE id = ?", (json.dumps(rec, ensure_ascii=False), did))
            x("UPDATE doc_entities SET kb_id = ? WHERE kb_id = ?", (keep, merged))
            x("UPDATE relations SET person_kb = ? WHERE person_kb = ?", (keep, merged))
            x("UPDATE relations SET org_kb = ? WHERE org_kb = ?", (keep, merged))
            x("UPDATE quotes SET speaker_kb = ? WHERE speaker_kb = ?", (keep, merged))
            x("UPDATE quote_about SET kb_id = ? WHERE kb_id = ?", (keep, merged))
            x("UPDATE events SET location_kb = ? WHERE location_kb = ?", (keep, merged))
            self._replace_actor(keep, merged)
            x("DELETE FROM event_actors WHERE kb_id = ? AND event_rowid IN "
              "(SELECT event_rowid FROM event_actors WHERE kb_id = ?)", (merged, keep))
            x("UPDATE event_actors SET kb_id = ? WHERE kb_id = ?", (keep, merged))
            x("INSERT INTO entity_aliases(kb_id, alias, norm) "
              "SELECT ?, alias, norm FROM entity_aliases WHERE kb_id = ? ON CONFLICT DO NOTHING", (keep, merged))
            x("DELETE FROM entity_aliases WHERE kb_id = ?", (merged,))
            x("DELETE FROM entities WHERE kb_id = ?", (merged,))
            x("UPDATE entity_merges SET keep = ? WHERE keep = ?", (keep, merged))
            x("INSERT INTO entity_merges(merged, keep) VALUES (?, ?) "
              "ON CONFLICT(merged) DO UPDATE SET keep = excluded.keep, merged_at = excluded.merged_at",
              (merged, keep))
        return len(docs)

    def split_entity(self, kb_id: str, doc_ids: list[str]) -> str:
        """Give the mentions of ``kb_id`` in ``doc_ids`` an identity of their own (the analyst
        knows these articles speak of someone else); returns the new kb_id. One transaction."""
        import hashlib

        docs = sorted(set(doc_ids))
        if not docs:
            raise StoreError("name at least one article whose mentions to split off")
        new = f"{kb_id}~{hashlib.sha1(','.join(docs).encode()).hexdigest()[:8]}"
        x = self.execute
        with self._write():
            row = x("SELECT type, subtype, name, name_en, rank FROM entities WHERE kb_id = ?", (kb_id,)).fetchone()
            if not row:
                raise NotFoundError(f"no entity with id {kb_id!r}")
            having = {r[0] for r in x("SELECT DISTINCT doc_id FROM doc_entities WHERE kb_id = ?", (kb_id,)).fetchall()}
            if set(docs) >= having:
                raise StoreError("splitting off every article would only rename the entity; use fewer articles")
            aliases: set[str] = set()
            for did in docs:
                if did not in having:
                    raise NotFoundError(f"article {did!r} does not mention {kb_id!r}")
                rec = json.loads(x("SELECT record FROM documents WHERE id = ?", (did,)).fetchone()[0])
                for e in rec["entities"]:
                    if e["kb_id"] == kb_id:
                        e["kb_id"] = new
                        aliases |= {e["name"], *e["aliases"]}
                x("UPDATE documents SET record = ? WHERE id = ?", (json.dumps(rec, ensure_ascii=False), did))
                for table, col in (("doc_entities", "kb_id"), ("relations", "person_kb"), ("relations", "org_kb"),
                                   ("quotes", "speaker_kb"), ("quote_about", "kb_id"), ("events", "location_kb"),
                                   ("event_actors", "kb_id")):
                    x(f"UPDATE {table} SET {col} = ? WHERE doc_id = ? AND {col} = ?", (new, did, kb_id))  # noqa: S608
                self._replace_actor(new, kb_id, did)
                x("INSERT INTO entity_splits(doc_id, kb_id, new_kb_id) VALUES (?, ?, ?) "
                  "ON CONFLICT(doc_id, kb_id) DO UPDATE SET new_kb_id = excluded.new_kb_id", (did, kb_id, new))
            x("INSERT INTO entities(kb_id, type, subtype, name, name_en, rank) VALUES (?,?,?,?,?,?) "
              "ON CONFLICT(kb_id) DO NOTHING", (new, *row))
            for a in sorted(aliases):
                x("INSERT INTO entity_aliases(kb_id, alias, norm) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                  (new, a, fold(a)))
        return new

    def _delete_doc(self, doc_id: str) -> None:
        x = self.execute
        self._delete_sentence_index(doc_id)
        x("DELETE FROM sentence_vectors WHERE sentence_id IN (SELECT id FROM sentences WHERE doc_id = ?)", (doc_id,))
        for table in ("sentences", "doc_entities", "relations", "quotes", "quote_about", "event_actors", "events"):
            x(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))  # noqa: S608 - fixed names
        x("DELETE FROM documents WHERE id = ?", (doc_id,))

    # --- reading
    def record(self, doc_id: str) -> dict[str, Any]:
        row = self.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if not row:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return json.loads(row[0])

    def records(self) -> Iterator[dict[str, Any]]:
        """Every stored record, by id, fetched in pages: memory stays flat on a large base, and
        no statement stays open between pages (a connection goes back to the pool clean)."""
        rows = self.execute("SELECT id, record FROM documents ORDER BY id LIMIT 200").fetchall()
        while rows:
            for _, rec in rows:
                yield json.loads(rec)
            if len(rows) < 200:
                return
            rows = self.execute("SELECT id, record FROM documents WHERE id > ? ORDER BY id LIMIT 200",
                                (rows[-1][0],)).fetchall()

    def search(self, query: str, limit: int = 20, mode: str = "hybrid") -> list[Hit]:
        """``keyword`` (full text, Arabic-aware), ``semantic`` (cross-lingual vectors) or ``hybrid``
        (both, fused by reciprocal rank; a keyword match always beats a vector-only one)."""
        if mode not in ("keyword", "semantic", "hybrid"):
            raise QueryError(f"unknown search mode {mode!r}")
        if not stems_of(query):
            raise QueryError("the query has no words to search for")
        ids: list[int] = []
        keyword: list[int] = []
        if mode != "semantic":
            keyword = self._keyword_ids(query, max(limit, 50))
        if mode == "keyword":
            ids = keyword
        else:
            vector = self._vector_ranking(query, max(limit, 50))
            ids = keyword + [i for i in semantic.rrf([keyword, vector]) if i not in set(keyword)] \
                if mode == "hybrid" else vector
        ids = ids[:limit]
        if not ids:
            return []
        rows = {r[0]: r for r in self.execute(
            "SELECT s.id, s.doc_id, s.start, s.end, d.outlet, d.title, d.published,"
            " substr(d.text, s.start + 1, s.end - s.start) FROM sentences s JOIN documents d ON d.id = s.doc_id"
            f" WHERE s.id IN ({','.join('?' * len(ids))})", ids)}
        return [Hit(r[1], r[4], r[5], r[6], r[7], r[2], r[3], mark(r[7], query))
                for r in (rows[i] for i in ids if i in rows)]

    def _vector_ranking(self, query: str, k: int) -> list[int]:
        return self._vectors.ranking(self.execute, self.generation(), query, k)

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.execute(sql).fetchone()[0]  # noqa: E731
        by_type = dict(self.execute(
            "SELECT e.type, count(DISTINCT e.kb_id) FROM entities e JOIN doc_entities d ON d.kb_id = e.kb_id"
            " GROUP BY e.type ORDER BY e.type").fetchall())
        outlets = dict(self.execute(
            "SELECT coalesce(outlet, '?') AS o, count(*) AS n FROM documents GROUP BY outlet"
            " ORDER BY n DESC, o").fetchall())
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
