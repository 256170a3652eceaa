"""Cross-lingual search check: English queries against the bundled Arabic articles.

    python eval/semantic_eval.py [--min 0.8]

Ingests examples/articles into a temporary knowledge base and reports hit@5 over the queries in
eval/semantic_queries.json (the right sentence among the first five hybrid results).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasid import extract  # noqa: E402
from rasid.kb.store import KnowledgeBase  # noqa: E402
from rasid.normalize import fold  # noqa: E402


def hit_at_5(kb: KnowledgeBase, queries: list[dict]) -> tuple[float, list[str]]:
    misses = []
    for item in queries:
        hits = kb.search(item["q"], limit=5)
        if not any(fold(item["expect"]) in fold(h.sentence) for h in hits):
            misses.append(item["q"])
    return 1 - len(misses) / len(queries), misses


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min", type=float, default=0.0, help="fail below this hit@5")
    a = ap.parse_args()
    queries = json.loads((ROOT / "eval" / "semantic_queries.json").read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp, KnowledgeBase(str(Path(tmp) / "kb.db")) as kb:
        for d in extract([str(ROOT / "examples" / "articles")]):
            kb.store(d)
        score, misses = hit_at_5(kb, queries)
    print(f"cross-lingual hit@5: {score:.2f} ({len(queries) - len(misses)}/{len(queries)})")
    for m in misses:
        print("  missed:", m)
    return 0 if score >= a.min else 1


if __name__ == "__main__":
    sys.exit(main())
