"""Throughput of the NER taggers on the ANERcorp test split.

    python scripts/bench_ner.py [--model crf|accurate] [--repeat N] [--conll FILE] [--workers N]

Times ``tag`` over every sentence of the file and reports the best of N passes in tokens (the
file's words) per second, with peak resident memory of the process. ``crf`` (fast mode):
feature extraction included, the word-feature cache cleared before each pass so every pass pays
the full cost, as on unseen text; ``--workers`` processes (default: one per CPU, as ``rasid tag``
runs it; ``--workers 1`` for one process). ``accurate``: the int8 ONNX e5 tagger (subword tokenisation,
length-sorted batches, Viterbi included; the tokenizer's cache cleared before each pass). Both
include the document-level consistency pass, as ``rasid tag`` runs it (``--no-consistency``
leaves it out). Model
load (and, for ``accurate``, building the ONNX graph on a fresh machine) is timed apart as
start-up. Prints one JSON line.
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
from rasid.ner.consistency import propagate  # noqa: E402
from rasid.ner.crf import CrfTagger, cpu_workers  # noqa: E402
from rasid.normalize import fold  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conll", default=str(ROOT / "data" / "anercorp" / "test.txt"))
    ap.add_argument("--repeat", type=int, default=3, help="passes; the best is reported (default 3)")
    ap.add_argument("--model", choices=("crf", "accurate"), default="crf")
    ap.add_argument("--workers", type=int, default=0,
                    help="crf: processes (default 0 = one per CPU this process may use)")
    ap.add_argument("--no-consistency", action="store_true", help="time the sentence tagger alone")
    args = ap.parse_args()
    workers = args.workers or cpu_workers()

    sentences = read_conll(args.conll).words()
    ntok = sum(map(len, sentences))
    t0 = time.perf_counter()
    if args.model == "crf":
        tagger = CrfTagger(workers=workers)
    else:
        from rasid.ner.accurate import AccurateTagger

        tagger = AccurateTagger()
    tagger.tag(sentences[:1])  # loads the model (and builds the gazetteer index / ONNX graph)
    startup = time.perf_counter() - t0
    passes = []
    for _ in range(max(1, args.repeat)):
        features._word_info.cache_clear()
        fold.cache_clear()
        if args.model == "accurate":
            tagger.tok.encode_word.cache_clear()
        t0 = time.perf_counter()
        tags = tagger.tag(sentences)
        if not args.no_consistency:
            propagate(sentences, tags)
        passes.append(time.perf_counter() - t0)
    best = min(passes)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({
        "bench": f"ner-{args.model}", "consistency": not args.no_consistency, "workers": workers if args.model == "crf" else None,
        "file": args.conll, "sentences": len(sentences), "tokens": ntok,
        "tokens_per_s": round(ntok / best), "seconds_best": round(best, 3),
        "seconds_all": [round(p, 3) for p in passes], "startup_s": round(startup, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "python": platform.python_version(), "machine": platform.machine(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
