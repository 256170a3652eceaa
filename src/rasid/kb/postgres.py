"""The knowledge base on PostgreSQL: the same schema, store, search and results as SQLite.

Selected by a URL: ``rasid ingest … --db postgresql://user:pass@host/db`` (or
``RASID_DB=postgresql://…``); ``KnowledgeBase(url)`` returns a ``PostgresKnowledgeBase``. The store,
merge and read code is ``rasid.kb.store``'s, run through the hooks below; what is PostgreSQL's own:

- migrations with PostgreSQL types, the same names as SQLite's, applied in order, each in one
  transaction, serialised by an advisory lock (several processes may open a new database at once);
- text columns compare with the "C" collation, i.e. by code point as SQLite does, so orderings
  (``ORDER BY name``, ``id``) and ``lower()`` are the same on both backends;
- full text: each sentence stores its ``stems_of()`` reduction (the same string SQLite's FTS5
  column indexes) and a generated ``tsvector`` (configuration 'simple') under a GIN index; a query
  is the phrase of its stems (``phraseto_tsquery``), ranked by ``ts_rank``;
- event actors are ``jsonb``, sentence vectors ``bytea`` (``rasid.kb.semantic``, unchanged);
- writers take turns on a transaction-scoped advisory lock (as SQLite's BEGIN IMMEDIATE) and
  re-check the content hash inside it, so concurrent writers neither duplicate nor deadlock;
  readers never wait and, by MVCC, only ever see whole articles;
- ``documents.record`` is text: ``record()`` returns exactly the JSON that was stored (jsonb would
  reorder keys).

The driver is psycopg 3 (``pip install 'rasid[postgres]'``).
"""
from __future__ import annotations

import functools
import json
import threading
from contextlib import contextmanager
from typing import Any, Iterator
from urllib.parse import urlsplit, urlunsplit

from rasid.errors import StoreError
from rasid.kb.semantic import shared_index
from rasid.kb.schema import _statements
from rasid.kb.search import RANK_WINDOW, stems_of
from rasid.kb.store import KnowledgeBase, default_db_path

_MIGRATE_LOCK = 0x7261736964_01  # advisory lock keys ("rasid" + n)
_WRITE_LOCK = 0x7261736964_02

_CTEXT = 'text COLLATE "C"'

