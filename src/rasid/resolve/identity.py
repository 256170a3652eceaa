"""Keys and minted ids for entities that no gazetteer knows.

A person's key folds the name (diacritics, hamza and ta-marbuta variants) and drops the
article from each word, so مصطفى البكور and العقيد مصطفى بكور get one key; two different
people who share only a surname keep different keys.
"""
from __future__ import annotations

import re

from rasid.normalize import fold
from rasid.stages.tokens import tokenize_normalized


def person_key(name: str) -> str:
    toks = [t for _, _, t in tokenize_normalized(fold(name))]
    toks = [t[2:] if t.startswith("ال") and len(t) > 4 else t for t in toks]
    return "per:" + "-".join(toks)


def minted_kb_id(etype: str, key: str) -> str:
    kind, _, ident = key.partition(":")
    ident = re.sub(r"\s+", "-", ident.strip())
    return f"rasid:{kind or etype.lower()}:{ident}"
