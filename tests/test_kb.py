import json
import sqlite3

import pytest

from rasid import extract
from rasid.errors import NotFoundError, QueryError
from rasid.kb.store import KnowledgeBase
from tests_paths import ARTICLES


def _docs(articles):
    return [d for d in extract([str(articles)])]


def test_kb_ingest_is_idempotent_by_content_hash(kb, articles):
    docs = _docs(articles)
    assert [kb.store(d).status for d in docs] == ["added"] * 5
    before = kb.stats()
    assert [kb.store(d).status for d in docs] == ["unchanged"] * 5
    assert kb.stats() == before
    assert before["articles"] == 5 and before["quotes"] > 30 and before["events"] > 5


def test_kb_updated_article_replaces_old_version(kb, articles):
    doc = _docs(articles)[4]
    kb.store(doc)
    n_sent = kb.stats()["sentences"]
    doc.text = doc.text + "\n\nوأضاف علوان أن الفصائل مستعدة للدفاع عن الغوطة."
    from rasid.pipeline import Pipeline
    doc = Pipeline()(doc)
    assert kb.store(doc).status == "replaced"
    st = kb.stats()
    assert st["articles"] == 1 and st["sentences"] == n_sent + 1
    assert "مستعدة للدفاع" in kb.record(doc.id)["text"]


def test_kb_failed_write_leaves_no_half_article(kb, articles, monkeypatch):
    doc = _docs(articles)[0]
    real = kb.conn

    class Exploding:
        """Fails on the first FTS insert, after the document row was written."""

        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if sql.startswith("INSERT INTO sentences_fts"):
                raise sqlite3.OperationalError("disk I/O error (simulated)")
            return self.conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    kb.conn = Exploding(real)
    with pytest.raises(sqlite3.OperationalError):
        kb.store(doc)
    kb.conn = real
    st = kb.stats()
    assert st["articles"] == 0 and st["sentences"] == 0 and st["entities"] == 0


@pytest.mark.parametrize("query,must_find", [
    ("السلاح", ["السـ.لاح", "للسـِلاح"]),
    ("المحرمة", ["المحـ.رمة"]),
    ("الغوطه", ["الغوطة"]),
    ("ادلب", ["إدلب"]),
    ("جيش العزة", ["لجيش العزة"]),
])
def test_kb_search_is_arabic_aware(kb, articles, query, must_find):
    for d in _docs(articles):
        kb.store(d)
    hits = kb.search(query, limit=50, mode="keyword")
    text = " ".join(h.sentence for h in hits)
    for form in must_find:
        assert form in text
    for h in hits:
        assert h.marks, h.sentence
        for s, e in h.marks:
            assert h.sentence[s:e].strip()


def test_kb_search_rejects_an_empty_query(kb):
    with pytest.raises(QueryError):
        kb.search("،؟ ...")


def test_kb_show_unknown_id(kb):
    with pytest.raises(NotFoundError):
        kb.record("nope")


def test_kb_record_round_trip(kb, articles):
    doc = _docs(articles)[3]
    kb.store(doc)
    assert kb.record(doc.id) == json.loads(json.dumps(doc.to_record(), ensure_ascii=False))


def test_kb_same_entity_one_row_with_aliases_from_all_articles(kb, articles):
    for d in _docs(articles):
        kb.store(d)
    rows = kb.conn.execute("SELECT e.kb_id, group_concat(a.alias, '|') FROM entities e "
                           "JOIN entity_aliases a ON a.kb_id = e.kb_id WHERE e.type = 'PER' "
                           "AND e.name LIKE '%بكور%' GROUP BY e.kb_id").fetchall()
    assert len(rows) == 1
    assert {"مصطفى البكور", "مصطفى بكور"} <= set(rows[0][1].split("|"))


def test_kb_english_query_finds_arabic_sentences(kb, articles):
    for d in _docs(articles):
        kb.store(d)
    hits = kb.search("withdrawal from Ghouta", limit=5, mode="semantic")
    assert any("الغوطة" in h.sentence for h in hits)
    hybrid = kb.search("السلاح", limit=5)
    assert hybrid and all(h.marks for h in hybrid[:2])  # keyword matches come first


def test_kb_search_modes_are_validated(kb):
    with pytest.raises(QueryError):
        kb.search("x", mode="fuzzy")


