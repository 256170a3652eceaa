"""Scaling and load benchmark (`make bench-scale`): cost per article as the corpus grows, and
the API under concurrent load on loopback.

Corpus: the bundled articles recombined — each synthetic article takes the header of one seed
and a random sample of paragraphs from all seeds (seeded), so texts differ and entities recur
across articles as they do in real news. For each size N (default 100 and 1,000; add 10000 with
--sizes) a fresh knowledge base is built by `rasid.ingest`; we report seconds, articles/s and
ms/article (flat = no quadratic step). Then 50 concurrent client threads hit /api/search and
/api/entities/{id} on a uvicorn server for a bounded number of requests; p50/p99 and errors.
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasid import ingest  # noqa: E402
from rasid.kb.store import KnowledgeBase  # noqa: E402


def make_corpus(dest: Path, n: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    paras = [p for t in seeds for p in t.split("\n\n") if len(p.split()) > 12]
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        head = seeds[i % len(seeds)].split("\n\n")[0]
        body = "\n\n".join(rng.sample(paras, k=min(len(paras), rng.randint(4, 9))))
        (dest / f"a{i:05d}.txt").write_text(f"{head}\n\n{body}\n", encoding="utf-8")


def scale(sizes: list[int]) -> list[dict]:
    out = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            make_corpus(corpus, n)
            with KnowledgeBase(str(Path(tmp) / "kb.db")) as kb:
                t0 = time.perf_counter()
                for _status, _rej in ingest([str(corpus)], kb):
                    pass
                dt = time.perf_counter() - t0
                st = kb.stats()
            out.append({"articles": n, "seconds": round(dt, 1), "articles_per_s": round(n / dt, 1),
                        "ms_per_article": round(1000 * dt / n, 1), "entities": st["entities"]})
            print(json.dumps(out[-1]), flush=True)
    return out


def load(n_articles: int, clients: int, requests_per_client: int) -> dict:
    import uvicorn

    from rasid.api.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        make_corpus(corpus, n_articles)
        db = str(Path(tmp) / "kb.db")
        with KnowledgeBase(db) as kb:
            for _ in ingest([str(corpus)], kb):
                pass
            ents = [r[0] for r in kb.conn.execute(
                "SELECT kb_id FROM doc_entities GROUP BY kb_id ORDER BY count(*) DESC LIMIT 20")]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                               log_level="error", workers=1))
        th = threading.Thread(target=server.run, daemon=True)
        th.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        queries = ["السلاح", "جيش الإسلام", "الغوطة", "تبادل الأسرى", "ريف حماة"]
        lat: list[float] = []
        errors = 0
        lock = threading.Lock()

        def client(i: int) -> None:
            nonlocal errors
            for r in range(requests_per_client):
                if r % 2:
                    url = f"{base}/api/entities/{urllib.parse.quote(ents[(i + r) % len(ents)], safe='')}"
                else:
                    url = f"{base}/api/search?mode=keyword&q={urllib.parse.quote(queries[(i + r) % len(queries)])}"
                t = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=30) as resp:
                        resp.read()
                        ok = resp.status == 200
                except OSError:
                    ok = False
                with lock:
                    lat.append((time.perf_counter() - t) * 1000)
                    errors += not ok

        t0 = time.perf_counter()
        with ThreadPoolExecutor(clients) as ex:
            list(ex.map(client, range(clients)))
        wall = time.perf_counter() - t0
        server.should_exit = True
        th.join(10)
    lat.sort()
    return {"articles": n_articles, "clients": clients, "requests": len(lat), "errors": errors,
            "p50_ms": round(statistics.median(lat), 1), "p99_ms": round(lat[int(0.99 * (len(lat) - 1))], 1),
            "requests_per_s": round(len(lat) / wall, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000", help="corpus sizes, comma-separated (e.g. 100,1000,10000)")
    ap.add_argument("--load-articles", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="requests per client")
    a = ap.parse_args()
    scale([int(x) for x in a.sizes.split(",") if x])
    print(json.dumps(load(a.load_articles, a.clients, a.requests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
