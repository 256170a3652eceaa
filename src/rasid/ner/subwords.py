"""Words to e5 subword windows and batches of similar length (no torch needed).

Why a module of its own: the torch training code and the ONNX Runtime tagger must cut
sentences into exactly the same windows, or the tagger would not see what the model was
trained on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from rasid.ner.crf import repair_bio
from rasid.ner.e5_file import E5Tokenizer

__all__ = ["MAX_WORD_PIECES", "Chunk", "length_batches", "make_chunks", "repair_bio"]

MAX_WORD_PIECES = 16  # a pathological "word" (a URL, a number run) keeps its first pieces only


@dataclass
class Chunk:
    """A window of one sentence: words [start, end) and their subword ids."""

    sent: int
    start: int
    end: int
    ids: list[int]
    first: list[int]  # position (in ids, after <s>) of each word's first piece
    tags: list[int] = field(default_factory=list)
    states: Any = None  # training's cached frozen-layer output (a tensor [len(ids), hidden])


def make_chunks(sentences: Sequence[Sequence[str]], tok: E5Tokenizer, max_subwords: int,
                tags: Sequence[Sequence[int]] | None = None) -> list[Chunk]:
    """Sentences → chunks of at most ``max_subwords`` pieces (with specials), cut evenly."""
    budget = max_subwords - 2
    chunks: list[Chunk] = []
    for si, words in enumerate(sentences):
        pieces = [tok.encode_word(w)[:MAX_WORD_PIECES] for w in words]
        total = sum(len(p) for p in pieces)
        if not words:
            continue
        n_parts = max(1, math.ceil(total / budget))
        target = total / n_parts
        start, used = 0, 0
        bounds = []
        for wi, p in enumerate(pieces):
            if wi > start and (used + len(p) > budget or
                               (used >= target and len(bounds) < n_parts - 1)):
                bounds.append((start, wi))
                start, used = wi, 0
            used += len(p)
        bounds.append((start, len(words)))
        for a, b in bounds:
            ids = [tok.bos]
            first = []
            for p in pieces[a:b]:
                first.append(len(ids))
                ids.extend(p)
            ids.append(tok.eos)
            chunks.append(Chunk(si, a, b, ids, first,
                                list(tags[si][a:b]) if tags is not None else []))
    return chunks


def length_batches(chunks: Sequence[Chunk], max_tokens: int, max_rows: int) -> list[list[int]]:
    """Indices grouped by similar length (little padding), each batch under a token budget."""
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].ids))
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        width = len(chunks[i].ids)
        if cur and ((len(cur) + 1) * width > max_tokens or len(cur) >= max_rows):
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches
