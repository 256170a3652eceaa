"""The document model: one ``Document`` owns the article text; everything else points into it.

Annotations are character spans (Python string indices, half-open) into ``Document.text``.
Stages add annotations; none of them rewrites the text. The normalised form used for matching
lives beside it with an offset map (see ``rasid.normalize``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from rasid.normalize import NormalizedText


@dataclass(frozen=True)
class Span:
    """A labelled character range ``[start, end)`` in the document text."""

    start: int
    end: int
    label: str = ""

    def text(self, doc: "Document") -> str:
        return doc.text[self.start:self.end]


@dataclass(frozen=True)
class Source:
    """Where an article came from and what the page says about itself."""

    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    outlet_id: str | None = None


@dataclass
class Entity:
    """One real-world entity of the document with all its mentions.

    Mutable while the entity stages build it; frozen into the record by ``to_record``.
    """

    id: str
    type: str
    name: str
    subtype: str | None = None
    aliases: list[str] = field(default_factory=list)
    name_en: str | None = None
    kb_id: str | None = None
    rank: str | None = None
    gazetteer_id: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    descriptors: tuple[str, ...] = ()
    geo: tuple[float, float, str | None] | None = None  # lat, lon, governorate (places only)

    def add_mention(self, start: int, end: int, surface: str) -> None:
        if (start, end) not in self.mentions:
            self.mentions.append((start, end))
            self.mentions.sort()
        if surface and surface not in self.aliases:
            self.aliases.append(surface)


@dataclass(frozen=True)
class Relation:
    type: str
    person: str
    org: str
    role: str
    evidence: tuple[int, int]


@dataclass(frozen=True)
class Quote:
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    kind: str
    act: str
    text: str
    span: tuple[int, int]
    channel: str | None = None


@dataclass(frozen=True)
class Event:
    type: str
    actors: tuple[str, ...]
    location: str | None
    date: str | None
    count: int | None
    trigger: str
    evidence: tuple[int, int]
    status: str = "asserted"


@dataclass(frozen=True)
class Token:
    """A word of the text: ``start``/``end`` in the original text, ``norm`` its normalised
    form, ``nstart`` where that form starts in the normalised text (for clitic offsets)."""

    start: int
    end: int
    norm: str
    nstart: int


class Document:
    """An article: its id, source metadata, text and the annotations the stages add."""

    def __init__(self, doc_id: str, text: str, source: Source | None = None,
                 raw: str | None = None) -> None:
        self.id = doc_id
        self.text = text
        self.source = source or Source()
        self.raw = raw if raw is not None else text
        self.normalized: NormalizedText | None = None
        self.tokens: list[Token] = []
        self.sentences: list[Span] = []
        self.paragraphs: list[Span] = []
        self.entities: list[Entity] = []
        self.relations: list[Relation] = []
        self.quotes: list[Quote] = []
        self.events: list[Event] = []
        self.unconfirmed_events: list[Event] = []
        self.dates: list[tuple[Span, str]] = []
        self.role_hints: list[tuple[tuple[int, int], str, tuple[int, int], tuple[int, int]]] = []
        #: per sentence, its clauses' search vectors (``rasid.kb.semantic.document_vectors``);
        #: filled by a scale-out worker so the single writer does not compute them
        self.clause_vectors: Any = None
        self.provided: set[str] = {"text", "source"}

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def entity(self, eid: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == eid), None)

    def sentence_at(self, offset: int) -> Span | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def to_record(self) -> dict[str, Any]:
        """The document record of ``document-format.md``; every field present."""
        src = self.source
        return {
            "id": self.id,
            "source": {
                "path": src.path, "url": src.url, "outlet": src.outlet,
                "title": src.title, "published": src.published,
            },
            "text": self.text,
            "entities": [_entity_record(e) for e in self.entities],
            "relations": [
                {"type": r.type, "person": r.person, "org": r.org, "role": r.role,
                 "evidence": list(r.evidence)} for r in self.relations],
            "quotes": [
                {"speaker": q.speaker, "speaker_text": q.speaker_text, "cue": q.cue,
                 "kind": q.kind, "act": q.act, "text": q.text, "span": list(q.span),
                 "channel": q.channel} for q in self.quotes],
            "events": [
                {"type": ev.type, "actors": list(ev.actors), "location": ev.location,
                 "date": ev.date, "count": ev.count, "trigger": ev.trigger,
                 "evidence": list(ev.evidence), "status": ev.status} for ev in self.events],
            "unconfirmed_events": [
                {"type": ev.type, "actors": list(ev.actors), "location": ev.location,
                 "date": ev.date, "count": ev.count, "trigger": ev.trigger,
                 "evidence": list(ev.evidence), "status": ev.status} for ev in self.unconfirmed_events],
        }


def _entity_record(e: Entity) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": e.id, "type": e.type}
    if e.subtype:
        rec["subtype"] = e.subtype
    rec.update({
        "name": e.name, "aliases": list(e.aliases), "name_en": e.name_en,
        "kb_id": e.kb_id, "rank": e.rank, "mentions": [list(m) for m in e.mentions],
    })
    if e.geo is not None:
        rec["geo"] = {"lat": e.geo[0], "lon": e.geo[1], "admin1": e.geo[2]}
    return rec