MIGRATIONS: list[tuple[str, str]] = [(name, sql.replace("CTEXT", _CTEXT)) for name, sql in [
    ("0001_core", """
CREATE TABLE documents (
    id CTEXT PRIMARY KEY,
    content_hash CTEXT NOT NULL,
    outlet CTEXT, title CTEXT, published CTEXT, url CTEXT, path CTEXT,
    text CTEXT NOT NULL,
    record CTEXT NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE entities (
    kb_id CTEXT PRIMARY KEY,
    type CTEXT NOT NULL, subtype CTEXT,
    name CTEXT NOT NULL, name_en CTEXT, rank CTEXT
);
CREATE TABLE entity_aliases (
    kb_id CTEXT NOT NULL REFERENCES entities(kb_id),
    alias CTEXT NOT NULL, norm CTEXT NOT NULL,
    UNIQUE (kb_id, norm)
);
CREATE INDEX entity_aliases_norm ON entity_aliases(norm);
CREATE TABLE doc_entities (
    doc_id CTEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    local_id CTEXT NOT NULL, kb_id CTEXT NOT NULL, mentions integer NOT NULL,
    PRIMARY KEY (doc_id, local_id)
);
CREATE INDEX doc_entities_kb ON doc_entities(kb_id);
CREATE TABLE relations (
    id bigserial PRIMARY KEY,
    doc_id CTEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    person_kb CTEXT NOT NULL, org_kb CTEXT NOT NULL, role CTEXT NOT NULL,
    evidence_start integer, evidence_end integer, published CTEXT
);
CREATE INDEX relations_person ON relations(person_kb);
CREATE INDEX relations_org ON relations(org_kb);
CREATE INDEX relations_doc ON relations(doc_id);
CREATE TABLE quotes (
    id bigserial PRIMARY KEY,
    doc_id CTEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    speaker_kb CTEXT, act CTEXT, kind CTEXT, text CTEXT, span_start integer, span_end integer,
    channel CTEXT
);
CREATE INDEX quotes_doc ON quotes(doc_id);
CREATE TABLE events (
    id bigserial PRIMARY KEY,
    doc_id CTEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type CTEXT NOT NULL, date CTEXT, location_kb CTEXT, count bigint, trigger CTEXT,
    evidence_start integer, evidence_end integer, actors jsonb
);
CREATE INDEX events_doc ON events(doc_id);
CREATE TABLE sentences (
    id bigserial PRIMARY KEY,
    doc_id CTEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start integer NOT NULL, "end" integer NOT NULL,
    stems CTEXT NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', left(stems, 200000))) STORED
);
CREATE INDEX sentences_doc ON sentences(doc_id);
CREATE INDEX sentences_tsv ON sentences USING gin (tsv);
"""),
    ("0002_entity_merges", """
CREATE TABLE entity_merges (
    merged CTEXT PRIMARY KEY,
    keep CTEXT NOT NULL,
    merged_at timestamptz NOT NULL DEFAULT now()
);
"""),
    ("0003_sentence_vectors", """
CREATE TABLE sentence_vectors (
    id bigserial PRIMARY KEY,
    sentence_id bigint NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    vec bytea NOT NULL
);
CREATE INDEX sentence_vectors_sentence ON sentence_vectors(sentence_id);
"""),
    ("0004_raw_hash", """
ALTER TABLE documents ADD COLUMN raw_hash CTEXT;
"""),
    ("0005_event_geo_and_quote_about", """
ALTER TABLE events ADD COLUMN lat double precision, ADD COLUMN lon double precision, ADD COLUMN admin1 CTEXT;
CREATE INDEX events_type_date ON events(type, date);
CREATE INDEX events_actors ON events USING gin (actors jsonb_path_ops);
CREATE INDEX quotes_speaker ON quotes(speaker_kb);
CREATE TABLE quote_about (
    doc_id CTEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    quote_rowid bigint NOT NULL,
    kb_id CTEXT NOT NULL
);
CREATE INDEX quote_about_kb ON quote_about(kb_id);
CREATE INDEX quote_about_doc ON quote_about(doc_id);
"""),
    ("0006_entity_splits", """
CREATE TABLE entity_splits (
    doc_id CTEXT NOT NULL,
    kb_id CTEXT NOT NULL,
    new_kb_id CTEXT NOT NULL,
    PRIMARY KEY (doc_id, kb_id)
);
"""),
    ("0007_read_indexes", """
CREATE INDEX events_location ON events(location_kb);
CREATE INDEX doc_entities_kb_doc ON doc_entities(kb_id, doc_id);
CREATE INDEX documents_published ON documents(coalesce(published, ''), id);
"""),
    ("0008_generation", """
CREATE TABLE kb_generation (id integer PRIMARY KEY CHECK (id = 1), n bigint NOT NULL);
INSERT INTO kb_generation(id, n) VALUES (1, floor(random() * 1e15)::bigint);
"""),
    ("0009_entity_timelines", """
ALTER TABLE doc_entities ADD COLUMN published CTEXT;
ALTER TABLE quotes ADD COLUMN published CTEXT;
ALTER TABLE quote_about ADD COLUMN published CTEXT;
UPDATE doc_entities de SET published = d.published FROM documents d WHERE d.id = de.doc_id;
UPDATE quotes q SET published = d.published FROM documents d WHERE d.id = q.doc_id;
UPDATE quote_about a SET published = d.published FROM documents d WHERE d.id = a.doc_id;
CREATE TABLE event_actors (
    doc_id CTEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_rowid bigint NOT NULL,
    kb_id CTEXT NOT NULL,
    date CTEXT,
    UNIQUE (event_rowid, kb_id)
);
INSERT INTO event_actors(doc_id, event_rowid, kb_id, date)
    SELECT DISTINCT ev.doc_id, ev.id, a.kb_id, ev.date FROM events ev,
    jsonb_array_elements_text(ev.actors) AS a(kb_id) WHERE a.kb_id IS NOT NULL;
CREATE INDEX event_actors_timeline ON event_actors(kb_id, coalesce(date, ''), doc_id, event_rowid);
CREATE INDEX event_actors_doc ON event_actors(doc_id);
CREATE INDEX doc_entities_timeline ON doc_entities(kb_id, coalesce(published, ''), doc_id);
CREATE INDEX quotes_speaker_timeline ON quotes(speaker_kb, coalesce(published, ''), doc_id, span_start, id);
CREATE INDEX quote_about_timeline ON quote_about(kb_id, coalesce(published, ''), doc_id, quote_rowid);
CREATE INDEX relations_person_timeline ON relations(person_kb, coalesce(published, ''), doc_id, id);
CREATE INDEX relations_org_timeline ON relations(org_kb, coalesce(published, ''), doc_id, id);
CREATE INDEX events_location_timeline ON events(location_kb, coalesce(date, ''), doc_id, id);
"""),
]]


def _psycopg():
    try:
        import psycopg
    except ImportError as err:  # an optional dependency: say how to get it
        raise StoreError("a PostgreSQL knowledge base needs the psycopg driver: "
                         "pip install 'rasid[postgres]'") from err
    return psycopg


