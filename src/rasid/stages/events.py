"""Events (ACLED-style types) with actors, place, date and counts, one per happening.

A trigger from ``event_triggers.json`` anchors an event in its sentence. The place is the
place named in that sentence (nearest after the trigger, else before); weak triggers (خروج،
تسليم، هجوم …) need that place, strong ones (اشتباكات، استسلام، السيطرة على …) may take the
last place named in the same or the previous paragraph. The date is the nearest date
expression of the sentence, else of the paragraph or the one before. Counts come from
"(أكثر من|ما يقارب) N مقاتل/شهيد …", digits or number words.

Events that did not (yet) happen are kept apart in ``doc.unconfirmed_events`` with a status:
inside a denial (denied), an accusation (alleged), an appeal/threat or a purpose clause
(hypothetical), after a rumour, negation or modal word (unconfirmed), or in a question.
Events of one type in one governorate merge into one, keeping the most specific place.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from rasid.document import Document, Entity, Event, Span
from rasid.normalize import fold, normalize
from rasid.stages.dates import parse_iso
from rasid.stages.event_lexicon import lexicon
from rasid.stages.gazetteer import LOCATIVES, gazetteer
from rasid.stages.tokens import proclitic_splits, within_marks

_SENT_BREAK = re.compile(r"[.!?؟\n]")
_BROAD = frozenset({"countryside", "region", "governorate"})
_TOWARDS = frozenset(fold(w) for w in ("إلى", "الى", "نحو", "باتجاه", "صوب", "تجاه"))
_SPECIFIC = {"neighbourhood": 0, "camp": 0, "airport": 0, "base": 0, "crossing": 0, "village": 1,
             "town": 1, "city": 2, "countryside": 3, "region": 4, "mountain": 4, "river": 4,
             "governorate": 5, "country": 9}


@dataclass
class _Draft:
    type: str
    actors: list[str]
    location: Entity | None
    date: str | None
    count: int | None
    trigger: str
    evidence: tuple[int, int]
    status: str
    extra: list = field(default_factory=list)
    placed_by_context: bool = False


class EventFinder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.t = doc.tokens
        self._starts = [t.start for t in self.t]
        self.lex = lexicon()
        self.gaz = gazetteer()
        self.mentions: list[tuple[int, int, Entity]] = sorted(
            (s, e, ent) for ent in doc.entities for s, e in ent.mentions)
        # token starts inside a person's or group's name (mentions never overlap)
        self._in_names = {t.start for s, e, ent in self.mentions if ent.type in ("ORG", "PER")
                          for t in self.t[bisect.bisect_left(self._starts, s):bisect.bisect_left(self._starts, e)]}
        self._mention_end = {s: e for s, e, _ in self.mentions}
        self._loc_starts = {s for s, _, ent in self.mentions if ent.type == "LOC"}
        self._frame_places = self._places_in_speech_frames()
        self.focus = self._focus_place()
        self.focus_town = self._focus_place(towns_only=True)
        self.title_end = 0
        if doc.source.title and doc.paragraphs and \
                doc.text[doc.paragraphs[0].start:doc.paragraphs[0].end] == doc.source.title.strip():
            self.title_end = doc.paragraphs[0].end

    def _places_in_speech_frames(self) -> set[int]:
        """Starts of the places named in a reporting clause, between its sentence's start and
        what was said ("وفي واشنطن، أعلنت أفريكوم أن …", "قال … في مؤتمر صحافي بمدينة مصراتة، إن
        …"): where a statement was made, never where the events it tells of happened."""
        out: set[int] = set()
        for q in self.doc.quotes:
            sent = self.doc.sentence_at(q.span[0])
            if sent is None:
                continue
            out.update(s for s in self._loc_starts if sent.start <= s < q.span[0])
        return out

    def _focus_place(self, towns_only: bool = False) -> Entity | None:
        """The place the article is about: a town or area (not a country) named at least three
        times and more often than any other; ``towns_only``: the town, leaving areas aside (an
        article about ود مدني names ولاية الجزيرة as often)."""
        skip = _BROAD | {"country"} if towns_only else {"country"}
        counts = sorted(((len(e.mentions), e.id, e) for e in self.doc.entities if e.type == "LOC"
                         and self.kind_of(e) not in skip), key=lambda x: (-x[0], x[1]))
        if counts and counts[0][0] >= 3 and (len(counts) == 1 or counts[1][0] < counts[0][0]):
            return counts[0][2]
        return None

    def kind_of(self, ent: Entity) -> str | None:
        entry = self.gaz.entries.get(ent.gazetteer_id or "")
        if entry is not None:
            return entry.kind
        return "countryside" if ent.kb_id and ":countryside:" in ent.kb_id else "town"

    def is_demonym(self, s: int, e: int) -> bool:
        """"الجانب الروسي", "الروس": a country named as a party, not as the place of an event."""
        from rasid.stages.entities import _patterns

        words = fold(self.doc.text[s:e]).split()
        p = _patterns()
        return bool(words) and (words[0] in p.nat_heads or words[0] in p.plural or words[-1] in p.adjective)

    def paragraph_index(self, pos: int) -> int:
        for i, p in enumerate(self.doc.paragraphs):
            if p.start <= pos < p.end + 1:
                return i
        return -1

    def run(self) -> tuple[list[_Draft], list[_Draft]]:
        found: list[_Draft] = []
        n = len(self.t)
        i = 0
        while i < n:
            hit = self.trigger_at(i)
            if hit is None:
                i += 1
                continue
            k, etype, purpose = hit
            draft = self.build(i, k, etype, purpose)
            if draft is not None:
                found.append(draft)
            i += k
        self._attacks_referring_back(found)
        found = self._without_mediation_of_outcomes(found)
        found = self._without_definite_repeats(found)
        confirmed = self.merge([d for d in found if d.status == "asserted"])
        other = [d for d in found if d.status != "asserted"]
        return confirmed, other

    def _destinations(self, places: list[tuple[int, Entity]]) -> set[int]:
        """Starts of the places a movement goes to: after إلى/باتجاه …, and the area that
        locates one of them ("باتجاه مدينة البوكمال في ريف دير الزور")."""
        out: set[int] = set()
        ends = self._mention_end
        for s, _ in sorted(places):
            prep = self._prep_before(s)
            if prep in _TOWARDS:
                out.add(s)
            elif prep == "في" and any(self._chained(ends.get(d), s) for d in out):
                out.add(s)
        return out

    def _chained(self, end: int | None, start: int) -> bool:
        """Only "في" (or a place head and في) stands between a place ending at ``end`` and the
        next one at ``start``."""
        return end is not None and 0 < start - end <= 12 and \
            fold(self.doc.text[end:start]).split() in (["في"], ["في", "ريف"])

    def _tok_index(self, pos: int) -> int:
        return bisect.bisect_left(self._starts, pos)

    def _after_phrase(self, pos: int, phrases: tuple[tuple[str, ...], ...], clitic: bool = False) -> bool:
        """The words right before the token holding offset ``pos`` (after its clitic: the ل of
        "لدمشق") are one of ``phrases``; with ``clitic`` the first of them may carry و/ف."""
        j = bisect.bisect_right(self._starts, pos) - 1
        return any(j >= len(ph) and self._phrase_at(j - len(ph), ph, j, clitic) for ph in phrases)

    def _phrase_at(self, j: int, phrase: tuple[str, ...], end: int, clitic: bool = False) -> bool:
        """Tokens from j (before ``end``) spell ``phrase``; with ``clitic`` the first may carry a
        proclitic (وبعد يوم من)."""
        n = len(phrase)
        if j < 0 or j + n > end:
            return False
        first = self.t[j].norm
        if not (first == phrase[0] or clitic and any(r == phrase[0] for _, r in proclitic_splits(first))):
            return False
        return all(self.t[j + m].norm == phrase[m] for m in range(1, n))

    def _clause(self, sent: Span, i: int) -> tuple[int, int]:
        """Offsets of the clause of token ``i``: its sentence cut at the clause breaks."""
        lo, hi = sent.start, sent.end
        j0, j1 = self._tok_index(sent.start), self._tok_index(sent.end)
        firsts = self.lex.clause_break_firsts
        for j in range(j0, j1):
            if self.t[j].norm not in firsts:
                continue
            for ph in self.lex.clause_breaks:
                n = len(ph)
                if self._phrase_at(j, ph, j1):
                    if j + n <= i:
                        lo = max(lo, self.t[j + n - 1].end)
                    elif j > i:
                        hi = min(hi, self.t[j].start)
        return lo, hi

    def _attacks_referring_back(self, found: list[_Draft]) -> None:
        """"قصفت الطائرات بلدة … وأسفر الهجوم عن …": a definite attack noun whose paragraph's
        previous event is remote violence names that event again, not a battle."""
        for idx, d in enumerate(found):
            trig = fold(d.trigger)
            if d.type != "BATTLE" or not trig.startswith("ال") or trig not in self.lex.attack or idx == 0:
                continue
            prev = found[idx - 1]
            if prev.type == "REMOTE_VIOLENCE" and \
                    self.paragraph_index(prev.evidence[0]) == self.paragraph_index(d.evidence[0]):
                d.type = "REMOTE_VIOLENCE"

    def _without_definite_repeats(self, found: list[_Draft]) -> list[_Draft]:
        """"… مبيناً أن الاشتباكات أسفرت عن مقتل …": a definite event noun with no place in its
        own clause, after an event of the same type, is that event said again, not another.
        "الاتفاق" and "المفاوضات" refer back even with a place in their clause ("قتلوا في غارات
        على معرة مصرين قبل ساعات من سريان الاتفاق"): an article names a second agreement or round
        of talks with an indefinite noun (اتفاق آخر، جولة جديدة)."""
        out: list[_Draft] = []
        for d in found:
            trig = fold(d.trigger)
            same_type = [o for o in out if o.type == d.type and o.status == "asserted"]
            if " " not in trig and trig.startswith("ال") and d.status == "asserted" and same_type and (
                    d.placed_by_context or d.type in ("AGREEMENT", "NEGOTIATION")
                    or any(self.same_place(o.location, d.location) or self._named_in(d.location, o.evidence)
                           for o in same_type)):
                continue  # ("منازل دمرتها الغارات في أريحا" after the strikes on أريحا وسرمين)
            out.append(d)
        return out

    def _named_in(self, place: Entity | None, span: tuple[int, int]) -> bool:
        """The place is mentioned inside ``span`` (an earlier event's sentence)."""
        return place is not None and any(span[0] <= s < span[1] and ent.id == place.id for s, _, ent in self.mentions)

    def _without_mediation_of_outcomes(self, found: list[_Draft]) -> list[_Draft]:
        """"جرت عملية تبادل للأسرى بوساطة من أعيان المدينة": the mediation is how the exchange
        (or agreement) of its sentence came about, not a negotiation of its own."""
        outcomes = {d.evidence for d in found if d.type in ("PRISONER_EXCHANGE", "AGREEMENT")}
        return [d for d in found if not (d.type == "NEGOTIATION" and fold(d.trigger) in self.lex.mediation_means
                                         and d.evidence in outcomes)]

    def _frees_people(self, j: int) -> bool:
        """Token ``j`` (after a number, if any) is a word for people held or freed."""
        if j < len(self.t) and (self.t[j].norm.isdigit() or self.t[j].norm in self.lex.numbers):
            j += 1
        return j < len(self.t) and self.t[j].norm in self.lex.freed_people

    def _no_ground_lost(self, i: int, k: int) -> bool:
        """"سقوط قتلى" (victims fell) and "خروجه عن الخدمة" (put out of service): the words after
        the trigger say that no place changed hands."""
        nxt = self.t[i + k].norm if i + k < len(self.t) else ""
        if proclitic_splits(self.t[i].norm)[-1][1].startswith("سقوط") and nxt in self.lex.casualty_words:
            return True
        after = tuple(x.norm for x in self.t[i + k:i + k + 3])
        return any(after[:len(ph)] == ph for ph in self.lex.out_of_service)

    def _remote_means_after(self, j: int) -> bool:
        """One of the three words from token ``j`` names a weapon fired from afar."""
        for tok in self.t[j:j + 3]:
            if tok.norm in self.lex.remote_means or \
                    (tok.norm.startswith("ال") and tok.norm[2:] in self.lex.remote_means):
                return True
        return False

    def trigger_at(self, i: int) -> tuple[int, str, bool] | None:
        for clen, stem in proclitic_splits(self.t[i].norm):
            for toks, etype in self.lex.triggers.get(stem, ()):
                k = len(toks)
                if i + k <= len(self.t) and all(self.t[i + m].norm == toks[m] for m in range(1, k)):
                    if i + k < len(self.t) and self.t[i + k].norm in self.lex.not_after:
                        return None
                    if i > 0 and self.t[i - 1].norm in self.lex.not_before:
                        return None  # "مكافحة انتشار الأسلحة الكيميائية", "وقف القصف"
                    if self._background_or_state(i, clen):
                        return None
                    purpose = clen > 0 and self.t[i].norm[clen - 1] == "ل" and not (
                        i > 0 and self.t[i - 1].norm in self.lex.not_purpose_after) and not any(
                        self.t[j].norm in self.lex.subjected for j in range(max(0, i - 5), i))
                    return k, etype, purpose
        return self._gapped_at(i)

    def _background_or_state(self, i: int, clen: int) -> bool:
        """"منذ اندلاع المواجهات": the start of a period looked back on; "التي تسيطر على":
        an imperfect verb after a relative pronoun, a standing state."""
        # right before the trigger ("منذ اندلاع المواجهات"), or a phrase of two or more words a
        # few words before it, which may carry a clitic ("استخدمت فيها الأسلحة المتوسطة وقذائف
        # الهاون": a fight's means; "بالرد على اغتيال القيادي": what an attack answers)
        for d in range(0, 4):
            if d and (i - d < 1 or re.search(r"[.،,:؛\n]", self.doc.text[self.t[i - d - 1].end:self.t[i].start])):
                break
            if any((d == 0 or len(ph) >= 2) and self._phrase_at(i - d - len(ph), ph, i - d, clitic=len(ph) >= 2)
                   for ph in self.lex.background_before):
                return True
        word = self.t[i].norm[clen:]
        if word[:1] not in ("ي", "ت"):
            return False
        if i > 0 and self.t[i - 1].norm in self.lex.relative_pronouns:
            return True
        # "ويسيطر التنظيم على معظم المحافظة منذ عام 2014": holding ground "since"
        if word not in self.lex.holding_verbs:
            return False
        sent = self.doc.sentence_at(self.t[i].start)
        return any(self.t[j].norm == "منذ" for j in range(i + 1, min(len(self.t), i + 12))
                   if sent is None or self.t[j].start < sent.end)

    def _gapped_at(self, i: int) -> tuple[int, str, bool] | None:
        """A verb whose object preposition comes after its subject (سيطرت قوات النظام أمس على …).

        Only the verb is the trigger; the words of the gap stay free for actors and dates. The
        rest must follow within ``gap_max`` words of the same sentence, and no second verb of the
        same list may come first (that one anchors its own event).
        """
        t = self.t
        for clen, stem in proclitic_splits(t[i].norm):
            if clen and t[i].norm[clen - 1] not in "وف":
                continue  # a conjunction may precede the verb, a preposition may not
            for head, tail, etype in self.lex.gapped.get(stem, ()):
                h = len(head)
                if i + h > len(t) or any(t[i + m].norm != head[m] for m in range(1, h)):
                    continue
                if i > 0 and t[i - 1].norm in self.lex.not_before or self._background_or_state(i, clen):
                    return None
                for j in range(i + h + 1, min(len(t), i + h + 1 + self.lex.gap_max)):
                    if _SENT_BREAK.search(self.doc.text, t[j - 1].end, t[j].start):
                        break
                    if proclitic_splits(t[j].norm)[-1][1] in self.lex.gapped:
                        break
                    if j + len(tail) <= len(t) and all(t[j + m].norm == tail[m] for m in range(len(tail))):
                        return h, etype, False
        return None

    def build(self, i: int, k: int, etype: str, purpose: bool) -> _Draft | None:
        tok = self.t[i]
        if tok.start < self.title_end:
            return None
        if tok.start in self._in_names:
            return None  # "تحرير" in هيئة تحرير الشام, "فتح" in جيش الفتح: part of a name
        sent = self.doc.sentence_at(tok.start)
        if sent is None:
            return None
        stext = self.doc.text[sent.start:sent.end]
        trig_toks = tuple(self.t[i + m].norm for m in range(k))
        trig_toks = (proclitic_splits(trig_toks[0])[-1][1],) + trig_toks[1:] if k == 1 else trig_toks
        weak = trig_toks in self.lex.weak or tuple(self.t[i + m].norm for m in range(k)) in self.lex.weak
        status = self.status(i, sent, stext, purpose)
        loc, by_context = self.place(sent, i, contextual=not weak, etype=etype)
        if loc is None and (weak or etype not in self.lex.placeless):
            return None
        if etype == "TERRITORY_CHANGE" and self._frees_people(i + k):
            return None  # "حررت 18 مختطفاً"
        if etype == "TERRITORY_CHANGE" and self._no_ground_lost(i, k):
            return None
        if etype == "TERRITORY_CHANGE" and proclitic_splits(tok.norm)[-1][1].startswith("سقط") and loc is not None \
                and not any(-3 <= self._tok_index(s0) - i <= 6 for s0, _, ent in self.mentions if ent.id == loc.id):
            return None  # "قواعد الاشتباك القديمة سقطت": what fell is no place
        if etype == "BATTLE" and proclitic_splits(tok.norm)[-1][1] in self.lex.attack and \
                self._remote_means_after(i + k):
            etype = "REMOTE_VIOLENCE"  # هجوم بطائرات مسيرة، هجوم صاروخي
        if etype == "TERRITORY_CHANGE" and i + k < len(self.t) and \
                self.t[i + k].norm in self.lex.handover_objects:
            etype = "SURRENDER"  # "تسليم السلاح الثقيل", "بدأت الفصائل تسليم دبابات"
        if etype == "TERRITORY_CHANGE" and proclitic_splits(tok.norm)[-1][1].startswith("سقط") and any(
                proclitic_splits(self.t[j].norm)[-1][1] in self.lex.projectiles
                for j in range(max(0, i - 10), i) if self.t[j].start >= sent.start):
            etype = "REMOTE_VIOLENCE"  # "قذائف صاروخية … سقطت على مدينة كلس"
        ev_span = (sent.start, sent.end)
        actors = []
        for s, e, ent in self.mentions:
            if sent.start <= s < sent.end and ent.type == "ORG" and ent.subtype not in ("MEDIA", "MONITOR") \
                    and ent.id not in actors:
                actors.append(ent.id)
        if loc is None and not actors:
            return None  # "تصعيد قبل الاتفاق": a word in a subheading, nobody and nowhere
        date = None if self._spans_a_period(i) else self.date(sent, tok.start)
        return _Draft(etype, actors, loc, date, self.count(stext),
                      self.doc.text[tok.start:self.t[i + k - 1].end], ev_span, status,
                      placed_by_context=by_context)

    def _spans_a_period(self, i: int) -> bool:
        """"إثر ثلاثة أيام من المواجهات", "أكثر من أسبوع من المعارك": the trigger names fighting
        over a period that ends at the sentence's date, so that date is not the event's."""
        return i >= 2 and self.t[i - 1].norm == "من" and self.t[i - 2].norm in self.lex.duration_units

    def status(self, i: int, sent: Span, stext: str, purpose: bool) -> str:
        pos = self.t[i].start
        if "؟" in stext or "?" in stext:
            return "question"
        for q in self.doc.quotes:
            if q.span[0] <= pos < q.span[1]:
                if q.act == "DENIAL":
                    return "denied"
                if q.act == "ACCUSATION":
                    return "alleged"
                if q.act in ("APPEAL", "THREAT"):
                    return "hypothetical"
                if within_marks(self.doc.text, max(0, q.span[0] - 1), pos):
                    return "claimed"  # (a quote's span may start just inside its opening mark)
        if purpose:
            return "hypothetical"
        sentence_before = [self.t[j].norm for j in range(max(0, i - 40), i) if self.t[j].start >= sent.start]
        near = sentence_before[-5:]
        for words, lexicon_ in ((near, self.lex.modal), (sentence_before, self.lex.rumour)):
            stems = [proclitic_splits(w)[-1][1] for w in words]
            for seq in (words, stems):
                present = set(seq)
                for u in lexicon_:
                    if u[0] not in present:
                        continue
                    n = len(u)
                    if any(tuple(seq[x:x + n]) == u for x in range(len(seq) - n + 1)):
                        return "unconfirmed"
        return "asserted"

    def _topic_place(self, i: int, pos: int) -> bool:
        """The place at offset pos comes after حول/بشأن following trigger i, with no comma
        between: it is what the talks or the deal are about."""
        j = bisect.bisect_right(self._starts, pos) - 1  # the token holding the place ("بالرمادي")
        for m in range(j - 1, i, -1):
            if re.search(r"[،,.؛:]", self.doc.text[self.t[m].end:self.t[m + 1].start]):
                return False
            if self.t[m].norm in self.lex.topic_preps:
                return True
        return False

    def _clitic_locative(self, pos: int) -> bool:
        """The mention at ``pos`` carries a locative ب/في-like proclitic ("بسوريا")."""
        k = bisect.bisect_right(self._starts, pos) - 1
        return k >= 0 and self.t[k].start < pos and self.t[k].norm[:1] == "ب"

    def _prep_before(self, pos: int) -> str | None:
        """The word right before the mention at character ``pos``, past a place head noun ("إلى
        مدينة جرابلس" gives إلى); a preposition attached to the place's own token is not seen."""
        k = bisect.bisect_left(self._starts, pos) - 1
        if k < 0:
            return None
        prev = self.t[k]
        if self.doc.text[prev.end:pos].strip():
            return None
        if (prev.norm in self.gaz.place_heads or prev.norm in self.lex.place_lead) and k > 0:
            prev = self.t[k - 1]  # "إلى مدينة جرابلس", "من جرود القلمون"
        return prev.norm

    def _place_again_at(self, j: int) -> bool:
        """Token j is "البلدة"/"المدينة" with no name after it (see ``place_again``)."""
        return proclitic_splits(self.t[j].norm)[-1][1] in self.lex.place_again and \
            not (j + 1 < len(self.t) and self.t[j + 1].start in self._loc_starts)

    def _place_again_in(self, sent: Span) -> int | None:
        """The offset of a bare البلدة/المدينة in the sentence, if any."""
        return next((self.t[j].start for j in range(self._tok_index(sent.start), self._tok_index(sent.end))
                     if self._place_again_at(j)), None)

    def _place_again_after(self, i: int, sent: Span, places: list[tuple[int, Entity]]) -> Entity | None:
        """A bare البلدة/المدينة within a few words after the trigger, before any named place
        there: the last town-like place the article named before the sentence."""
        pos = self.t[i].start
        for j in range(i + 1, min(len(self.t), i + 1 + self.lex.window)):
            if self.t[j].start >= sent.end or any(pos < s <= self.t[j].start for s, _ in places):
                return None
            if self._place_again_at(j):
                return self._town_said_again(sent, pos, self.t[j].start)
        return None

    def _town_said_again(self, sent: Span, pos: int, again_at: int | None = None) -> Entity | None:
        """The town a bare البلدة/المدينة stands for: one named earlier in the same sentence,
        else the article's main place, else the last one named before."""
        back = [(s, ent) for s, e, ent in self.mentions if ent.type == "LOC" and self.title_end <= s < pos
                and self.kind_of(ent) not in _BROAD | {"country"} and self._prep_before(s) not in _TOWARDS]
        # "وفي واشنطن، قال المتحدث … إن سقوط المدينة": a place in the speech's frame is where it
        # was said, not the town said again inside what was said
        content = next((q.span for q in self.doc.quotes if q.span[0] <= pos < q.span[1]), None)
        if content is not None and again_at is not None and content[0] <= again_at < content[1]:
            back = [(s, ent) for s, ent in back if s not in self._frame_places]
        same = [ent for s, ent in back if s >= sent.start]
        if same:
            return same[-1]
        focus = self.focus_town
        if focus is not None and any(ent.id == focus.id for _, ent in back):
            return focus
        return back[-1][1] if back else None

    def _where_before(self, sent: Span, i: int, places: list[tuple[int, Entity]]) -> Entity | None:
        """The place right before a حيث that stands between it and the trigger, when no place
        follows the حيث."""
        j0 = self._tok_index(sent.start)
        h = next((j for j in range(i - 1, j0 - 1, -1)
                  if proclitic_splits(self.t[j].norm)[-1][1] in self.lex.where_words), None)
        if h is None:
            return None
        at = self.t[h].start
        if any(s > at for s, _ in places):
            return None
        before = sorted(x for x in places if x[0] < at)
        if not before:
            return None
        last = before[-1]
        if len(before) > 1 and 0 < last[0] - self._mention_end.get(before[-2][0], -99) <= 15:
            # "في بلدة سرمدا شمالي إدلب، حيث": the town, not the area that locates it
            return min(before[-2:], key=lambda x: _SPECIFIC.get(self.kind_of(x[1]) or "town", 1))[1]
        return last[1]

    def place(self, sent: Span, i: int, contextual: bool, etype: str | None = None) -> tuple[Entity | None, bool]:
        """The place of the event and whether it came from the context rather than the clause."""
        pos = self.t[i].start
        lo_tok = self.t[max(0, i - self.lex.window)].start
        hi_tok = self.t[min(len(self.t) - 1, i + self.lex.window)].end
        in_sentence = [(s, ent) for s, e, ent in self.mentions if ent.type == "LOC" and sent.start <= s < sent.end
                       and not self.is_demonym(s, e)]
        # "وفي واشنطن، أعلنت أفريكوم أن طائراتها نفذت غارتين …": where it was said, not where it happened
        in_sentence = [x for x in in_sentence if x[0] not in self._frame_places or x[0] > pos]
        # "احتجاجاً على دور إيران": a country not after a locative preposition is a party, not a place
        in_sentence = [x for x in in_sentence if self.kind_of(x[1]) != "country"
                       or self._prep_before(x[0]) in LOCATIVES or self._clitic_locative(x[0])]
        # "خروج المقاتلين من دوما إلى جرابلس": with a place of origin in the sentence, the
        # destination is not where it happened
        if any(self._prep_before(x[0]) == "من" for x in in_sentence):
            towards = self._destinations(in_sentence)
            in_sentence = [x for x in in_sentence if x[0] not in towards]
        if etype == "REMOTE_VIOLENCE":  # "أطلقت صواريخ من البحر المتوسط على مواقع قرب دير الزور"
            launched = [x for x in in_sentence if x[0] > self.t[i].start and "من" in (
                self.t[j].norm for j in range(max(0, self._tok_index(x[0]) - 2), self._tok_index(x[0])))]
            if launched and len(launched) < len(in_sentence):
                in_sentence = [x for x in in_sentence if x not in launched]
        elif etype not in ("TERRITORY_CHANGE",):  # a drone "باتجاه X" hits X
            # "كمين لرتل كان متجهاً نحو أشرفية صحنايا، قرب بلدة براق": where the convoy was
            # heading is not where it was ambushed, when another place is named
            towards = self._destinations(in_sentence)
            if len(towards) < len(in_sentence):
                in_sentence = [x for x in in_sentence if x[0] not in towards]
        in_sentence = [x for x in in_sentence if not self._after_phrase(x[0], self.lex.party_before)
                       and not self._after_phrase(x[0], self.lex.approach_from)
                       and not self._after_phrase(x[0], self.lex.party_verbs, clitic=True)]
        topics = [x for x in in_sentence if self._topic_place(i, x[0])]
        if topics and len(topics) < len(in_sentence):  # "المفاوضات … حول فتح الطرق في تعز"
            in_sentence = [x for x in in_sentence if x not in topics]
        # "… في الغوطة الشرقية، حيث اعتُقل العشرات": حيث points back to the place before it
        where = self._where_before(sent, i, in_sentence)
        if where is not None:
            return where, False
        # "توقيف 47 شخصاً داخل المدينة": the town named before, said again right after the trigger
        again = self._place_again_after(i, sent, in_sentence)
        if again is not None:
            return again, True
        # "قال … في مؤتمر صحفي عقده في بنغازي، إن الغارة …": the frame says where it was said
        content = next((q.span for q in self.doc.quotes if q.span[0] <= pos < q.span[1]), None)
        if content is not None:
            in_sentence = [x for x in in_sentence if x[0] >= content[0]]
        # a place across فيما/بينما from the trigger is another clause's, unless the trigger's
        # own clause names none
        lo_cl, hi_cl = self._clause(sent, i)
        own = [x for x in in_sentence if lo_cl <= x[0] < hi_cl]
        other: list[tuple[int, Entity]] = []
        if own:
            in_sentence = own
        elif contextual:  # a strong trigger looks back in its paragraph first
            other, in_sentence = in_sentence, []
        # near the trigger first; a strong trigger may take a place further along its sentence
        for inside in ([x for x in in_sentence if lo_tok <= x[0] <= hi_tok], in_sentence if contextual else []):
            after = [x for x in inside if x[0] >= pos]
            cands = after or list(reversed([x for x in inside if x[0] < pos]))
            if cands:
                best = min(cands[:3], key=lambda x: (_SPECIFIC.get(self.kind_of(x[1]) or "town", 1), abs(x[0] - pos)))
                if self.kind_of(best[1]) == "country":
                    # "اتفاق التسوية الذي رعته روسيا … على محافظة درعا": a country near the trigger
                    # is often a party; a place inside a country in the same sentence is the place
                    inner = [x for x in in_sentence if self.kind_of(x[1]) != "country"]
                    if inner:
                        best = min(inner, key=lambda x: abs(x[0] - pos))
                if self.kind_of(best[1]) in _BROAD:
                    # "السيطرة على بلدة الباغوز في ريف دير الزور الشرقي … بعد معارك": the town
                    # inside the area named nearer the trigger is the more exact place
                    inside_area = [x for x in in_sentence if self.kind_of(x[1]) not in _BROAD | {"country"}
                                   and self._may_lie_in(x[1], best[1])]
                    if inside_area:
                        best = min(inside_area, key=lambda x: abs(x[0] - pos))
                return best[1], False
        if not contextual:
            return None, False
        again_at = self._place_again_in(sent)
        if again_at is not None:
            again = self._town_said_again(sent, pos, again_at)
            if again is not None:
                return again, True
        p = self.paragraph_index(pos)
        lo = self.doc.paragraphs[max(0, p - 1)].start if p > 0 else sent.start
        # a destination ("باتجاه الضفة الغربية") is where people went, not where things happen
        prior = [(s, ent) for s, e, ent in self.mentions if ent.type == "LOC" and lo <= s < pos
                 and s >= self.title_end and self.kind_of(ent) != "country"
                 and self._prep_before(s) not in _TOWARDS and s not in self._frame_places]
        if prior:
            return prior[-1][1], True
        if other and self.focus is not None:
            return self.focus, True  # the article's own place rather than another clause's
        if other:
            return min(other, key=lambda x: abs(x[0] - pos))[1], False
        return None, False

    def date(self, sent: Span, pos: int) -> str | None:
        """The nearest date of the sentence, else the last one earlier in its paragraph or the one
        before: news tells the time once and the sentences after it share it."""
        same = [(abs(sp.start - pos), iso, sp.start) for sp, iso in self.doc.dates if sent.start <= sp.start < sent.end]
        if any(len(iso) == 10 for _, iso, _ in same):  # "صباح اليوم … أعنف اشتباكات هذا العام": a day
            same = [x for x in same if len(x[1]) == 10]  # dates the event, a bare year qualifies a word
        if same:
            _, iso, at = min(same)
            return self._shifted(iso, at, pos)
        p = self.paragraph_index(pos)
        lo = self.doc.paragraphs[max(0, p - 1)].start if p >= 0 else sent.start
        prior = [(sp.start, iso) for sp, iso in self.doc.dates if lo <= sp.start < pos and sp.start >= self.title_end]
        return prior[-1][1] if prior else None

    def _shifted(self, iso: str, date_at: int, pos: int) -> str:
        """The sentence's date moved by "بعد يوم من" / "غداة" standing between it and the trigger.

        "أعلن اليوم النصر، بعد يوم من إعلان استعادة …": the event after the phrase is a day
        before the date; "شن غارات، غداة تبني المجلس، الخميس الماضي، القرار": the event before
        the phrase is a day after it.
        """
        day = parse_iso(iso) if len(iso) == 10 else None
        if day is None:
            return iso
        i, d = self._tok_index(pos), self._tok_index(date_at)
        lo, hi, sign = (max(d + 1, i - 8), i, 1) if date_at < pos else (i + 1, min(d, i + 16), -1)
        for j in range(lo, hi):
            for phrase, days in self.lex.day_offsets:
                if self._phrase_at(j, phrase, hi, clitic=True):
                    return (day + dt.timedelta(days=sign * days)).isoformat()
        return iso

    def count(self, stext: str) -> int | None:
        words = normalize(stext).text.split()
        words = [re.sub(r"[^\w]", "", w) for w in words]
        for x, w in enumerate(words):
            stem = proclitic_splits(w)[-1][1] if w else w
            if w not in self.lex.nouns and stem not in self.lex.nouns:
                continue
            val = self.number_before(words, x)
            if val:
                return val
        return None

    def number_before(self, words: list[str], x: int) -> int | None:
        j = x - 1
        if j >= 0 and words[j] in self.lex.multipliers:
            mult = self.lex.multipliers[words[j]]
            base = words[j - 1] if j >= 1 else ""
            if base.isdigit():
                return int(base) * mult
            return self.lex.numbers.get(base, 1) * mult
        if j >= 0 and words[j].isdigit():
            return int(words[j])
        if j >= 0 and words[j] in self.lex.numbers:
            return self.lex.numbers[words[j]]
        return None

    def merge(self, drafts: list[_Draft]) -> list[_Draft]:
        """One event per happening: same type at the same place, or in the same governorate
        when one of the two places is an area (countryside, region, governorate) around the other,
        on dates that may be the same day."""
        out: list[_Draft] = []
        for d in drafts:
            same = next((o for o in out if o.type == d.type and _same_time(o.date, d.date) and (
                self.same_place(o.location, d.location) or o.evidence == d.evidence)), None)
            if same is None:
                out.append(d)
                continue
            # a more exact place refines the event, unless it comes undated into a dated event:
            # "معركة … حرستا" may be another battle than "الحملة … على الغوطة" of 28 April
            if d.location is not None and (same.location is None or _SPECIFIC.get(self.kind_of(d.location) or "", 1)
                                           < _SPECIFIC.get(self.kind_of(same.location) or "", 1)) \
                    and not (d.date is None and same.date is not None):
                same.location = d.location
            same.date = same.date or d.date
            same.count = same.count or d.count
            same.actors += [a for a in d.actors if a not in same.actors]
        return out

    def same_place(self, a: Entity | None, b: Entity | None) -> bool:
        if a is None or b is None:
            return a is b
        if a.kb_id == b.kb_id:
            return True
        broad = {"countryside", "region", "governorate"}
        return self.region(a) == self.region(b) and (self.kind_of(a) in broad or self.kind_of(b) in broad)

    def _may_lie_in(self, place: Entity, area: Entity) -> bool:
        """Whether ``place`` may be inside ``area``: same governorate, or one of the two has none
        on record (a village no list knows; a region across governorates like الجنوب السوري)."""
        a, b = self.region(place), self.region(area)
        return a == b or a == place.kb_id or b == area.kb_id

    def region(self, ent: Entity | None) -> str | None:
        if ent is None:
            return None
        entry = self.gaz.entries.get(ent.gazetteer_id or "")
        if entry is not None and entry.admin1:
            return entry.admin1
        if ent.kb_id and ":countryside:" in ent.kb_id:
            base = self.gaz.entries.get("loc:" + ent.kb_id.split(":countryside:")[1].split(":")[0])
            if base is not None and base.admin1:
                return base.admin1
        return ent.kb_id


def _same_time(a: str | None, b: str | None) -> bool:
    """Dates that may name the same day: one unknown, or one the other at a finer precision
    ("2013-05" and "2013-05-19"). The battle of 19 May and the capture of 5 June in the same
    town are two events."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _event(d: _Draft) -> Event:
    return Event(d.type, tuple(d.actors), d.location.id if d.location else None, d.date, d.count,
                 d.trigger, d.evidence, d.status)


def events_stage(doc: Document) -> Document:
    confirmed, other = EventFinder(doc).run()
    doc.events = [_event(d) for d in confirmed]
    doc.unconfirmed_events = [_event(d) for d in other]
    doc.provided.add("events")
    return doc


events_stage.requires = ("entities", "dates", "quotes")  # type: ignore[attr-defined]
events_stage.provides = ("events",)  # type: ignore[attr-defined]
