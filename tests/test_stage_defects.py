"""A defect in one stage fails one document with a reason; the others are still extracted.

The entity stage once reused one variable for the article's headed places and for a span's
headed alias, so the second place only the tagger found crashed the whole batch (the snippet
below is written for the test)."""
from __future__ import annotations

import pytest
from helpers import record

from rasid import Rejected, process
from rasid.document import Document
from rasid.errors import StageError
from rasid.ingest.readers import RawArticle
from rasid.pipeline import DEFAULT_STAGES, Pipeline

TWO_TAGGED_PLACES = (
    "وكانت الجماعة قد أطلقت، الثلاثاء الماضي، 18 طائرة مسيّرة باتجاه سفن تجارية في جنوب البحر الأحمر، "
    "قالت القيادة المركزية الأمريكية إنها أسقطتها جميعاً.\n\n"
    "وتأتي الضربات بعد أسابيع من إعلان واشنطن تشكيل تحالف \"حارس الازدهار\" البحري لحماية الملاحة "
    "في البحر الأحمر.")


def test_two_places_only_the_tagger_finds_do_not_crash_the_entity_stage() -> None:
    rec = record(TWO_TAGGED_PLACES)
    assert rec["entities"]


def _broken(doc: Document) -> Document:
    raise KeyError("a defect")


_broken.requires = ("tokens",)  # type: ignore[attr-defined]
_broken.provides = ()  # type: ignore[attr-defined]


def test_a_stage_defect_is_a_stage_error_naming_the_stage() -> None:
    pipe = Pipeline((DEFAULT_STAGES[0], _broken))
    with pytest.raises(StageError, match="_broken"):
        pipe(Document("d1", "نص تجريبي"))


def test_a_batch_goes_on_after_a_document_that_hits_a_defect() -> None:
    calls = []

    def fragile(doc: Document) -> Document:
        calls.append(doc.id)
        if len(calls) == 1:
            raise IndexError("a defect")
        return doc

    fragile.requires = ("tokens",)  # type: ignore[attr-defined]
    fragile.provides = ()  # type: ignore[attr-defined]
    body = "اندلعت اشتباكات عنيفة في ريف إدلب الجنوبي بين فصائل المعارضة وقوات النظام منذ صباح اليوم."
    items = [RawArticle(id=f"a{n}", text=f"خبر {n}\n\n{body}", fmt="text", path=f"a{n}.txt") for n in range(2)]
    out = list(process(items, Pipeline((DEFAULT_STAGES[0], fragile))))
    assert isinstance(out[0], Rejected) and "fragile" in out[0].reason
    assert isinstance(out[1], Document)
