"""The knowledge base on PostgreSQL (a real, throwaway server: tests/conftest_pg.py).

The same articles ingested into SQLite and into PostgreSQL give the same exports, the same query
results and the same search hits; the store's guarantees (idempotence, replace in one
transaction, whole articles only, merges) hold there too; the API and the CLI run on it.
"""
from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import sqlite3
import threading

import pytest

from conftest_pg import PASSWORD, pg_server  # noqa: F401 - the session fixture
from rasid import ingest
from rasid.errors import NotFoundError, StoreError
from rasid.kb import queries as Q
from rasid.kb.export import FORMATS, export
from rasid.kb.schema import MIGRATIONS as SQLITE_MIGRATIONS
from rasid.kb.store import KnowledgeBase, open_kb
from tests_paths import ARTICLES


def _export(kb: KnowledgeBase, fmt: str) -> str:
    buf = io.StringIO()
    export(kb.records(), fmt, buf)
    return buf.getvalue()


def _statuses(kb: KnowledgeBase) -> list[str]:
    return [status for status, _ in ingest([str(ARTICLES)], kb)]


@pytest.fixture(scope="module")
def pg_url(pg_server):  # noqa: F811
    """A PostgreSQL knowledge base with the bundled articles, ingested with ``rasid.ingest``."""
    url = pg_server.new_database("main")
    with open_kb(url) as kb:
        assert _statuses(kb) == ["added"] * 5
    return url


@pytest.fixture(scope="module")
def sqlite_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("pg_vs_sqlite") / "kb.db")
    with KnowledgeBase(path) as kb:
        assert _statuses(kb) == ["added"] * 5
    return path


@pytest.fixture()
def pg(pg_url):
    with KnowledgeBase(pg_url) as kb:
        yield kb


@pytest.fixture()
def lite(sqlite_path):
    with KnowledgeBase(sqlite_path) as kb:
        yield kb


def _docs(records):
    return [records[k] for k in sorted(records)]


# --- opening, schema


def test_pg_url_selects_postgres_and_hides_the_password(pg, pg_url):
    from rasid.kb.postgres import PostgresKnowledgeBase

    assert isinstance(pg, PostgresKnowledgeBase) and isinstance(pg, KnowledgeBase)
    assert PASSWORD in pg_url and PASSWORD not in pg.path and PASSWORD not in json.dumps(pg.stats())
    assert pg.path.startswith("postgresql://rasid:***@127.0.0.1:")


