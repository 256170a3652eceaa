"""Named migrations, applied in order, each in its own transaction (as sqlite-utils does)."""
from __future__ import annotations

import sqlite3

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_core", """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    outlet TEXT, title TEXT, published TEXT, url TEXT, path TEXT,
    text TEXT NOT NULL,
    record TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE entities (
    kb_id TEXT PRIMARY KEY,
    type TEXT NOT NULL, subtype TEXT,
    name TEXT NOT NULL, name_en TEXT, rank TEXT
);
CREATE TABLE entity_aliases (
    kb_id TEXT NOT NULL REFERENCES entities(kb_id),
    alias TEXT NOT NULL, norm TEXT NOT NULL,
    UNIQUE (kb_id, norm)
);
CREATE INDEX entity_aliases_norm ON entity_aliases(norm);
CREATE TABLE doc_entities (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    local_id TEXT NOT NULL, kb_id TEXT NOT NULL, mentions INTEGER NOT NULL,
    PRIMARY KEY (doc_id, local_id)
);
CREATE INDEX doc_entities_kb ON doc_entities(kb_id);
CREATE TABLE relations (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    person_kb TEXT NOT NULL, org_kb TEXT NOT NULL, role TEXT NOT NULL,
    evidence_start INTEGER, evidence_end INTEGER, published TEXT
);
CREATE INDEX relations_person ON relations(person_kb);
CREATE TABLE quotes (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    speaker_kb TEXT, act TEXT, kind TEXT, text TEXT, span_start INTEGER, span_end INTEGER,
    channel TEXT
);
CREATE TABLE events (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type TEXT NOT NULL, date TEXT, location_kb TEXT, count INTEGER, trigger TEXT,
    evidence_start INTEGER, evidence_end INTEGER, actors TEXT
);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL
);
CREATE INDEX sentences_doc ON sentences(doc_id);
CREATE VIRTUAL TABLE sentences_fts USING fts5(stems, tokenize = 'unicode61 remove_diacritics 0');
"""),
    ("0002_entity_merges", """
CREATE TABLE entity_merges (
    merged TEXT PRIMARY KEY,
    keep TEXT NOT NULL,
    merged_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
"""),
    ("0003_sentence_vectors", """
CREATE TABLE sentence_vectors (
    id INTEGER PRIMARY KEY,
    sentence_id INTEGER NOT NULL,
    vec BLOB NOT NULL
);
CREATE INDEX sentence_vectors_sentence ON sentence_vectors(sentence_id);
"""),
    ("0004_raw_hash", """
ALTER TABLE documents ADD COLUMN raw_hash TEXT;
"""),
    ("0005_event_geo_and_quote_about", """
ALTER TABLE events ADD COLUMN lat REAL;
ALTER TABLE events ADD COLUMN lon REAL;
ALTER TABLE events ADD COLUMN admin1 TEXT;
CREATE INDEX events_type_date ON events(type, date);
CREATE INDEX quotes_speaker ON quotes(speaker_kb);
CREATE TABLE quote_about (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    quote_rowid INTEGER NOT NULL,
    kb_id TEXT NOT NULL
);
CREATE INDEX quote_about_kb ON quote_about(kb_id);
"""),
    ("0006_entity_splits", """
CREATE TABLE entity_splits (
    doc_id TEXT NOT NULL,
    kb_id TEXT NOT NULL,
    new_kb_id TEXT NOT NULL,
    PRIMARY KEY (doc_id, kb_id)
);
"""),
    # Read paths at 10,000+ articles: an entity's roles, quotes and events, and the deletes that
    # replacing an article cascades to, must not scan whole tables.
    ("0007_read_indexes", """
CREATE INDEX relations_org ON relations(org_kb);
CREATE INDEX relations_doc ON relations(doc_id);
CREATE INDEX quotes_doc ON quotes(doc_id);
CREATE INDEX quote_about_doc ON quote_about(doc_id);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_location ON events(location_kb);
CREATE INDEX doc_entities_kb_doc ON doc_entities(kb_id, doc_id);
CREATE INDEX documents_id_published ON documents(id, published);
CREATE INDEX documents_published ON documents(coalesce(published, ''), id);
"""),
    # One counter that every write transaction increments: readers (the API's response cache, the
    # vector index) learn with one tiny query whether anything changed since they last looked. It
    # starts at a random value, so a knowledge base deleted and created again at the same path
    # does not repeat the numbers of the old one.
    ("0008_generation", """
CREATE TABLE kb_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO kb_generation(id, n) VALUES (1, abs(random() % 1000000000000000));
"""),
    # An entity's profile lists its latest articles, quotes, roles and events. Each link table
    # carries its article's date, and event actors get a table of their own, so that "the latest
    # 100 of this entity" is one walk down an index, however many thousand rows the entity has.
    ("0009_entity_timelines", """
ALTER TABLE doc_entities ADD COLUMN published TEXT;
ALTER TABLE quotes ADD COLUMN published TEXT;
ALTER TABLE quote_about ADD COLUMN published TEXT;
UPDATE doc_entities SET published = (SELECT d.published FROM documents d WHERE d.id = doc_entities.doc_id);
UPDATE quotes SET published = (SELECT d.published FROM documents d WHERE d.id = quotes.doc_id);
UPDATE quote_about SET published = (SELECT d.published FROM documents d WHERE d.id = quote_about.doc_id);
CREATE TABLE event_actors (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_rowid INTEGER NOT NULL,
    kb_id TEXT NOT NULL,
    date TEXT,
    UNIQUE (event_rowid, kb_id)
);
INSERT INTO event_actors(doc_id, event_rowid, kb_id, date)
    SELECT DISTINCT ev.doc_id, ev.rowid, j.value, ev.date FROM events ev, json_each(ev.actors) j
    WHERE j.value IS NOT NULL;
CREATE INDEX event_actors_timeline ON event_actors(kb_id, coalesce(date, ''), doc_id, event_rowid);
CREATE INDEX event_actors_doc ON event_actors(doc_id);
CREATE INDEX doc_entities_timeline ON doc_entities(kb_id, coalesce(published, ''), doc_id);
CREATE INDEX quotes_speaker_timeline ON quotes(speaker_kb, coalesce(published, ''), doc_id, span_start);
CREATE INDEX quote_about_timeline ON quote_about(kb_id, coalesce(published, ''), doc_id, quote_rowid);
CREATE INDEX relations_person_timeline ON relations(person_kb, coalesce(published, ''), doc_id);
CREATE INDEX relations_org_timeline ON relations(org_kb, coalesce(published, ''), doc_id);
CREATE INDEX events_location_timeline ON events(location_kb, coalesce(date, ''), doc_id);
"""),
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet applied; returns their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, "
                 "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))")
    done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _statements(sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO schema_migrations(name) VALUES (?)", (name,))
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";\n") if s.strip()]
