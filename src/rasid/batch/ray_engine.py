"""Ray actors that each hold a loaded pipeline (lexicons and gazetteers load once per worker).

The driver reads the inputs (a stream: JSONL is never held whole), skips what the knowledge base
already has, sends the rest to the actor pool and receives documents back in input order, with
their search vectors computed. The driver stays the knowledge base's single writer. Identity needs no coordination: ``kb_id``s are a
deterministic function of each article (gazetteer id or normalised name), so articles processed
out of order or on other machines resolve to the same identities.

Point it at a cluster with ``--ray-address ray://head:10001`` (rasid must be installed on the
nodes, or pass a runtime_env); by default a local Ray runtime is started with ``workers`` CPUs.
"""
from __future__ import annotations

import logging
import os
from typing import Iterable, Iterator

from rasid.document import Document
from rasid.errors import InputError, RasidError, StageError
from rasid.ingest import RawArticle, Rejected, prepare

log = logging.getLogger(__name__)


class EngineError(RasidError):
    code = "E_ENGINE"


def _ray():
    try:
        import ray
    except ImportError as err:  # an optional dependency: say how to get it
        raise EngineError("the Ray engine needs the 'ray' package: pip install 'rasid[ray]'") from err
    return ray


def run(items: Iterable[RawArticle | Rejected], workers: int | None = None,
        address: str | None = None, vectors: bool = False) -> Iterator[Document | Rejected]:
    """Documents (or rejections) for ``items``, in input order, extracted by Ray actors.

    ``vectors``: the actors also compute each document's search vectors (the costliest step of
    ingest), so that they scale out with the workers instead of queueing at the writer.
    """
    ray = _ray()
    started = False
    if not ray.is_initialized():
        kwargs = {"address": address} if address else {"num_cpus": workers or os.cpu_count() or 1}
        ray.init(include_dashboard=False, log_to_driver=False, ignore_reinit_error=True,
                 configure_logging=False, **kwargs)
        started = True
    try:
        n = workers or int(ray.available_resources().get("CPU", 1))

        @ray.remote(num_cpus=1)
        class Extractor:
            def __init__(self, vectors: bool) -> None:
                from rasid.pipeline import Pipeline

                os.environ.setdefault("RASID_VECTOR_THREADS", "1")  # one core per actor
                self.pipe = Pipeline()
                self.vectors = vectors

            def run(self, raw: RawArticle) -> Document | Rejected:
                try:
                    doc = self.pipe(prepare(raw))
                except (InputError, StageError) as err:
                    return Rejected(raw.path or raw.id, err.message, err.code)
                if self.vectors:
                    from rasid.kb.semantic import document_vectors

                    doc.clause_vectors = document_vectors(doc)
                return doc

        pool = ray.util.ActorPool([Extractor.remote(vectors) for _ in range(max(1, n))])
        pending: list[Rejected | None] = []
        todo: list[RawArticle] = []

        def flush() -> Iterator[Document | Rejected]:
            results = iter(pool.map(lambda a, raw: a.run.remote(raw), todo))
            for slot in pending:
                yield slot if slot is not None else next(results)
            pending.clear()
            todo.clear()

        for item in items:  # bounded batches keep memory flat on long streams
            if isinstance(item, Rejected):
                pending.append(item)
            else:
                pending.append(None)
                todo.append(item)
            if len(todo) >= 64 * max(1, n):
                yield from flush()
        yield from flush()
    finally:
        if started:
            ray.shutdown()
