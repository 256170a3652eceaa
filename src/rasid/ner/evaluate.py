"""Entity-level scores the way conlleval computes them.

An entity counts as found only when its type and both ends match exactly; partial overlaps
score nothing. Chunks are read from BIO tags with conlleval's rules, so an ``I-X`` after ``O``
or after another type opens a new chunk (a tagger that never emits ``B-`` is not penalised
for it, as in published CoNLL numbers).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    """Counts and precision/recall/F1 (0..1) of one entity type, or of all (micro)."""

    correct: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "correct": self.correct, "predicted": self.predicted,
                "gold": self.gold}


@dataclass(frozen=True)
class Report:
    """Per-type scores, the micro average over all entities, and token accuracy."""

    by_type: dict[str, Score]
    micro: Score
    accuracy: float

    def as_dict(self) -> dict:
        return {"micro": self.micro.as_dict(),
                "by_type": {t: s.as_dict() for t, s in sorted(self.by_type.items())},
                "token_accuracy": round(self.accuracy, 4)}

    def table(self) -> str:
        rows = [f"{'type':<6} {'prec':>6} {'rec':>6} {'F1':>6} {'gold':>6}"]
        for t, s in [*sorted(self.by_type.items()), ("micro", self.micro)]:
            rows.append(f"{t:<6} {100 * s.precision:6.2f} {100 * s.recall:6.2f} "
                        f"{100 * s.f1:6.2f} {s.gold:6d}")
        return "\n".join(rows)


def _split(tag: str) -> tuple[str, str]:
    if tag == "O" or "-" not in tag:
        return "O", ""
    prefix, _, typ = tag.partition("-")
    return prefix, typ


def chunks(tags: list[str]) -> set[tuple[int, int, str]]:
    """The ``(start, end, type)`` entities of one sentence's BIO tags (IOB1 reads the same), end exclusive."""
    out: set[tuple[int, int, str]] = set()
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, t = _split(tag)
        begins = prefix == "B" or (prefix != "O" and t != typ)
        if typ and (prefix == "O" or begins):
            out.add((start, i, typ))
            typ = ""
        if prefix != "O" and (begins or not typ):
            start, typ = i, t
    return out


def evaluate(gold: list[list[str]], predicted: list[list[str]]) -> Report:
    """Score predicted tag sequences against gold ones (same sentences, same lengths)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    correct: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    tok_ok = tok_all = 0
    for g, p in zip(gold, predicted):
        if len(g) != len(p):
            raise ValueError("a predicted sentence differs in length from its gold sentence")
        tok_all += len(g)
        tok_ok += sum(a == b for a, b in zip(g, p))
        gc, pc = chunks(g), chunks(p)
        n_gold.update(t for _, _, t in gc)
        n_pred.update(t for _, _, t in pc)
        correct.update(t for _, _, t in gc & pc)
    types = sorted(set(n_gold) | set(n_pred))
    by_type = {t: Score(correct[t], n_pred[t], n_gold[t]) for t in types}
    micro = Score(sum(correct.values()), sum(n_pred.values()), sum(n_gold.values()))
    return Report(by_type, micro, tok_ok / tok_all if tok_all else 0.0)