def test_vector_index_tops_up_after_additions_and_reloads_after_a_replacement(tmp_path):
    """The API's shared in-memory vectors follow the table: appends are read incrementally, a
    replaced article (rows deleted) forces a reload; either way they equal the table."""
    import os

    import numpy as np

    from rasid import extract_text
    from rasid.kb.semantic import shared_index

    path = str(tmp_path / "v.db")
    docs = list(extract([str(ARTICLES)]))[:2]
    with KnowledgeBase(path) as kb:
        index = shared_index(os.path.abspath(path))
        table = lambda: [r[0] for r in kb.execute("SELECT sentence_id FROM sentence_vectors ORDER BY id")]  # noqa: E731
        kb.store(docs[0])
        first, _ = index.refresh(kb.execute, kb.generation())
        kb.store(docs[1])
        second, mat = index.refresh(kb.execute, kb.generation())
        assert list(second) == table() and len(second) > len(first) and list(second[:len(first)]) == list(first)
        assert mat.shape == (len(second), 512) and np.allclose(np.linalg.norm(mat, axis=1), 1, atol=1e-2)
        kb.store(extract_text("أعلنت الأمم المتحدة وصول قافلة مساعدات إنسانية تحمل الغذاء والدواء "
                              "إلى مخيم الركبان على الحدود الأردنية.", doc_id=docs[0].id))
        third, _ = index.refresh(kb.execute, kb.generation())
        assert list(third) == table() and len(third) < len(second)
        hits = kb.search("humanitarian aid convoy reached the refugee camp", 3, "semantic")
        assert hits and hits[0].doc_id == docs[0].id


def test_projected_vector_ranking_keeps_the_exact_top_hits(monkeypatch):
    """Past ``exact_limit`` vectors the index shortlists on a 128-dimensional projection: on real
    Arabic newswire clauses (ANERcorp) its top 50 must be nearly the exact top 50, and adding
    rows afterwards extends the projection rather than refitting it."""
    import sqlite3
    from collections import Counter

    import numpy as np

    from rasid.kb import semantic

    sents, cur = [], []
    for line in (ARTICLES.parents[1] / "data" / "anercorp" / "train.txt").read_text(encoding="utf-8").splitlines():
        if line.split():
            cur.append(line.split()[0])
        elif cur:
            sents.append(" ".join(cur))
            cur = []
    clauses = [c for s in sents for c in semantic.chunks(s)][:3000]
    mat = semantic.encode(clauses)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE sentence_vectors (id INTEGER PRIMARY KEY, sentence_id INTEGER, vec BLOB)")
    conn.executemany("INSERT INTO sentence_vectors VALUES (?,?,?)",
                     [(i + 1, i, semantic.to_blob(v)) for i, v in enumerate(mat[:2500])])
    monkeypatch.setattr(semantic, "CANDIDATES", 0)  # shortlist: 200 of 3,000 (the 2% floor is 60)
    exact, approx = semantic.VectorIndex(exact_limit=10**9), semantic.VectorIndex(exact_limit=1000)
    approx.refresh(conn.execute, 1)
    basis = approx._data[2]
    assert basis is not None and basis.shape == (512, semantic.PROJ_DIM) and exact.refresh(conn.execute, 1)
    conn.executemany("INSERT INTO sentence_vectors VALUES (?,?,?)",
                     [(i + 1, i, semantic.to_blob(v)) for i, v in enumerate(mat[2500:], start=2500)])
    assert len(approx.refresh(conn.execute, 2)[0]) == 3000 and approx._data[2] is basis  # topped up
    rng = np.random.default_rng(0)
    recall = []
    for i in rng.choice(len(mat), 40, replace=False):
        q = mat[i] + 0.05 * rng.standard_normal(512).astype(np.float32)
        q /= np.linalg.norm(q)
        score = dict(zip(range(len(mat)), np.round(mat @ q, 5)))  # sentence i holds clause i
        want = [score[i] for i in exact.rank_vector(conn.execute, 2, q, 50, floor=-1)]
        got = [score[i] for i in approx.rank_vector(conn.execute, 2, q, 50, floor=-1)]
        assert got[0] == want[0]  # the best hit is never lost (duplicate clauses tie: compare scores)
        recall.append(sum((Counter(want) & Counter(got)).values()) / len(want))
    assert np.mean(recall) >= 0.95, np.mean(recall)
