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
    translate: dict[int, str | None]
    special: re.Pattern[str]  # characters that need the slow path (presentation forms)


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
    table: dict[int, str | None] = {ord(c): None for c in drop}
    table.update({ord(k): v for k, v in cm["fold"].items()})
    table.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    special = re.compile(r"[\ufb50-\ufeff\uff00-\uffef]|[^\x00-\u06ff\u2000-\u206f]")
    return _Tables(drop=drop, fold=dict(cm["fold"]), obfuscation=obf, translate=table, special=special)


@lru_cache(maxsize=16)
def normalize(text: str) -> NormalizedText:
    """Fold ``text`` for matching and keep, for each output character, its source index."""
    t = _tables()
    if not t.special.search(text):
        # fast path: every change is a deletion or a one-to-one replacement
        spans = [m.span() for m in t.obfuscation.finditer(text)]
        if spans:
            keep = [True] * len(text)
            for a, b in spans:
                for i in range(a, b):
                    keep[i] = False
            idx = [i for i, ch in enumerate(text) if keep[i] and ch not in t.drop]
        else:
            idx = [i for i, ch in enumerate(text) if ch not in t.drop]
        out = "".join(text[i] for i in idx).translate(t.translate)
        idx.append(len(text))
        return NormalizedText(out, tuple(idx))
    return _normalize_slow(text, t)


def _normalize_slow(text: str, t: _Tables) -> NormalizedText:
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


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The normalised string alone, for lexicon keys and queries.

    Most words need neither the obfuscation repair nor the presentation-form path, and then
    the folded string is one ``str.translate`` (deletions and one-to-one replacements), with
    no offset map to build: the NER features fold every new word, so this is their hot path.
    """
    t = _tables()
    if t.special.search(text) or t.obfuscation.search(text):
        return normalize(text).text
    return text.translate(t.translate)
