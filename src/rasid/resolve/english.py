"""English names for entities no gazetteer knows: offline transliteration of person names.

Uses the PyPI package ``arabic-name-romanizer`` (MIT; dictionary first, a small bundled ONNX
model as fallback), which needs no network. Gazetteer entities keep their curated English
names; this only fills the gap for people.
"""
from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _romanizer():
    import arabic_name_romanizer  # imported lazily: it loads an ONNX runtime

    return arabic_name_romanizer


@lru_cache(maxsize=65536)
def romanize_person(name: str) -> str | None:
    """Latin transcription of an Arabic person name, e.g. حمزة بيرقدار → Hamza Bayrakdar."""
    try:
        out = _romanizer().transliterate(name)
    except (ValueError, RuntimeError) as err:  # the model refused this string
        log.debug("no transliteration for %r: %s", name, err)
        return None
    return out if isinstance(out, str) and out.strip() else None
