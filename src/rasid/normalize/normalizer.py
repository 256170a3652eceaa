"""Table-driven normaliser returning the folded text and its offset map.

Deliberately not done here: clitic segmentation (see ``rasid.stages.tokens``), which needs
word boundaries, and any change to the original string.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rasid.datafiles import load_json

_ARABIC_LETTER = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06fc"


@dataclass(frozen=True)
class NormalizedText:
    """``text`` is the normalised string; ``offsets[i]`` is the original index of ``text[i]``.

    ``offsets`` has one extra entry at the end (the original length), so a normalised span
    ``[s, e)`` maps back to ``[offsets[s], offsets[e - 1] + 1)``.
    """

    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class _Tables:
    drop: frozenset[str]
    fold: dict[str, str]
    obfuscation: re.Pattern[str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    cm = load_json("charmap.json")
    drop = frozenset(cm["diacritics"] + cm["tatweel"] + cm["invisible"])
    marks = re.escape(cm["diacritics"] + cm["invisible"] + cm["obfuscation_joiners"])
    tat = re.escape(cm["tatweel"])
    # A run of tatweel/marks/joiner punctuation *between two letters* that contains a tatweel
    # is obfuscation (السـ.لاح). A tatweel followed by a space or quote (لـ "أنا برس") is not
    # between letters and only loses the tatweel itself.
    obf = re.compile(
        rf"(?<=[{_ARABIC_LETTER}])[{tat}{marks}]*{tat}[{tat}{marks}]*(?=[{_ARABIC_LETTER}])")
    return _Tables(drop=drop, fold=dict(cm["fold"]), obfuscation=obf)


def normalize(text: str) -> NormalizedText:
    """Fold ``text`` for matching and keep, for each output character, its source index."""
    t = _tables()
    removed = [False] * len(text)
    for m in t.obfuscation.finditer(text):
        for i in range(m.start(), m.end()):
            removed[i] = True
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(text):
        if removed[i] or ch in t.drop:
            continue
        mapped = t.fold.get(ch)
        if mapped is None:
            if "\ufb50" <= ch <= "\ufeff" or "\uff00" <= ch <= "\uffef":
                mapped = unicodedata.normalize("NFKC", ch)
                mapped = "".join(t.fold.get(c, c) for c in mapped if c not in t.drop)
            elif ch.isupper():
                mapped = ch.lower()
            else:
                mapped = ch
        for c in mapped:
            out.append(c)
            offs.append(i)
    offs.append(len(text))
    return NormalizedText("".join(out), tuple(offs))


def fold(text: str) -> str:
    """The normalised string alone, for lexicon keys and queries."""
    return normalize(text).text
