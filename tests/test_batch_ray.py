"""The Ray path and the local path produce identical records; order does not change identities."""
import pytest

pytest.importorskip("ray")

from rasid import ingest  # noqa: E402
from rasid.kb.store import KnowledgeBase  # noqa: E402
from tests_paths import ARTICLES  # noqa: E402


def _records(db):
    with KnowledgeBase(db) as kb:
        return {r["id"]: r for r in kb.records()}


def test_batch_ray_equals_local_and_order_free(tmp_path):
    files = sorted(str(p) for p in ARTICLES.glob("*.txt"))
    local, viaray, backwards = (str(tmp_path / n) for n in ("local.db", "ray.db", "backwards.db"))
    with KnowledgeBase(local) as kb:
        assert [s for s, _ in ingest(files, kb)] == ["added"] * 5
    with KnowledgeBase(viaray) as kb:
        assert sorted(s for s, _ in ingest(files, kb, engine="ray", workers=2)) == ["added"] * 5
        assert sorted(s for s, _ in ingest(files, kb, engine="ray", workers=2)) == ["unchanged"] * 5
    with KnowledgeBase(backwards, semantic=False) as kb:
        list(ingest(list(reversed(files)), kb))
    a, b, c = _records(local), _records(viaray), _records(backwards)
    assert a == b
    ids = lambda recs: {(d, e["name"], e["kb_id"]) for d, r in recs.items() for e in r["entities"]}  # noqa: E731
    assert ids(a) == ids(c)
    # the actors computed the search vectors: same clauses indexed, and the same hits
    with KnowledgeBase(local) as kl, KnowledgeBase(viaray) as kr:
        count = "SELECT count(*) FROM sentence_vectors"
        assert kl.execute(count).fetchone()[0] == kr.execute(count).fetchone()[0] > 50
        for q in ("prisoner exchange", "withdrawal from Ghouta"):
            hits = lambda k: [(h.doc_id, h.sentence) for h in k.search(q, mode="semantic", limit=3)]  # noqa: E731
            assert hits(kl) == hits(kr)
