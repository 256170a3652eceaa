"""PostgreSQL against SQLite on the same corpus (the numbers in README "PostgreSQL for a team").

Extracts N synthetic articles once (`bench/scale.py`'s corpus), then for each backend: store cost
per article (without and with sentence vectors), keyword and semantic search latency, opening a
knowledge base (PostgreSQL: new connection and pooled), and the API under 50 concurrent clients.
PostgreSQL is `--pg URL` (an empty database), else a throwaway server started like the tests do
(tests/conftest_pg.py: Debian's binaries). Usage: python bench/pg_vs_sqlite.py [--articles 200]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "tests")]

from rasid import extract  # noqa: E402
from rasid.kb import postgres  # noqa: E402
from rasid.kb.store import KnowledgeBase  # noqa: E402
from scale import make_corpus  # noqa: E402

import loadgen  # noqa: E402

from loadgen import QUERIES  # noqa: E402


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples), 2)


def backend(name: str, target: str, docs: list, out: dict) -> None:
    with KnowledgeBase(target, semantic=False) as kb:
        t = time.perf_counter()
        for d in docs:
            kb.store(d)
        out[f"{name}.store_ms_per_article_without_vectors"] = round(1000 * (time.perf_counter() - t) / len(docs), 2)
        lat = []
        for q in QUERIES * 40:
            t = time.perf_counter()
            kb.search(q, 20, "keyword")
            lat.append(1000 * (time.perf_counter() - t))
        out[f"{name}.keyword_search_ms_median"] = _ms(lat)
        out[f"{name}.keyword_search_ms_max"] = round(max(lat), 2)


def vectors(name: str, target: str, docs: list, out: dict) -> None:
    with KnowledgeBase(target) as kb:
        t = time.perf_counter()
        for d in docs:
            kb.store(d)
        out[f"{name}.store_ms_per_article_with_vectors"] = round(1000 * (time.perf_counter() - t) / len(docs), 1)
        kb.search("prisoner exchange", 10, "semantic")
        lat = []
        for _ in range(20):
            t = time.perf_counter()
            kb.search("prisoner exchange", 10, "semantic")
            lat.append(1000 * (time.perf_counter() - t))
        out[f"{name}.semantic_search_ms_median"] = _ms(lat)


def api_load(name: str, target: str, out: dict, clients: int = 50, requests: int = 10) -> None:
    with KnowledgeBase(target) as kb:
        ents = [r[0] for r in kb.execute("SELECT kb_id FROM doc_entities GROUP BY kb_id "
                                         "ORDER BY count(*) DESC, kb_id LIMIT 20")]
    with loadgen.server(target) as base:
        res = loadgen.hammer(loadgen.search_and_entities(base, ents), clients, requests, timeout=60)
    out[f"{name}.api_{clients}x{requests}"] = {k: res[k] for k in ("errors", "p50_ms", "p99_ms", "requests_per_s")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--with-vectors", type=int, default=30, help="articles stored with sentence vectors")
    ap.add_argument("--pg", help="an empty PostgreSQL database URL (default: a throwaway server)")
    a = ap.parse_args()
    server = None
    if a.pg:
        new_db = lambda prefix: a.pg  # noqa: E731 - one database: run without --with-vectors to reuse it
    else:
        from conftest_pg import PgServer, pg_bindir

        if pg_bindir() is None:
            print("no PostgreSQL binaries: apt-get install postgresql, or pass --pg URL", file=sys.stderr)
            return 2
        server = PgServer(pg_bindir())
        server.start()
        new_db = server.new_database
    out: dict = {}
    try:
        tmp = Path(tempfile.mkdtemp())
        make_corpus(tmp / "corpus", a.articles)
        docs = list(extract([str(tmp / "corpus")]))
        from rasid.kb import semantic

        semantic.encode(["warm up"])  # the model loads once, outside the timings
        pg = new_db("bench")
        targets = {"postgres": pg, "sqlite": str(tmp / "kb.db")}
        for name, target in targets.items():
            backend(name, target, docs, out)
        if a.with_vectors and not a.pg:
            for name, target in {"postgres": new_db("benchv"), "sqlite": str(tmp / "kbv.db")}.items():
                vectors(name, target, docs[:a.with_vectors], out)
        for label in ("new_connection", "pooled"):
            lat = []
            for _ in range(50):
                if label == "new_connection":
                    with postgres._POOL_LOCK:
                        for c in postgres._POOL.pop(pg, []):
                            c.close()
                t = time.perf_counter()
                KnowledgeBase(pg).close()
                lat.append(1000 * (time.perf_counter() - t))
            out[f"postgres.open_close_ms_{label}"] = _ms(lat)
        for name, target in targets.items():
            api_load(name, target, out)
    finally:
        if server:
            server.stop()
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
