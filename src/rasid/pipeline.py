"""The pipeline: an explicit, ordered list of stages, checked when it is built.

Each stage is a plain callable ``Document -> Document`` with ``requires`` and ``provides``
attributes. ``Pipeline`` verifies at construction that every requirement is provided by an
earlier stage, so a misordered pipeline fails at start-up with a clear message, not half-way
through a corpus.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable, Sequence

from rasid.document import Document
from rasid.errors import PipelineError, StageError
from rasid.stages.dates import dates_stage
from rasid.stages.entities import entities_stage
from rasid.stages.events import events_stage
from rasid.stages.quotes import quotes_stage
from rasid.stages.roles import roles_stage
from rasid.stages.tokens import tokens_stage

log = logging.getLogger(__name__)
Stage = Callable[[Document], Document]
# the errors a stage's defect raises (a bug, not a bad input): turned into a StageError for the
# one document, so extraction of the others goes on
_DEFECTS = (AttributeError, IndexError, KeyError, TypeError, ValueError, ZeroDivisionError, RecursionError)

DEFAULT_STAGES: tuple[Stage, ...] = (tokens_stage, dates_stage, entities_stage, roles_stage, quotes_stage,
                                       events_stage)


class Pipeline:
    """Runs the stages in order over documents."""

    def __init__(self, stages: Sequence[Stage] = DEFAULT_STAGES) -> None:
        available = {"text", "source"}
        for st in stages:
            missing = set(getattr(st, "requires", ())) - available
            if missing:
                raise PipelineError(
                    f"stage {st.__name__} needs {sorted(missing)}, which no earlier stage provides")
            available |= set(getattr(st, "provides", ()))
        self.stages = tuple(stages)

    @property
    def names(self) -> list[str]:
        return [st.__name__ for st in self.stages]

    def __call__(self, doc: Document) -> Document:
        for st in self.stages:
            try:
                doc = st(doc)
            except _DEFECTS as err:
                # a defect in a stage fails this document with its reason; a batch goes on with
                # the next one instead of losing everything after it
                where = doc.source.path or doc.id
                log.warning("stage %s failed on %s", st.__name__, where, exc_info=True)
                raise StageError(f"stage {st.__name__} failed ({type(err).__name__}: {err}); please report it",
                                 source=where) from err
        return doc

    def run(self, docs: Iterable[Document]) -> Iterable[Document]:
        for d in docs:
            yield self(d)
