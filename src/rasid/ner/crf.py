"""The fast-mode NER tagger: a linear-chain CRF (CRFsuite) over ``rasid.ner.features``.

The model is a packaged data file (``data/models/ner-crf.crfsuite``, trained on ANERcorp by
``scripts/train_ner_crf.py``; its scores and settings are in ``ner-crf.metrics.json``). It is
loaded on the first call to ``tag``, so importing rasid, or running the rule pipeline, costs
nothing. Tags are BIO over PERS, LOC, ORG and MISC, the ANERcorp types.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from rasid.datafiles import load_json
from rasid.errors import DataFileError
from rasid.ner.features import FEATURES_VERSION, sentence_features

MODEL_NAME = "models/ner-crf.crfsuite"
METRICS_NAME = "models/ner-crf.metrics.json"
TYPES = ("PERS", "LOC", "ORG", "MISC")


def repair_bio(tags: list[str]) -> list[str]:
    """Turn an ``I-X`` that does not continue an ``X`` into ``B-X`` (same entities, valid BIO)."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def _check_packaged_version() -> None:
    """The packaged model must have been trained on the features this code computes."""
    try:
        trained = load_json(METRICS_NAME)["settings"]["features_version"]
    except (DataFileError, KeyError, TypeError):
        return  # no metrics shipped: nothing to check against
    if trained != FEATURES_VERSION:
        raise DataFileError(f"the packaged NER model was trained on features version {trained}, "
                            f"this code computes version {FEATURES_VERSION}; retrain it with "
                            "scripts/train_ner_crf.py")


#: below this many tokens a second process costs more than it saves
PARALLEL_MIN_TOKENS = 20_000

# what a forked worker tags: set by the parent just before it forks, inherited by the children
_FORK_JOB: tuple[CrfTagger, list[list[str]]] | None = None


def _tag_slice(bounds: tuple[int, int]) -> list[list[str]]:
    assert _FORK_JOB is not None
    tagger, sentences = _FORK_JOB
    return tagger.tag(sentences[bounds[0]:bounds[1]])


class CrfTagger:
    """BIO tagger over token lists; ``model`` defaults to the packaged model.

    ``workers > 1`` tags long inputs (``PARALLEL_MIN_TOKENS`` and more) in that many forked
    processes, one contiguous slice each: feature extraction is pure Python, so a second core
    only helps from another process. The children inherit the loaded model and the word cache.
    Meant for batch tagging (``rasid tag``); a server or an ingest pool, which run their own
    processes or threads, keep the default of 1.
    """

    def __init__(self, model: str | Path | None = None, *, workers: int = 1) -> None:
        self._path = Path(model) if model else None
        self.workers = max(1, workers)
        self._tagger: Any = None
        self._files = ExitStack()
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._tagger is not None:
                return self._tagger
            try:
                import pycrfsuite
            except ImportError as err:
                raise DataFileError("the CRF tagger needs python-crfsuite "
                                    "(pip install python-crfsuite)") from err
            if self._path is None:
                _check_packaged_version()
                ref = resources.files("rasid") / "data" / MODEL_NAME
                self._path = self._files.enter_context(resources.as_file(ref))
            if not self._path.is_file():
                raise DataFileError(f"NER model missing: {self._path} (train it with "
                                    "scripts/train_ner_crf.py)")
            tagger = pycrfsuite.Tagger()
            try:
                tagger.open(str(self._path))
            except Exception as err:  # CRFsuite raises ValueError/OSError on a bad file
                raise DataFileError(f"NER model {self._path} cannot be opened: {err}") from err
            self._tagger = tagger
            return tagger

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """One BIO tag per token (``B-PERS``, ``I-LOC``, ``O``, ...) for each sentence."""
        tagger = self._load()
        if self.workers > 1 and sum(map(len, sentences)) >= PARALLEL_MIN_TOKENS:
            return self._tag_forked(list(sentences))
        out = []
        for words in sentences:
            if not words:
                out.append([])
                continue
            feats = sentence_features(list(words))
            with self._lock:  # a CRFsuite tagger holds the current sequence: not re-entrant
                tags = tagger.tag(feats)
            out.append(repair_bio(tags))
        return out

    def _tag_forked(self, sentences: list[list[str]]) -> list[list[str]]:
        global _FORK_JOB
        n = len(sentences)
        k = min(self.workers, n)
        cuts = [round(i * n / k) for i in range(k + 1)]
        serial = CrfTagger(self._path)  # what the children run: the same model, one process each
        serial._tagger = self._tagger
        with self._lock:  # no thread of ours may hold the lock while we fork
            _FORK_JOB = (serial, sentences)
            try:
                with ProcessPoolExecutor(k, mp_context=multiprocessing.get_context("fork")) as pool:
                    parts = list(pool.map(_tag_slice, zip(cuts, cuts[1:])))
            finally:
                _FORK_JOB = None
        return [tags for part in parts for tags in part]

    def marginals(self, sentences: list[list[str]], labels: Sequence[str]) -> list[np.ndarray]:
        """P(label at word) under the CRF, one [words, len(labels)] array per sentence (columns in
        the order of ``labels``; a label the model never saw gets 0). The accurate mode adds
        their logarithm to its own scores (:mod:`rasid.ner.accurate`)."""
        tagger = self._load()
        out = []
        for words in sentences:
            if not words:
                out.append(np.zeros((0, len(labels)), np.float32))
                continue
            feats = sentence_features(list(words))
            with self._lock:
                known = set(tagger.labels())
                tagger.set(feats)
                cols = [[tagger.marginal(lab, i) for i in range(len(words))] if lab in known
                        else [0.0] * len(words) for lab in labels]
            out.append(np.asarray(cols, np.float32).T)
        return out


_default: CrfTagger | None = None


def cpu_workers() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_tagger() -> CrfTagger:
    """The shared tagger over the packaged model (loaded once per process)."""
    global _default
    if _default is None:
        _default = CrfTagger()
    return _default
