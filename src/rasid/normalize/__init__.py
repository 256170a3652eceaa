"""Arabic normalisation that never loses the way back to the original text.

``normalize(text)`` returns a ``NormalizedText``: the folded form used for matching and search
(diacritics, tatweel and invisible marks removed, alef/ya/ta-marbuta folded, Arabic-Indic digits
to ASCII, deliberate obfuscation such as ``السـ.لاح`` undone) and an offset map from every
normalised character back to the original character it came from.
"""
from rasid.normalize.normalizer import NormalizedText, fold, normalize

__all__ = ["NormalizedText", "fold", "normalize"]
