"""Small helpers shared by the tests: run the pipeline on an Arabic snippet and look things up."""
from __future__ import annotations

from rasid import extract_text


def record(body: str, title: str = "خبر", **source) -> dict:
    return extract_text(f"{title}\n\n{body}", **source).to_record()


def entity_named(rec: dict, name: str) -> dict | None:
    return next((e for e in rec["entities"] if e["name"] == name or name in e["aliases"]), None)


def name_of(rec: dict, eid: str | None) -> str | None:
    e = next((e for e in rec["entities"] if e["id"] == eid), None)
    return e["name"] if e else None
