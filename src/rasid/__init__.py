"""rasid: Arabic conflict news to a knowledge base analysts can trust.

The public API: ``extract`` (paths or text to document records), ``Pipeline``, ``Document``,
``KnowledgeBase``. The CLI, the batch jobs and the API are thin layers over these.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from rasid.document import Document
from rasid.ingest import RawArticle, Rejected, prepare, read_inputs
from rasid.errors import InputError, RasidError, StageError
from rasid.pipeline import Pipeline

if TYPE_CHECKING:
    from rasid.kb.store import KnowledgeBase

__version__ = "0.1.0"
__all__ = ["extract", "extract_text", "ingest", "process", "Pipeline", "Document", "KnowledgeBase",
           "RasidError", "Rejected", "__version__"]


def process(items: Iterable[RawArticle | Rejected], pipeline: Pipeline | None = None
            ) -> Iterator[Document | Rejected]:
    """Run the pipeline over read items; rejections pass through with their reason."""
    pipe = pipeline or Pipeline()
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        try:
            yield pipe(prepare(item))
        except (InputError, StageError) as err:
            yield Rejected(item.path or item.id, err.message, err.code)


def ingest(paths: Iterable[str], kb: "KnowledgeBase", pipeline: Pipeline | None = None,
           engine: str = "local", workers: int | None = None, address: str | None = None
           ) -> Iterator[tuple[str, Rejected | None]]:
    """Extract and store; yields ``(status, rejection)`` per input, status one of added,
    replaced, unchanged, rejected. Inputs already stored byte-for-byte are skipped before any
    extraction, so an interrupted run restarts where it stopped. ``engine="ray"`` extracts on
    Ray actors (``rasid.batch.ray_engine``); this process stays the only writer."""
    skipped: list[str] = []

    def todo() -> Iterator[RawArticle | Rejected]:
        for item in read_inputs(paths):
            if isinstance(item, RawArticle) and kb.has_raw(item.id, item.text):
                skipped.append(item.id)
                continue
            yield item

    if engine == "ray":
        from rasid.batch.ray_engine import run

        docs: Iterable[Document | Rejected] = run(todo(), workers, address,
                                                  vectors=getattr(kb, "semantic", False))
    elif engine == "local":
        docs = process(todo(), pipeline)
    else:
        raise RasidError(f"unknown engine {engine!r} (local or ray)")
    wrote = False
    for item in docs:
        while skipped:
            skipped.pop()
            yield "unchanged", None
        if isinstance(item, Rejected):
            yield "rejected", item
        else:
            status = kb.store(item).status
            wrote = wrote or status != "unchanged"
            yield status, None
    for _ in skipped:
        yield "unchanged", None
    if wrote:  # planner statistics for what this run added
        kb.optimize()


def extract(paths: Iterable[str], pipeline: Pipeline | None = None) -> Iterator[Document | Rejected]:
    """Documents (or rejections) for files, directories or ``-``, in input order."""
    return process(read_inputs(paths), pipeline)


def extract_text(text: str, doc_id: str = "text", **source) -> Document:
    """One document from a string (plain text or HTML)."""
    from rasid.ingest.readers import looks_like_html

    raw = RawArticle(id=doc_id, text=text, fmt="html" if looks_like_html(text) else "text", **source)
    return Pipeline()(prepare(raw))


def __getattr__(name: str):
    if name == "KnowledgeBase":  # the store pulls in sqlite setup; import it only when asked
        from rasid.kb.store import KnowledgeBase
        return KnowledgeBase
    raise AttributeError(name)
