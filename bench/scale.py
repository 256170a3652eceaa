"""Scaling and load benchmark (`make bench-scale`): cost per article as the corpus grows, and
the API under concurrent load on loopback.

Corpus: the bundled articles recombined — each synthetic article takes the header of one seed
and a random sample of paragraphs from all seeds (seeded), so texts differ and entities recur
across articles as they do in real news. For each size N (default 100 and 1,000; add 10000 with
--sizes) a fresh knowledge base is built by `rasid.ingest` in one process; we report seconds,
articles/s, tokens/s and ms/article (flat = no quadratic step). With --workers W the largest
corpus of at most 1,000 articles is ingested again on the Ray engine with W workers (extraction
and search vectors in the workers, this process the single writer). Then 50 concurrent client
threads hit /api/search and /api/entities/{id} on a uvicorn server over the knowledge base of
--load-articles articles (reused when that size was built above) for a bounded number of
requests; p50/p99 and errors. Knowledge bases are kept under --out (default bench-out/).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasid import ingest  # noqa: E402
from rasid.kb.store import KnowledgeBase  # noqa: E402

import loadgen  # noqa: E402  (bench/)


def make_corpus(dest: Path, n: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    paras = [p for t in seeds for p in t.split("\n\n") if len(p.split()) > 12]
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        head = seeds[i % len(seeds)].split("\n\n")[0]
        body = "\n\n".join(rng.sample(paras, k=min(len(paras), rng.randint(4, 9))))
        (dest / f"a{i:05d}.txt").write_text(f"{head}\n\n{body}\n", encoding="utf-8")


def build(n: int, out: Path, engine: str = "local", workers: int | None = None) -> dict:
    """Ingest a fresh n-article corpus into ``out/kb-<n>[-<engine>].db``; timings."""
    corpus = out / f"corpus-{n}"
    if not corpus.exists():
        make_corpus(corpus, n)
    ntok = sum(len(re.findall(r"\w+", p.read_text(encoding="utf-8"))) for p in corpus.iterdir())
    db = out / (f"kb-{n}.db" if engine == "local" else f"kb-{n}-{engine}{workers}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with KnowledgeBase(str(db)) as kb:
        t0 = time.perf_counter()
        for _status, _rej in ingest([str(corpus)], kb, engine=engine, workers=workers):
            pass
        dt = time.perf_counter() - t0
        st = kb.stats()
    res = {"articles": n, "engine": engine if engine == "local" else f"{engine} x{workers}",
           "seconds": round(dt, 1), "articles_per_s": round(n / dt, 2),
           "tokens_per_s": round(ntok / dt), "ms_per_article": round(1000 * dt / n, 1),
           "entities": st["entities"], "db": str(db)}
    print(json.dumps(res), flush=True)
    return res


def load(db: str, clients: int, requests_per_client: int, modes: tuple[str, ...] = ("keyword", "hybrid"),
         server_workers: int = 1, warms: tuple[int, ...] = (0, 50)) -> list[dict]:
    """For each start-up warm-up (``rasid serve --warm N``: 0 = nothing cached at start, 50 = the
    default, the 50 most-mentioned entities' profiles computed before the server accepts
    requests) and each search mode, against a freshly started `rasid serve` in a second process:
    ``clients`` threads alternate search and entity pages. One search first loads the vector
    index (as any first query after a server starts does); it is not counted. Then the same
    load once more on the same server: answers now come from its cache."""
    with KnowledgeBase(db) as kb:
        n_articles = kb.stats()["articles"]
        ents = [r[0] for r in kb.conn.execute(
            "SELECT kb_id FROM doc_entities GROUP BY kb_id ORDER BY count(*) DESC, kb_id LIMIT 20")]
    results = []
    for warm, mode in ((w, m) for w in warms for m in modes):
        with loadgen.server(db, workers=server_workers, warm=warm) as base:
            first_query = urllib.parse.quote(loadgen.QUERIES[0])
            urllib.request.urlopen(f"{base}/api/search?mode={mode}&q={first_query}", timeout=300).read()
            for state in ("first pass", "second pass"):
                res = {"articles": n_articles, "search_mode": mode, "server_workers": server_workers,
                       "warm_at_start": warm, "pass": state,
                       **loadgen.hammer(loadgen.search_and_entities(base, ents, mode), clients, requests_per_client)}
                print(json.dumps(res), flush=True)
                results.append(res)
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000", help="corpus sizes, comma-separated (e.g. 100,1000,10000)")
    ap.add_argument("--workers", type=int, default=0,
                    help="also ingest the largest corpus of at most 1,000 articles on Ray with this many workers")
    ap.add_argument("--load-articles", type=int, default=1000)
    ap.add_argument("--load-db", help="run only the API load test, on this existing knowledge base")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="requests per client")
    ap.add_argument("--server-workers", type=int, default=1, help="`rasid serve --workers` for the load test")
    ap.add_argument("--out", default=str(ROOT / "bench-out"), help="where corpora and knowledge bases go")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.load_db:
        load(a.load_db, a.clients, a.requests, server_workers=a.server_workers)
        return 0
    sizes = [int(x) for x in a.sizes.split(",") if x]
    results = [build(n, out) for n in sizes]
    built = {r["articles"]: r["db"] for r in results}
    if a.workers:
        n = max([x for x in sizes if x <= 1000] or [1000])
        results.append(build(n, out, engine="ray", workers=a.workers))
    db = built.get(a.load_articles) or build(a.load_articles, out)["db"]
    results += load(db, a.clients, a.requests, server_workers=a.server_workers)
    (out / "scale.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
