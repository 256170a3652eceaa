"""Answers of read endpoints, kept while the knowledge base is unchanged.

An entity named in 10,000 articles takes tens of milliseconds to profile; analysts open the same
pages again and again, and the knowledge base changes only when something is ingested, merged or
split. Each answer is stored as its JSON bytes under (endpoint, parameters) together with the
knowledge base's generation (``KnowledgeBase.generation``, incremented by every committed write),
and served again only while the generation is the same: a reader never gets a stale answer.
Bounded by bytes, least recently used out first.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._flights: dict[tuple[Hashable, int], threading.Lock] = {}
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, generation: int, compute: Callable[[], Any]) -> bytes:
        """The JSON of ``compute()`` for ``key`` at ``generation``, from the cache when it is there.

        Concurrent misses on one key compute it once (the others wait for that answer): fifty
        clients opening the same new page cost one profile, not fifty."""
        if self.max_bytes <= 0:
            return _dumps(compute())
        hit = self._lookup(key, generation)
        if hit is not None:
            return hit
        with self._lock:
            flight = self._flights.setdefault((key, generation), threading.Lock())
        with flight:
            hit = self._lookup(key, generation, count=False)
            if hit is not None:
                return hit
            with self._lock:
                self.misses += 1
            try:
                body = _dumps(compute())
                self._put(key, generation, body)
            finally:
                with self._lock:
                    self._flights.pop((key, generation), None)
        return body

    def _lookup(self, key: Hashable, generation: int, count: bool = True) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[0] == generation:
                self._items.move_to_end(key)
                self.hits += count
                return item[1]
        return None

    def _put(self, key: Hashable, generation: int, body: bytes) -> None:
        if 0 < len(body) <= self.max_bytes // 8:  # one answer never takes over the cache
            with self._lock:
                old = self._items.pop(key, None)
                if old is not None:
                    self._bytes -= len(old[1])
                self._items[key] = (generation, body)
                self._bytes += len(body)
                while self._bytes > self.max_bytes:
                    _, (_, dropped) = self._items.popitem(last=False)
                    self._bytes -= len(dropped)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
