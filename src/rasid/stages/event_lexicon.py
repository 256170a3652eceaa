"""The event lexicon: trigger words by type and the words around them that change what a
trigger means, read once from ``event_triggers.json`` (sources and comments are in that file).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache, partial

from rasid.datafiles import load_json
from rasid.normalize import fold, folded_words


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
    party_verbs: tuple[tuple[str, ...], ...]  # اتهمت، قالت …: a place right after is a government
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
    topic_preps: frozenset[str]  # حول، بشأن: "المفاوضات … حول فتح الطرق في تعز": what, not where
    casualty_words: frozenset[str]  # قتلى، جرحى: "سقوط قتلى" counts victims, no place falls
    out_of_service: tuple[tuple[str, ...], ...]  # عن الخدمة: "خروجه عن الخدمة" is damage, not a withdrawal

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

    words = partial(folded_words, d)  # one-word lists, folded

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:  # word sequences, folded
        return tuple(_toks(w) for w in d.get(key, ()))

    return EventLexicon(
        triggers=trig, weak=frozenset(phrases("weak_triggers")), modal=phrases("modal_before"),
        rumour=phrases("rumour_before"), placeless=frozenset(d["placeless_types"]),
        window=int(d["place_window"]), not_after=words("not_after"), nouns=words("fighter_nouns"),
        approx=tuple(fold(w) for w in d["approx"]),
        numbers={fold(k): v for k, v in d["number_words"].items()},
        multipliers={fold(k): v for k, v in d["multipliers"].items()},
        not_before=words("not_before"), gapped=gapped, gap_max=int(d.get("gap_max", 0)),
        remote_means=words("remote_means"), attack=words("attack_nouns"),
        clause_breaks=phrases("clause_breaks"), party_before=phrases("party_before"),
        party_verbs=phrases("party_verbs"),
        freed_people=words("freed_people"), not_purpose_after=words("not_purpose_after"),
        place_lead=words("place_lead_words"),
        day_offsets=tuple((_toks(k), int(v)) for k, v in d.get("day_offsets", {}).items()),
        background_before=phrases("background_before"), relative_pronouns=words("relative_pronouns"),
        duration_units=words("duration_units"), approach_from=phrases("approach_from"),
        handover_objects=words("handover_objects"), place_again=words("place_again"),
        subjected=words("subjected_verbs"), where_words=words("where_words"),
        mediation_means=words("mediation_means"), projectiles=words("projectiles"),
        holding_verbs=words("holding_verbs"), topic_preps=words("topic_preps"),
        casualty_words=words("casualty_words"), out_of_service=phrases("out_of_service"))
