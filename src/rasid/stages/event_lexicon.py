"""The event lexicon: trigger words by type and the words around them that change what a
trigger means, read once from ``event_triggers.json`` (sources and comments are in that file).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from rasid.datafiles import load_json
from rasid.normalize import fold


@dataclass(frozen=True)
class EventLexicon:
    triggers: dict[str, list[tuple[tuple[str, ...], str]]]
    weak: frozenset[tuple[str, ...]]
    modal: tuple[tuple[str, ...], ...]
    rumour: tuple[tuple[str, ...], ...]
    placeless: frozenset[str]
    window: int
    not_after: frozenset[str]
    nouns: frozenset[str]
    approx: tuple[str, ...]
    numbers: dict[str, int]
    multipliers: dict[str, int]
    not_before: frozenset[str]
    # verb -> (the verb's tokens, the tokens after the gap, type), and the longest gap
    gapped: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]]
    gap_max: int
    remote_means: frozenset[str]  # بطائرات، صاروخي …: an attack by these is remote violence
    attack: frozenset[str]  # هجوم، الهجوم، هجمات …
    clause_breaks: tuple[tuple[str, ...], ...]  # فيما، بينما، في حين …
    party_before: tuple[tuple[str, ...], ...]  # المدعومة من، بدعم من …
    freed_people: frozenset[str]  # مختطفين، الأسرى …: the object of حرر that is not ground
    not_purpose_after: frozenset[str]  # تنفيذاً، وفقاً …: لـ after these is "of", not "in order to"
    place_lead: frozenset[str]  # جرود، منطقة، محيط …: between a preposition and its place
    day_offsets: tuple[tuple[tuple[str, ...], int], ...]  # بعد يوم من → -1
    background_before: tuple[tuple[str, ...], ...]  # منذ اندلاع …: a period's start, not news
    relative_pronouns: frozenset[str]  # التي تسيطر على …: a state, not an event
    duration_units: frozenset[str]  # ثلاثة أيام من المواجهات: a span, undated by its sentence
    approach_from: tuple[tuple[str, ...], ...]  # من جهة …: where a force came from
    handover_objects: frozenset[str]  # تسليم السلاح: a surrender, not ground changing hands
    place_again: frozenset[str]  # البلدة، المدينة …: the town named before, said again
    subjected: frozenset[str]  # تعرضت …: "لقصف" after it is what was suffered, not a purpose
    where_words: frozenset[str]  # حيث: points back to the place named before it
    mediation_means: frozenset[str]  # بوساطة: the means of an exchange or agreement
    projectiles: frozenset[str]  # قذائف، صواريخ: what "سقطت" says fell
    holding_verbs: frozenset[str]  # يسيطر …: with "منذ" a state, not a change

    @cached_property
    def clause_break_firsts(self) -> frozenset[str]:
        return frozenset(ph[0] for ph in self.clause_breaks)


def _toks(s: str) -> tuple[str, ...]:
    return tuple(fold(s).split())


@lru_cache(maxsize=1)
def lexicon() -> EventLexicon:
    d = load_json("event_triggers.json")
    trig: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for etype, forms in d["types"].items():
        for f in forms:
            t = _toks(f)
            trig.setdefault(t[0], []).append((t, etype))
    for lst in trig.values():
        lst.sort(key=lambda x: -len(x[0]))
    gapped: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]] = {}
    for etype, forms in d.get("gapped", {}).items():
        for f in forms:
            head, _, tail = f.partition("…")
            h, t = _toks(head), _toks(tail)
            gapped.setdefault(h[0], []).append((h, t, etype))
    return EventLexicon(trig, frozenset(_toks(w) for w in d["weak_triggers"]),
                tuple(_toks(w) for w in d["modal_before"]), tuple(_toks(w) for w in d["rumour_before"]),
                frozenset(d["placeless_types"]), int(d["place_window"]),
                frozenset(fold(w) for w in d["not_after"]),
                frozenset(fold(w) for w in d["fighter_nouns"]), tuple(fold(w) for w in d["approx"]),
                {fold(k): v for k, v in d["number_words"].items()},
                {fold(k): v for k, v in d["multipliers"].items()},
                frozenset(fold(w) for w in d["not_before"]), gapped, int(d.get("gap_max", 0)),
                frozenset(fold(w) for w in d.get("remote_means", ())),
                frozenset(fold(w) for w in d.get("attack_nouns", ())),
                tuple(_toks(w) for w in d.get("clause_breaks", ())),
                tuple(_toks(w) for w in d.get("party_before", ())),
                frozenset(fold(w) for w in d.get("freed_people", ())),
                frozenset(fold(w) for w in d.get("not_purpose_after", ())),
                frozenset(fold(w) for w in d.get("place_lead_words", ())),
                tuple((_toks(k), int(v)) for k, v in d.get("day_offsets", {}).items()),
                tuple(_toks(w) for w in d.get("background_before", ())),
                frozenset(fold(w) for w in d.get("relative_pronouns", ())),
                frozenset(fold(w) for w in d.get("duration_units", ())),
                tuple(_toks(w) for w in d.get("approach_from", ())),
                frozenset(fold(w) for w in d.get("handover_objects", ())),
                frozenset(fold(w) for w in d.get("place_again", ())),
                frozenset(fold(w) for w in d.get("subjected_verbs", ())),
                frozenset(fold(w) for w in d.get("where_words", ())),
                frozenset(fold(w) for w in d.get("mediation_means", ())),
                frozenset(fold(w) for w in d.get("projectiles", ())),
                frozenset(fold(w) for w in d.get("holding_verbs", ())))
