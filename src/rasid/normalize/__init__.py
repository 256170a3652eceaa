"""Arabic normalisation that never loses the way back to the original text.

``normalize(text)`` returns a ``NormalizedText``: the folded form used for matching and search
(diacritics, tatweel and invisible marks removed, alef/ya/ta-marbuta folded, Arabic-Indic digits
to ASCII, deliberate obfuscation such as ``السـ.لاح`` undone) and an offset map from every
normalised character back to the original character it came from.
"""
from collections.abc import Iterable, Mapping

from rasid.normalize.normalizer import NormalizedText, fold, normalize

__all__ = ["NormalizedText", "fold", "fold_all", "folded_words", "normalize"]


def fold_all(words: Iterable[str]) -> frozenset[str]:
    """Every word folded, as a set: the form lexicon lookups compare against."""
    return frozenset(fold(w) for w in words)


def folded_words(data: Mapping, key: str) -> frozenset[str]:
    """The word list ``data[key]`` of a lexicon file (empty when absent), folded."""
    return fold_all(data.get(key, ()))