def test_pg_migrations_are_sqlites_named_and_in_order(pg):
    from rasid.kb.postgres import MIGRATIONS, migrate

    names = [r[0] for r in pg.execute("SELECT name FROM schema_migrations ORDER BY applied_at, name")]
    assert names == [n for n, _ in SQLITE_MIGRATIONS] == [n for n, _ in MIGRATIONS]
    assert migrate(pg.conn) == []  # applied once
    types = dict(pg.execute("SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                            "WHERE table_schema = 'public'").fetchall())
    assert types["events.actors"] == "jsonb" and types["sentence_vectors.vec"] == "bytea"
    assert types["sentences.id"] == "bigint" and types["sentences.tsv"] == "tsvector"
    idx = " ".join(r[0] for r in pg.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'sentences'"))
    assert "USING gin (tsv)" in idx


def test_pg_migrations_run_in_one_transaction_each(pg_server):  # noqa: F811
    """A migration that fails leaves nothing of itself behind and is retried next time."""
    import psycopg

    from rasid.kb import postgres

    url = pg_server.new_database("mig")
    bad = postgres.MIGRATIONS + [("9999_broken", "CREATE TABLE half (x int);\nSELECT no_such_function();\n")]
    conn = psycopg.connect(url, autocommit=True)
    try:
        real, postgres.MIGRATIONS = postgres.MIGRATIONS, bad
        with pytest.raises(psycopg.Error):
            postgres.migrate(conn)
    finally:
        postgres.MIGRATIONS = real
    assert conn.execute("SELECT to_regclass('half')").fetchone()[0] is None
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(real)
    conn.close()


def test_pg_unreachable_server_is_a_store_error_without_the_password(pg_server):  # noqa: F811
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there
    with pytest.raises(StoreError) as err:
        KnowledgeBase(f"postgresql://rasid:{PASSWORD}@127.0.0.1:{port}/nope")
    assert PASSWORD not in str(err.value) and "***" in str(err.value)
    with pytest.raises(StoreError):
        KnowledgeBase(pg_server.url("postgres", password="wrong"))


# --- same input, same results


@pytest.mark.parametrize("fmt", FORMATS)
def test_pg_exports_equal_sqlite(pg, lite, fmt):
    a, b = _export(lite, fmt), _export(pg, fmt)
    assert a and a == b


def test_pg_records_are_the_extracted_records(pg, records):
    for doc in _docs(records):
        assert pg.record(doc.id) == json.loads(json.dumps(doc.to_record(), ensure_ascii=False))
    assert [r["id"] for r in pg.records()] == sorted(records)
    with pytest.raises(NotFoundError):
        pg.record("nope")


def test_pg_stats_equal_sqlite(pg, lite):
    a, b = lite.stats(), pg.stats()
    a.pop("path"), b.pop("path")
    assert a == b and b["articles"] == 5


def test_pg_queries_equal_sqlite(pg, lite):
    calls = [
        lambda k: Q.articles(k), lambda k: Q.articles(k, limit=2, offset=1),
        lambda k: Q.find_entities(k), lambda k: Q.find_entities(k, "بكور"),
        lambda k: Q.find_entities(k, "jaysh al-islam"), lambda k: Q.find_entities(k, "JAYSH", "ORG"),
        lambda k: Q.find_entities(k, "%"), lambda k: Q.find_entities(k, "\\"),
        lambda k: Q.quotes(k), lambda k: Q.quotes(k, act="DENIAL"), lambda k: Q.quotes(k, date_from="2018-03"),
        lambda k: Q.events(k), lambda k: Q.events(k, etype="SURRENDER", governorate="إدلب"),
        lambda k: Q.events(k, actor="rasid:org:jaysh-al-izza"), lambda k: Q.events(k, date_to="2018-02"),
        lambda k: Q.events(k, bbox=(36.0, 35.0, 37.5, 36.0)),
    ]
    for call in calls:
        assert call(lite) == call(pg)
    ids = [e["kb_id"] for e in Q.find_entities(lite, limit=500)["items"]]
    assert len(ids) > 50
    for kb_id in ids:
        assert Q.entity(lite, kb_id) == Q.entity(pg, kb_id), kb_id


@pytest.mark.parametrize("query,must_find", [
    ("السلاح", ["السـ.لاح", "للسـِلاح"]),
    ("المحرمة", ["المحـ.رمة"]),
    ("الغوطه", ["الغوطة"]),
    ("ادلب", ["إدلب"]),
    ("جيش العزة", ["لجيش العزة"]),
])
def test_pg_keyword_search_is_arabic_aware(pg, lite, query, must_find):
    hits = pg.search(query, limit=50, mode="keyword")
    text = " ".join(h.sentence for h in hits)
    for form in must_find:
        assert form in text
    for h in hits:
        assert h.marks and all(h.sentence[s:e].strip() for s, e in h.marks)
    # the same sentences as SQLite's FTS5 (ranked by ts_rank there, bm25 here)
    key = lambda h: (h.doc_id, h.start)  # noqa: E731
    assert sorted(map(key, hits)) == sorted(map(key, lite.search(query, limit=50, mode="keyword")))


def test_pg_semantic_search_english_query(pg, lite):
    hits = pg.search("withdrawal from Ghouta", limit=5, mode="semantic")
    assert any("الغوطة" in h.sentence for h in hits)
    assert hits == lite.search("withdrawal from Ghouta", limit=5, mode="semantic")
    hybrid = pg.search("السلاح", limit=5)
    assert hybrid and all(h.marks for h in hybrid[:2])


# --- the store's guarantees


def test_pg_reingest_is_unchanged(pg):
    before = pg.stats()
    assert _statuses(pg) == ["unchanged"] * 5
    assert pg.stats() == before


def test_pg_changed_article_is_replaced(pg_server, records):  # noqa: F811
    from rasid.pipeline import Pipeline

    doc = copy.deepcopy(records["004_b91d946e27faddc9"])
    with KnowledgeBase(pg_server.new_database("replace"), semantic=True) as kb:
        assert kb.store(doc).status == "added"
        assert kb.store(doc).status == "unchanged"
        n_sent, n_vec = kb.stats()["sentences"], kb.execute("SELECT count(*) FROM sentence_vectors").fetchone()[0]
        doc.text = doc.text + "\n\nوأضاف علوان أن الفصائل مستعدة للدفاع عن الغوطة."
        doc = Pipeline()(doc)
        assert kb.store(doc).status == "replaced"
        st = kb.stats()
        assert st["articles"] == 1 and st["sentences"] == n_sent + 1
        assert "مستعدة للدفاع" in kb.record(doc.id)["text"]
        assert kb.execute("SELECT count(*) FROM sentence_vectors").fetchone()[0] == n_vec + 1
        assert kb.search("مستعدة للدفاع", mode="keyword")[0].sentence.startswith("وأضاف علوان")


def test_pg_failed_write_leaves_no_half_article(pg_server, records):  # noqa: F811
    doc = records["000_fa03e3a715d7dd5c"]
    with KnowledgeBase(pg_server.new_database("crash"), semantic=False) as kb:
        real = kb.conn

        class Exploding:
            """Fails on the first sentence insert, after the document row was written."""

            def execute(self, sql, *args):
                if sql.startswith("INSERT INTO sentences("):
                    raise OSError("connection lost (simulated)")
                return real.execute(sql, *args)

            def __getattr__(self, name):
                return getattr(real, name)

        kb.conn = Exploding()
        with pytest.raises(OSError):
            kb.store(doc)
        kb.conn = real
        st = kb.stats()
        assert st["articles"] == 0 and st["sentences"] == 0 and st["entities"] == 0
        assert kb.store(doc).status == "added"


def test_pg_concurrent_writers_and_readers_see_whole_articles(pg_server, records):  # noqa: F811
    url = pg_server.new_database("concurrent")
    docs = _docs(records)
    want = {d.id: len(d.sentences) for d in docs}
    statuses: list[str] = []
    seen: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def write(order):
        try:
            with KnowledgeBase(url, semantic=False) as kb:
                for d in order:
                    statuses.append(kb.store(d).status)
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    def read():
        with KnowledgeBase(url, semantic=False) as kb:
            while not done.is_set():
                seen.extend(kb.execute("SELECT d.id, count(s.id) FROM documents d LEFT JOIN sentences s "
                                       "ON s.doc_id = d.id GROUP BY d.id").fetchall())

    threads = [threading.Thread(target=write, args=(o,)) for o in (docs, docs[::-1], docs[2:] + docs[:2])]
    reader = threading.Thread(target=read)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    reader.join(30)
    assert not errors
    assert sorted(statuses) == ["added"] * 5 + ["unchanged"] * 10
    assert all(n == want[did] for did, n in seen)  # never half an article
    with KnowledgeBase(url, semantic=False) as kb:
        assert kb.stats()["articles"] == 5


def test_pg_merge_entities_like_sqlite(pg_server, records, tmp_path):  # noqa: F811
    """The same merges on both backends leave the same knowledge base, and survive new ingests."""
    from rasid.pipeline import Pipeline

    docs = _docs(records)
    kbs = [KnowledgeBase(str(tmp_path / "m.db"), semantic=False),
           KnowledgeBase(pg_server.new_database("merge"), semantic=False)]
    org_ar = "rasid:per:مصطفي-بكور"  # a kb_id in Arabic script, folded into event actors below
    izza, held = "rasid:org:jaysh-al-izza", docs[1]  # held back: 4 events with jaysh-al-izza as actor
    try:
        for kb in kbs:
            for d in docs:
                if d is not held:
                    kb.store(d)
            assert kb.merge_entities(org_ar, izza) == 2   # an Arabic-script id replaces an event actor
            kb.store(held)                                # its izza becomes org_ar on arrival
            assert Q.events(kb, actor=org_ar)["total"] >= 6
            islam = Q.find_entities(kb, "جيش الإسلام")["items"][0]["kb_id"]
            assert kb.merge_entities(islam, org_ar) == 3  # the Arabic id is replaced in turn, everywhere
            with pytest.raises(NotFoundError):
                kb.merge_entities(islam, org_ar)
            with pytest.raises(StoreError):
                kb.merge_entities(islam, islam)
            assert Q.events(kb, actor=org_ar)["total"] == 0 and Q.events(kb, actor=izza)["total"] == 0
            assert Q.events(kb, actor=islam)["total"] >= 6
            prof = Q.entity(kb, islam)
            assert {"مصطفى البكور", "جيش العزة"} <= set(prof["aliases"])
            changed = copy.deepcopy(docs[0])
            changed.text += "\n\nوقال جيش العزة إنه مستعد."
            assert kb.store(Pipeline()(changed)).status == "replaced"
            assert not any(e["kb_id"] in (org_ar, izza) for r in kb.records() for e in r["entities"])
        lite, pg = kbs
        for fmt in FORMATS:
            assert _export(lite, fmt) == _export(pg, fmt), fmt
        for call in (lambda k: Q.events(k), lambda k: Q.find_entities(k, limit=500), lambda k: Q.quotes(k)):
            assert call(lite) == call(pg)
        for e in Q.find_entities(lite, limit=500)["items"]:
            assert Q.entity(lite, e["kb_id"]) == Q.entity(pg, e["kb_id"])
    finally:
        for kb in kbs:
            kb.close()


# --- the API and the CLI on PostgreSQL


def test_pg_api_reads(pg_url, sqlite_path):
    from fastapi.testclient import TestClient

    from rasid.api.app import create_app

    c, ref = TestClient(create_app(pg_url)), TestClient(create_app(sqlite_path))
    r = c.get("/api/search", params={"q": "السلاح"})
    assert r.status_code == 200 and any("السـ.لاح" in h["sentence"] for h in r.json()["items"])
    ents = c.get("/api/entities", params={"q": "بكور"}).json()["items"]
    assert len(ents) == 1 and ents[0]["rank"] == "عقيد"
    prof = c.get(f"/api/entities/{ents[0]['kb_id']}").json()
    assert {r["role"] for r in prof["roles"]} >= {"public_relations_head", "member"} and len(prof["said"]) > 10
    ev = c.get("/api/events", params={"type": "SURRENDER", "governorate": "إدلب"}).json()
    assert ev["total"] == 1 and ev["items"][0]["count"] == 380
    for path, params in [("/api/entities", {"q": "jaysh al-islam"}), ("/api/events", {}),
                         ("/api/events", {"actor": "rasid:org:jaysh-al-izza", "date_from": "2018"}),
                         ("/api/quotes", {"act": "DENIAL"}), ("/api/articles", {}),
                         ("/api/search", {"q": "المحرمة", "mode": "keyword"}),
                         ("/api/search", {"q": "prisoner exchange", "mode": "semantic"}),
                         ("/api/export/acled-csv", {}), ("/api/articles/nope", {}), ("/api/search", {"q": "..."})]:
        a, b = ref.get(path, params=params), c.get(path, params=params)
        assert (a.status_code, a.text) == (b.status_code, b.text), path
    stats = c.get("/api/stats").json()
    assert stats["articles"] == 5 and PASSWORD not in json.dumps(stats)


def test_pg_api_writes_with_token(pg_server, records):  # noqa: F811
    from fastapi.testclient import TestClient

    from rasid.api.app import create_app

    url = pg_server.new_database("apiw")
    with KnowledgeBase(url, semantic=False) as kb:
        for d in _docs(records):
            kb.store(d)
    c = TestClient(create_app(url, token="s3cret"))
    auth = {"Authorization": "Bearer s3cret"}
    assert c.post("/api/documents", json={"text": "نص"}, headers={"Authorization": "Bearer x"}).status_code == 401
    body = {"id": "new1", "title": "خبر", "text": "خبر جديد\n\nقال المتحدث باسم قوات سوريا الديمقراطية فرهاد شامي "
            "إن قواته سيطرت على بلدة الباغوز بعد معارك عنيفة."}
    r = c.post("/api/documents", json=body, headers=auth)
    assert r.status_code == 200 and r.json() == {"id": "new1", "status": "added"}
    assert c.post("/api/documents", json=body, headers=auth).json()["status"] == "unchanged"
    a = c.get("/api/entities", params={"q": "فيلق الرحمن"}).json()["items"][0]["kb_id"]
    b = c.get("/api/entities", params={"q": "جبهة النصرة"}).json()["items"][0]["kb_id"]
    r = c.post("/api/entities/merge", json={"keep": a, "merge": b}, headers=auth)
    assert r.status_code == 200 and r.json()["merged"] >= 1
    assert c.get(f"/api/entities/{b}").status_code == 404
    assert "جبهة النصرة" in c.get(f"/api/entities/{a}").json()["aliases"]


def test_pg_cli_ingest_search_stats(pg_server, capsys):  # noqa: F811
    from rasid.cli import main

    url = pg_server.new_database("cli")
    assert main(["ingest", str(ARTICLES), "--db", url, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "5 added" in out and "5 articles" in out and PASSWORD not in out
    assert main(["ingest", str(ARTICLES), "--db", url, "--no-progress"]) == 0
    assert "5 unchanged" in capsys.readouterr().out
    assert main(["search", "السلاح", "--db", url, "--mode", "keyword", "--format", "jsonl"]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any("السـ.لاح" in h["sentence"] for h in hits)
    # the installed command, the knowledge base named by $RASID_DB
    env = {**os.environ, "RASID_DB": url}
    r = subprocess.run([sys.executable, "-m", "rasid.cli", "stats"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "articles: 5" in r.stdout and "postgresql://rasid:***@" in r.stdout and PASSWORD not in r.stdout
    r = subprocess.run([sys.executable, "-m", "rasid.cli", "stats", "--db", url, "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["articles"] == 5


def test_pg_ray_engine_writes_the_same_records(pg_server, sqlite_path):  # noqa: F811
    """``rasid ingest --engine ray --db postgresql://…``: Ray extracts, this process writes."""
    pytest.importorskip("ray")
    url = pg_server.new_database("ray")
    with KnowledgeBase(url, semantic=False) as kb:
        assert sorted(s for s, _ in ingest([str(ARTICLES)], kb, engine="ray", workers=1)) == ["added"] * 5
        with KnowledgeBase(sqlite_path) as lite:
            assert _export(kb, "jsonl") == _export(lite, "jsonl")


def test_pg_cli_reports_store_failures_with_exit_2(pg_server, capsys):  # noqa: F811
    import psycopg

    from rasid.cli import main

    url = pg_server.new_database("clierr")
    KnowledgeBase(url).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE doc_entities CASCADE")  # a knowledge base damaged behind rasid's back
    assert main(["stats", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "rasid: error: knowledge base:" in err and "doc_entities" in err and PASSWORD not in err
    assert main(["stats", "--db", url.replace(PASSWORD, "wrong")]) == 2
    err = capsys.readouterr().err
    assert "cannot open knowledge base postgresql://rasid:***@" in err and "wrong" not in err


def test_pg_split_entity_like_sqlite(pg_server, records, tmp_path):  # noqa: F811
    """Splitting off one article's mentions gives the same knowledge base on both backends and
    survives a re-ingest of that article."""
    from rasid.pipeline import Pipeline

    docs = _docs(records)
    kbs = [KnowledgeBase(str(tmp_path / "s.db"), semantic=False),
           KnowledgeBase(pg_server.new_database("split"), semantic=False)]
    izza = "rasid:org:jaysh-al-izza"
    try:
        for kb in kbs:
            for d in docs:
                kb.store(d)
            new = kb.split_entity(izza, [docs[3].id])
            assert Q.entity(kb, new)["articles"][0]["id"] == docs[3].id
            assert docs[3].id not in {a["id"] for a in Q.entity(kb, izza)["articles"]}
            with pytest.raises(NotFoundError):
                kb.split_entity(izza, ["nope"])
            with pytest.raises(StoreError):
                kb.split_entity(new, [docs[3].id])  # every article of it: a rename, not a split
            changed = copy.deepcopy(docs[3])
            changed.text += "\n\nوقال جيش العزة إنه مستعد."
            assert kb.store(Pipeline()(changed)).status == "replaced"
            assert new in {e["kb_id"] for e in kb.record(docs[3].id)["entities"]}
        lite, pg = kbs
        for fmt in FORMATS:
            assert _export(lite, fmt) == _export(pg, fmt), fmt
    finally:
        for kb in kbs:
            kb.close()


_UNDO_0009 = [
    "DROP INDEX doc_entities_timeline", "DROP INDEX quotes_speaker_timeline", "DROP INDEX quote_about_timeline",
    "DROP INDEX relations_person_timeline", "DROP INDEX relations_org_timeline",
    "DROP INDEX events_location_timeline", "DROP TABLE event_actors",
    "ALTER TABLE doc_entities DROP COLUMN published", "ALTER TABLE quotes DROP COLUMN published",
    "ALTER TABLE quote_about DROP COLUMN published",
    "DELETE FROM schema_migrations WHERE name = '0009_entity_timelines'",
]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0009_backfills_a_knowledge_base_built_before_it(backend, pg_server, tmp_path):  # noqa: F811
    """A knowledge base from before migration 0009 (no dates on the link tables, no event_actors)
    gets them filled in from what it holds: every profile is the same as on a freshly built one."""
    import psycopg

    from rasid.kb import postgres, store

    target = pg_server.new_database("m9") if backend == "postgresql" else str(tmp_path / "m9.db")
    with open_kb(target) as kb:
        _statuses(kb)
        ids = [e["kb_id"] for e in Q.find_entities(kb, limit=500)["items"]]
        before = {i: Q.entity(kb, i) for i in ids}
        assert kb.execute("SELECT count(*) FROM event_actors").fetchone()[0] > 0
    if backend == "postgresql":
        with psycopg.connect(target, autocommit=True) as conn:
            for stmt in _UNDO_0009:
                conn.execute(stmt)
        postgres._MIGRATED.discard(target)
    else:
        store._SQLITE_POOL.close_all()
        conn = sqlite3.connect(target)
        for stmt in _UNDO_0009:
            conn.execute(stmt)
        conn.commit()
        conn.close()
        store._MIGRATED.clear()
    with open_kb(target) as kb:
        dated = kb.execute("SELECT count(*) FROM doc_entities WHERE published IS NOT NULL").fetchone()[0]
        assert dated > 0 and kb.execute(
            "SELECT count(*) FROM doc_entities de JOIN documents d ON d.id = de.doc_id "
            "WHERE coalesce(de.published, '') != coalesce(d.published, '')").fetchone()[0] == 0
        assert {i: Q.entity(kb, i) for i in ids} == before
