import pytest
from fastapi.testclient import TestClient

from rasid import extract
from rasid.api.app import create_app
from rasid.kb.store import KnowledgeBase
from tests_paths import ARTICLES


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("api") / "kb.db")
    with KnowledgeBase(path) as kb:
        for d in extract([str(ARTICLES)]):
            kb.store(d)
    return path


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


def test_api_search_and_entity_profile(client):
    r = client.get("/api/search", params={"q": "السلاح"})
    assert r.status_code == 200 and any("السـ.لاح" in h["sentence"] for h in r.json()["items"])
    ents = client.get("/api/entities", params={"q": "بكور"}).json()["items"]
    assert len(ents) == 1
    prof = client.get(f"/api/entities/{ents[0]['kb_id']}").json()
    assert prof["rank"] == "عقيد" and {r["role"] for r in prof["roles"]} >= {"public_relations_head", "member"}
    assert len(prof["said"]) > 10 and prof["cooccurring"]


def test_api_entity_search_by_english_name(client):
    items = client.get("/api/entities", params={"q": "jaysh al-islam"}).json()["items"]
    assert items and items[0]["name"] == "جيش الإسلام"


def test_api_quotes_and_events_filters(client):
    denials = client.get("/api/quotes", params={"act": "DENIAL"}).json()
    assert denials["total"] > 5 and all(q["act"] == "DENIAL" for q in denials["items"])
    ev = client.get("/api/events", params={"type": "SURRENDER", "governorate": "إدلب"}).json()
    assert ev["total"] == 1 and ev["items"][0]["count"] == 380
    box = client.get("/api/events", params={"bbox": "36.0,35.0,37.5,36.0"}).json()
    assert box["items"] and all(35.0 <= e["lat"] <= 36.0 for e in box["items"])


def test_api_article_record(client):
    rec = client.get("/api/articles/004_b91d946e27faddc9").json()
    assert rec["source"]["outlet"] == "أورينت نت" and rec["quotes"]


@pytest.mark.parametrize("path,params,status", [
    ("/api/articles/nope", {}, 404),
    ("/api/events", {"type": "PICNIC"}, 422),
    ("/api/quotes", {"date_from": "yesterday"}, 422),
    ("/api/search", {"q": "..."}, 400),
    ("/api/entities", {"limit": 100000}, 422),
    ("/api/events", {"bbox": "1,2,3"}, 422),
])
def test_api_errors_have_one_shape(client, path, params, status):
    r = client.get(path, params=params)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]


def test_api_read_only_without_token(client):
    r = client.post("/api/documents", json={"text": "نص"})
    assert r.status_code == 403 and "read-only" in r.json()["error"]["message"]