def redact(url: str) -> str:
    """The URL without its password (for messages, ``stats()['path']`` and logs)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def migrate(conn: Any) -> list[str]:
    """Apply the migrations not yet applied (each in its own transaction); returns their names."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")
    applied = []
    for name, sql in MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = %s", (name,)).fetchone():
                continue
            for stmt in _statements(sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO schema_migrations(name) VALUES (%s)", (name,))
        applied.append(name)
    return applied


@functools.lru_cache(maxsize=512)
def _to_pyformat(sql: str) -> str:
    """``?`` placeholders (outside quoted literals and identifiers) to psycopg's ``%s``."""
    out, quote = [], None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        out.append("%%" if ch == "%" else ch)
    return "".join(out)


class PostgresDialect:
    """``rasid.kb.store.SQLiteDialect``'s counterpart for PostgreSQL."""

    name = "postgresql"
    rowid = "id"

    def sql(self, query: str) -> str:
        return _to_pyformat(query)

    def like(self, expr: str) -> str:
        # SQLite's LIKE: ASCII case-insensitive (ILIKE under the "C" collation) and no escape character
        return f"{expr} ILIKE ? ESCAPE ''"

    def json(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, (str, bytes)) else value


@functools.lru_cache(maxsize=1)
def _pipeline_supported() -> bool:
    return _psycopg().Pipeline.is_supported()


# Idle connections per URL, reused by the next KnowledgeBase (the API opens one per request).
_POOL: dict[str, list[Any]] = {}
_POOL_LOCK = threading.Lock()
_POOL_SIZE = 32  # the API serves up to 40 requests at once (its thread pool)
_MIGRATED: set[str] = set()


class PostgresKnowledgeBase(KnowledgeBase):
    """``KnowledgeBase`` on PostgreSQL; made by ``KnowledgeBase("postgresql://…")`` or ``open_kb``."""

    dialect = PostgresDialect()

    def __init__(self, path: str | None = None, semantic: bool = True) -> None:
        self.url = path or default_db_path()
        self.path = redact(self.url)
        self.semantic = semantic
        self._vectors = shared_index(self.url)
        psycopg = _psycopg()
        self.conn = self._checkout()
        try:
            if self.conn is None:
                self.conn = psycopg.connect(self.url, autocommit=True, connect_timeout=30,
                                            application_name="rasid")
            if self.url not in _MIGRATED:
                migrate(self.conn)
                _MIGRATED.add(self.url)
        except psycopg.Error as err:
            if self.conn is not None:
                self.conn.close()
            raise StoreError(f"cannot open knowledge base {self.path}: {str(err).strip()}") from err

    def _checkout(self) -> Any:
        with _POOL_LOCK:
            idle = _POOL.get(self.url) or []
            while idle:
                conn = idle.pop()
                if not (conn.closed or conn.broken):
                    return conn
        return None

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is None or conn.closed:
            return
        from psycopg.pq import TransactionStatus

        if conn.info.transaction_status == TransactionStatus.IDLE:
            with _POOL_LOCK:
                idle = _POOL.setdefault(self.url, [])
                if len(idle) < _POOL_SIZE:
                    idle.append(conn)
                    return
        conn.close()

    # --- the hooks of rasid.kb.store.KnowledgeBase
    @contextmanager
    def _write(self) -> Iterator[None]:
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            if _pipeline_supported():  # statements whose results are not read go out in batches
                with self.conn.pipeline():
                    yield
            else:
                yield
            self.conn.execute("UPDATE kb_generation SET n = n + 1")

    def optimize(self) -> None:
        pass  # autovacuum keeps PostgreSQL's statistics current

    def _insert_id(self, sql: str, args: tuple) -> int:
        return self.execute(sql + " RETURNING id", args).fetchone()[0]

    def _insert_sentence(self, doc_id: str, start: int, end: int, stems: str) -> int:
        return self._insert_id('INSERT INTO sentences(doc_id, start, "end", stems) VALUES (?,?,?,?)',
                               (doc_id, start, end, stems))

    def _delete_sentence_index(self, doc_id: str) -> None:
        pass  # the stems live in the sentence rows

    def _keyword_ids(self, query: str, k: int) -> list[int]:
        q = " ".join(stems_of(query))
        return [r[0] for r in self.execute(
            "SELECT s.id FROM sentences s, phraseto_tsquery('simple', ?) q WHERE s.tsv @@ q AND s.id >= "
            "coalesce((SELECT min(id) FROM (SELECT w.id FROM sentences w WHERE w.tsv @@ phraseto_tsquery('simple', ?) "
            "ORDER BY w.id DESC LIMIT ?) AS latest), 0) "
            "ORDER BY ts_rank(s.tsv, q) DESC, s.id LIMIT ?", (q, q, RANK_WINDOW, k))]

    def _replace_actor(self, keep: str, merged: str, doc_id: str | None = None) -> None:
        self.execute("UPDATE events SET actors = (SELECT jsonb_agg(CASE WHEN a = to_jsonb(CAST(? AS text)) "
                     "THEN to_jsonb(CAST(? AS text)) ELSE a END ORDER BY n) "
                     "FROM jsonb_array_elements(events.actors) WITH ORDINALITY AS t(a, n)) "
                     "WHERE actors @> jsonb_build_array(CAST(? AS text)) AND (CAST(? AS text) IS NULL OR doc_id = ?)",
                     (merged, keep, merged, doc_id, doc_id))
