"""Throughput of the CRF NER tagger on the ANERcorp test split.

    python scripts/bench_ner.py [--repeat N] [--conll FILE]

Times ``CrfTagger.tag`` over every sentence of the file (feature extraction included; the
model load and gazetteer build are timed apart, as a one-off start-up cost) and reports the
best of N passes in tokens/s, with peak resident memory of the process. The word-feature cache
is cleared before each pass so that every pass pays the full feature cost, as on unseen text.
Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasid.ner import features  # noqa: E402
from rasid.ner.conll import read_conll  # noqa: E402
from rasid.ner.crf import CrfTagger  # noqa: E402
from rasid.normalize import fold  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conll", default=str(ROOT / "data" / "anercorp" / "test.txt"))
    ap.add_argument("--repeat", type=int, default=3, help="passes; the best is reported (default 3)")
    args = ap.parse_args()

    sentences = read_conll(args.conll).words()
    ntok = sum(map(len, sentences))
    tagger = CrfTagger()
    t0 = time.perf_counter()
    tagger.tag(sentences[:1])  # loads the model and builds the gazetteer index
    startup = time.perf_counter() - t0
    passes = []
    for _ in range(max(1, args.repeat)):
        features._word_info.cache_clear()
        fold.cache_clear()
        t0 = time.perf_counter()
        tagger.tag(sentences)
        passes.append(time.perf_counter() - t0)
    best = min(passes)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({
        "bench": "ner-crf", "file": args.conll, "sentences": len(sentences), "tokens": ntok,
        "tokens_per_s": round(ntok / best), "seconds_best": round(best, 3),
        "seconds_all": [round(p, 3) for p in passes], "startup_s": round(startup, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "python": platform.python_version(), "machine": platform.machine(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