def test_api_write_with_token_ingests_and_merges(db, tmp_path):
    import shutil

    path = str(tmp_path / "w.db")
    shutil.copy(db, path)
    c = TestClient(create_app(path, token="s3cret"))
    assert c.post("/api/documents", json={"text": "نص"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    body = {"id": "new1", "title": "خبر", "text": "خبر جديد\n\nقال المتحدث باسم قوات سوريا الديمقراطية فرهاد شامي إن "
            "قواته سيطرت على بلدة الباغوز بعد معارك عنيفة."}
    r = c.post("/api/documents", json=body, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200 and r.json() == {"id": "new1", "status": "added"}
    a = c.get("/api/entities", params={"q": "فيلق الرحمن"}).json()["items"][0]["kb_id"]
    b = c.get("/api/entities", params={"q": "جبهة النصرة"}).json()["items"][0]["kb_id"]
    r = c.post("/api/entities/merge", json={"keep": a, "merge": b}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200 and r.json()["merged"] >= 1
    assert c.get(f"/api/entities/{b}").status_code == 404
    assert "جبهة النصرة" in c.get(f"/api/entities/{a}").json()["aliases"]


def test_api_exports(client):
    r = client.get("/api/export/acled-csv")
    assert r.status_code == 200 and r.text.startswith("event_date,event_type")
    assert client.get("/api/export/pdf").status_code == 422


def test_api_ui_and_openapi(client):
    assert "راصد" in client.get("/").text
    assert client.get("/static/app.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/entities/{kb_id}" in spec["paths"]


def test_api_split_gives_some_articles_their_own_identity(db, tmp_path):
    import shutil

    path = str(tmp_path / "s.db")
    shutil.copy(db, path)
    c = TestClient(create_app(path, token="s3cret"))
    auth = {"Authorization": "Bearer s3cret"}
    kb_id = c.get("/api/entities", params={"q": "بكور"}).json()["items"][0]["kb_id"]
    arts = [a["id"] for a in c.get(f"/api/entities/{kb_id}").json()["articles"]]
    assert len(arts) == 3
    r = c.post("/api/entities/split", json={"kb_id": kb_id, "doc_ids": [arts[0]]}, headers=auth)
    assert r.status_code == 200
    new = r.json()["new_kb_id"]
    assert [a["id"] for a in c.get(f"/api/entities/{new}").json()["articles"]] == [arts[0]]
    assert len(c.get(f"/api/entities/{kb_id}").json()["articles"]) == 2
    rec = c.get(f"/api/articles/{arts[0]}").json()
    assert new in {e["kb_id"] for e in rec["entities"]}
    bad = c.post("/api/entities/split", json={"kb_id": kb_id, "doc_ids": ["nope"]}, headers=auth)
    assert bad.status_code == 404 and bad.json()["error"]["code"]
    assert c.post("/api/entities/split", json={"kb_id": kb_id, "doc_ids": [arts[1]]}).status_code == 401


def test_api_cache_never_serves_an_answer_older_than_the_knowledge_base(db, tmp_path):
    """Answers are cached, but a write by another process (here: another connection) shows at once."""
    import shutil

    from rasid import extract_text

    path = str(tmp_path / "c.db")
    shutil.copy(db, path)
    c = TestClient(create_app(path))
    before = c.get("/api/stats").json()["articles"]
    assert "fresh" not in {h["id"] for h in c.get("/api/search", params={"q": "بيرقدار", "mode": "keyword"}
                                                  ).json()["items"]}
    assert c.get("/api/stats").json()["articles"] == before  # second answer comes from the cache
    with KnowledgeBase(path) as kb:
        g = kb.generation()
        kb.store(extract_text("قال المتحدث باسم جيش الإسلام حمزة بيرقدار إن الفصيل صد هجوماً في دوما.",
                              doc_id="fresh"))
        assert kb.generation() > g
    assert c.get("/api/stats").json()["articles"] == before + 1
    hits = c.get("/api/search", params={"q": "بيرقدار", "mode": "keyword"}).json()["items"]
    assert "fresh" in {h["id"] for h in hits}


def test_entity_profile_is_bounded_and_counts_everything(db):
    from rasid.kb import queries as Q

    with KnowledgeBase(db) as kb:
        kb_id = Q.find_entities(kb, "بكور")["items"][0]["kb_id"]
        full, short = Q.entity(kb, kb_id), Q.entity(kb, kb_id, limit=1)
    assert full["counts"]["articles"] == short["counts"]["articles"] == 3
    assert len(full["articles"]) == 3 and len(short["articles"]) == 1
    # the latest article and the latest quote are the ones kept
    assert short["articles"][0] == full["articles"][-1] and short["said"] == full["said"][-1:]
    assert full["counts"]["said"] == len(full["said"]) > 10
    assert {c["kb_id"] for c in short["cooccurring"]} <= {c["kb_id"] for c in full["cooccurring"]}


def test_response_cache_computes_once_per_key_and_stays_bounded():
    import threading
    import time

    from rasid.api.cache import ResponseCache

    cache, calls = ResponseCache(max_bytes=8000), []

    def slow():
        calls.append(1)
        time.sleep(0.05)
        return {"n": len(calls)}

    threads = [threading.Thread(target=cache.get_or_compute, args=("k", 1, slow)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and cache.get_or_compute("k", 1, slow) == b'{"n":1}'
    assert cache.get_or_compute("k", 2, slow) == b'{"n":2}'  # a new generation recomputes
    for i in range(100):
        cache.get_or_compute(("big", i), 2, lambda: "x" * 900)
    assert cache._bytes <= 8000 and ("big", 99) in cache._items and ("big", 0) not in cache._items


def test_entity_profile_sections_keep_the_latest_rows_and_match_the_records(db):
    """Each section of a profile (migration 0009's per-entity indexes) keeps its latest rows, and
    the counts equal what the stored records say, computed here independently."""
    from rasid.kb import queries as Q

    with KnowledgeBase(db) as kb:
        kb_id = Q.find_entities(kb, "جيش الإسلام")["items"][0]["kb_id"]
        full, short = Q.entity(kb, kb_id), Q.entity(kb, kb_id, limit=1)
        records = list(kb.records())
    as_actor = place = 0
    for rec in records:
        kb_of = {e["id"]: e["kb_id"] for e in rec["entities"]}
        as_actor += sum(kb_id in {kb_of.get(a) for a in ev["actors"]} for ev in rec["events"])
        place += sum(kb_of.get(ev["location"]) == kb_id for ev in rec["events"])
    assert full["counts"]["events_as_actor"] == as_actor > 0
    assert full["counts"]["events_at_place"] == place
    assert full["counts"]["roles"] == len(full["roles"]) > 0 and full["counts"]["said_about"] == len(full["said_about"]) > 0
    for section in ("roles", "said_about", "said", "articles"):
        assert short[section] == full[section][-1:], section
    actor_events = [e for e in full["events"] if kb_id in {a["kb_id"] for a in e["actors"]}]
    assert [e for e in short["events"] if kb_id in {a["kb_id"] for a in e["actors"]}] == actor_events[-1:]
    dates = [e["date"] or "" for e in actor_events]
    assert dates == sorted(dates)


def test_sqlite_connections_are_pooled_but_never_stale_or_crossed(tmp_path):
    """The API opens a knowledge base per request: connections are reused, a reused one sees
    writes from other connections, a file created anew at the same path never gets the old file's
    connection, and a writer's close leaves its articles in the database file itself."""
    import shutil

    from rasid import extract_text

    path = str(tmp_path / "p.db")
    doc = extract_text("قال المتحدث باسم جيش الإسلام حمزة بيرقدار إن قواته صدت هجوماً على بلدة الريحان.",
                       doc_id="a1")
    other = KnowledgeBase(path)
    with KnowledgeBase(path) as kb:
        first = kb.conn
        assert kb.stats()["articles"] == 0
    other.store(doc)  # a writer on another connection, while `first` waits in the pool
    with KnowledgeBase(path) as kb:
        assert kb.conn is first and kb.stats()["articles"] == 1
    other.close()
    shutil.copy(path, tmp_path / "copy.db")  # the file alone, no -wal beside it
    with KnowledgeBase(str(tmp_path / "copy.db")) as kb:
        assert [r["id"] for r in kb.records()] == ["a1"]
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"p.db{suffix}").unlink(missing_ok=True)
    with KnowledgeBase(path) as kb:  # a new file at the same path: new connection, migrated
        assert kb.conn is not first and kb.stats()["articles"] == 0


def test_start_up_warms_the_most_mentioned_entities_pages_and_they_match_computed_ones(db):
    """``warm``: the summary and the top entities' profiles are in the cache before the first
    request (under the key a request for them uses, the kb_id's colons percent-encoded or not),
    and they are the same answers a cold server computes."""
    from urllib.parse import quote

    from rasid.api import app as api_app

    with KnowledgeBase(db) as kb:
        top = [r[0] for r in kb.execute("SELECT kb_id FROM doc_entities GROUP BY kb_id "
                                        "ORDER BY count(*) DESC, kb_id LIMIT 3").fetchall()]
    calls = []
    real = api_app.Q.entity
    with TestClient(create_app(db, warm=3)) as warm:  # the context runs the start-up
        api_app.Q.entity = lambda *a, **kw: calls.append(a[1]) or real(*a, **kw)
        try:
            pages = [warm.get(f"/api/entities/{quote(k, safe='')}").json() for k in top]
        finally:
            api_app.Q.entity = real
    assert calls == []  # every one came from the cache
    cold = TestClient(create_app(db))
    assert pages == [cold.get(f"/api/entities/{k}").json() for k in top]
    assert api_app.warm_cache(api_app.ResponseCache(0), db, 3) == 0  # no cache, nothing to warm
