"""Readers for the input formats: plain text, HTML pages and scrapers' JSONL.

Paths may be files, directories (walked recursively in sorted order) or ``-`` for stdin.
A bad input becomes a ``Rejected`` item with a reason and the stream goes on.
JSONL is read line by line so a large stream runs in constant memory.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from rasid.errors import InputError, TooLargeError
from rasid.ingest.encoding import decode

MAX_BYTES = 8 * 1024 * 1024  # an article larger than this is almost surely not one article
_TEXT_EXT = {".txt", ".text", ".md", ""}
_HTML_EXT = {".html", ".htm", ".xhtml", ".php", ".asp", ".aspx"}
_JSONL_EXT = {".jsonl", ".ndjson", ".json"}


@dataclass(frozen=True)
class RawArticle:
    """One article as read: decoded text plus whatever metadata the container carried."""

    id: str
    text: str
    fmt: str  # "text" or "html"
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Rejected:
    """An input that produced no article, and why."""

    source: str
    reason: str
    code: str = "E_INPUT"

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


Item = RawArticle | Rejected


def read_inputs(paths: Iterable[str], max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    for p in paths:
        if p == "-":
            yield from _read_stream("<stdin>", sys.stdin.buffer, None, max_bytes)
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
            for f in files:
                yield from _read_file(f, max_bytes)
        elif path.is_file():
            yield from _read_file(path, max_bytes)
        else:
            yield Rejected(p, "no such file or directory")


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
        if ext in _JSONL_EXT:
            with path.open("rb") as fh:
                yield from _read_jsonl(str(path), fh, max_bytes)
            return
        if size > max_bytes:
            yield Rejected(str(path), f"file too large ({size} bytes > {max_bytes})", TooLargeError.code)
            return
        data = path.read_bytes()
    except OSError as err:
        yield Rejected(str(path), f"cannot read: {err.strerror or err}")
        return
    fmt = "html" if ext in _HTML_EXT else None
    yield read_bytes(data, source=str(path), doc_id=path.stem if path.stem else None, fmt=fmt)


def _read_stream(name: str, fh: BinaryIO, fmt: str | None, max_bytes: int) -> Iterator[Item]:
    head = fh.peek(64)[:64] if hasattr(fh, "peek") else b""
    if head.lstrip().startswith(b"{"):
        yield from _read_jsonl(name, fh, max_bytes)
        return
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Rejected(name, f"input too large (> {max_bytes} bytes)", TooLargeError.code)
        return
    yield read_bytes(data, source=name, doc_id=None, fmt=fmt)


def read_bytes(data: bytes, source: str, doc_id: str | None = None,
               fmt: str | None = None) -> Item:
    """Decode one article's bytes; the id defaults to a hash of the raw bytes."""
    try:
        text, enc = decode(data)
    except InputError as err:
        return Rejected(source, err.message, err.code)
    if fmt is None:
        fmt = "html" if looks_like_html(text) else "text"
    did = doc_id or hashlib.sha256(data).hexdigest()[:16]
    return RawArticle(id=did, text=text, fmt=fmt, path=None if source.startswith("<") else source,
                      encoding=enc)


def looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in head for tag in ("<body", "<article", "<div", "<p>", "<head"))


def _read_jsonl(name: str, fh: BinaryIO, max_bytes: int) -> Iterator[Item]:
    for lineno, line in enumerate(fh, 1):
        where = f"{name}:{lineno}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield Rejected(where, f"line too large ({len(line)} bytes)", TooLargeError.code)
            continue
        try:
            obj = json.loads(line.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            yield Rejected(where, f"not a JSON object: {err}")
            continue
        if not isinstance(obj, dict):
            yield Rejected(where, "not a JSON object")
            continue
        body, fmt = obj.get("text"), "text"
        if not (isinstance(body, str) and body.strip()):
            body, fmt = obj.get("html"), "html"
        if not (isinstance(body, str) and body.strip()):
            yield Rejected(where, "object has no non-empty 'text' or 'html' field", "E_EMPTY")
            continue
        raw_id = obj.get("id")
        did = str(raw_id) if raw_id not in (None, "") else hashlib.sha256(line.strip()).hexdigest()[:16]
        yield RawArticle(
            id=did, text=body, fmt=fmt, path=f"{name}:{lineno}",
            url=_str(obj.get("url")), title=_str(obj.get("title")),
            published=_str(obj.get("published") or obj.get("date")),
            outlet=_str(obj.get("outlet") or obj.get("site_name")), encoding="utf-8")


def _str(v: object) -> str | None:
    return v.strip() if isinstance(v, str) and v.strip() else None


def display_path(path: str | None) -> str | None:
    return os.path.relpath(path) if path and os.path.isabs(path) else path
