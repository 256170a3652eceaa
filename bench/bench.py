"""End-to-end throughput benchmark: `make bench`.

Builds a corpus of at least 1 MB by repeating the bundled articles (each copy gets its own id,
so nothing is skipped as a duplicate), then measures, in this process:
- extraction (read + clean + every pipeline stage) in articles/s and tokens/s,
- ingest into a fresh SQLite knowledge base (extraction + store) in articles/s,
- search latency over the resulting knowledge base,
- peak resident memory.
Prints a JSON line and a Markdown table for the README.
"""
from __future__ import annotations

import json
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasid import process  # noqa: E402
from rasid.ingest import RawArticle  # noqa: E402
from rasid.kb.store import KnowledgeBase  # noqa: E402

MIN_BYTES = 1_000_000


def corpus() -> list[RawArticle]:
    src = sorted((ROOT / "examples" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in src]
    out, size, n = [], 0, 0
    while size < MIN_BYTES:
        for p, t in zip(src, texts):
            out.append(RawArticle(id=f"{p.stem}-{n}", text=t, fmt="text", path=str(p)))
            size += len(t.encode("utf-8"))
        n += 1
    return out


def main() -> int:
    arts = corpus()
    nbytes = sum(len(a.text.encode("utf-8")) for a in arts)
    ntok = sum(len(re.findall(r"\w+", a.text)) for a in arts)
    list(process(arts[:5]))  # warm-up: loads lexicons and gazetteers once
    t0 = time.perf_counter()
    docs = [d for d in process(arts)]
    t_extract = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        with KnowledgeBase(str(Path(tmp) / "bench.db")) as kb:
            t0 = time.perf_counter()
            for d in docs:
                kb.store(d)
            t_store = time.perf_counter() - t0
            lat = []
            for q in ["السلاح", "جيش الإسلام", "تبادل الأسرى", "الغوطة الشرقية", "ريف حماة الشمالي"] * 10:
                s = time.perf_counter()
                kb.search(q, limit=20)
                lat.append((time.perf_counter() - s) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res = {
        "articles": len(arts), "corpus_mb": round(nbytes / 1e6, 2), "tokens": ntok,
        "extract_s": round(t_extract, 2),
        "extract_articles_per_s": round(len(arts) / t_extract, 1),
        "extract_tokens_per_s": round(ntok / t_extract),
        "ingest_articles_per_s": round(len(arts) / (t_extract + t_store), 1),
        "store_s": round(t_store, 2),
        "search_ms_median": round(statistics.median(lat), 2),
        "search_ms_max": round(max(lat), 2),
        "peak_rss_mb": round(peak_mb, 1),
    }
    print(json.dumps(res))
    print()
    print("| corpus | extract | ingest (extract + store) | search (median / max) | peak memory |")
    print("|---|---|---|---|---|")
    print(f"| {res['articles']} articles, {res['corpus_mb']} MB, {ntok:,} tokens "
          f"| {res['extract_articles_per_s']} articles/s, {res['extract_tokens_per_s']:,} tokens/s "
          f"| {res['ingest_articles_per_s']} articles/s | {res['search_ms_median']} / {res['search_ms_max']} ms "
          f"| {res['peak_rss_mb']} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
