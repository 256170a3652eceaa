"""Reported statements: who said what, how (direct/indirect/mixed), what kind of act, where.

Three layouts are read:
- interviews: question paragraphs (an interrogative start or a reader's-question marker and a
  question mark) and the answer paragraphs after them, which are the interviewee's statements;
  a reader's question is never a statement;
- pull-quotes: a line followed by a line that is only a person's name;
- reporting clauses: a cue verb (قال، أكد، نفى، اتهم، طالب … from ``quote_cues.json``), a frame
  (speaker, role phrase, channel such as "في تصريح لأورينت نت"), then the content: after a
  complementiser (أن/إن/بأن …: indirect), in quotation marks (direct), after a colon, or
  unmarked. Participial cues (مؤكداً، مشيراً، قائلاً) continue a statement; a new finite cue
  with و (وقال إن، وختم بالقول) starts another.
The speaker is the entity in the frame, else a description (القيادي، الحركة، تلك الفصائل)
resolved to the last speaker of that kind, else the subject before the cue, else the previous
speaker (pronoun subjects of continuation verbs: وأردف، وأكد أن).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, partial

from rasid.datafiles import load_json
from rasid.document import Document, Entity, Quote, Span
from rasid.normalize import fold, fold_all, folded_words
from rasid.stages.persons import SAME_WORDS, PersonFinder, lexicon as person_lexicon
from rasid.stages.tokens import proclitic_splits, within_marks

_CHANNEL_PREPS = frozenset(fold(w) for w in ("ل", "لـ", "مع", "عبر", "في", "على", "إلى", "الى"))
# relative pronouns that open a clause set off by commas after a speaker's name (see
# _apposition_end); the person lexicon's known_as words (المعروف بـ …) open one too
_RELATIVES = frozenset(fold(w) for w in ("الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"))
_OPEN_CLOSE = {"“": "”", "«": "»", '"': '"', "„": "“", "”": "“"}
_PARTICIPLE_PREFIX = ("م", "قائل", "نافي", "داعي", "كاشف", "لافت")
_MAX_QUOTE = 1200


@dataclass(frozen=True)
class _Lex:
    cue_act: dict[str, str]
    ambiguous: frozenset[str]
    said: frozenset[str]
    comps: frozenset[str]
    comp_preps: frozenset[str]
    tails: tuple[str, ...]
    statements: frozenset[str]
    source_preps: frozenset[str]
    channel_statement: tuple[str, ...]
    channel_media: frozenset[str]
    person_subjects: frozenset[str]
    org_subjects: frozenset[str]
    denial: re.Pattern[str]  # the denial words, at the start of a word (not نفي inside تنفيذ)
    accusation: re.Pattern[str]
    interview: frozenset[str]
    question: frozenset[str]
    reader: frozenset[str]
    frame: frozenset[str]
    negations: frozenset[str]
    titles: frozenset[str]
    participles: frozenset[str]
    threat: tuple[str, ...]
    appeal: tuple[str, ...]
    narration: frozenset[str]
    answer_frames: tuple[str, ...]
    statement_intros: tuple[str, ...]
    statement_signoffs: frozenset[str]
    statement_words: frozenset[str]
    masculine_countries: frozenset[str]  # الأردن …: the others take a feminine verb
    not_a_cue_after: frozenset[str]  # هدوء حذر: the cue word is an adjective there
    far_complements: dict[str, frozenset[str]]  # وصف … بأنه، حمّل … المسؤولية ("*": any cue)
    object_first: frozenset[str]  # اتهم، حمّل، ناشد، توعد: "اتهم X بـ…" with X the accused
    anonymous: frozenset[str]  # ناشطون، مصادر: unnamed speakers
    object_tail: frozenset[str]  # المسؤولية، عن …: may follow that object before the statement
    aside_preps: frozenset[str]  # في، عبر: open a channel aside ("، في بيان،")
    subjunctive_comps: frozenset[str]  # أن، بأن (surface forms): "نفى أن تكون …"
    subjunctive_nouns: frozenset[str]  # تنظيم، نظام: nouns after أنّ that look like verbs
    relay: frozenset[str]  # نقل، نقلت: "نقلت الوكالة عن X قوله إن": X speaks


def _word_start(words: list[str]) -> re.Pattern[str]:
    """Any of ``words`` (folded) as a word of folded text: after و/ف/ب/ل/ك and ال, before a
    pronoun or plural ending ("نفيه", "مزاعمهم"), not inside another word ("لتنفيذ")."""
    alts = "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:[وف]?(?:[بلك]|ال|بال|كال|لل)?)(?:{alts})"
                      r"(?:ات|تها|ته|هما|هم|ها|ه|وا|ون|ين|ا|ت)?(?!\w)")


@lru_cache(maxsize=1)
def lexicon() -> _Lex:
    q = load_json("quote_cues.json")
    pl = person_lexicon()
    cue_act = {fold(w): act for act, ws in q["cues"].items() for w in ws}

    words = partial(folded_words, q)  # one-word lists, folded

    def seq(key: str) -> tuple[str, ...]:  # phrases, folded, in order
        return tuple(fold(x) for x in q.get(key, ()))

    frame = fold_all(["في", "خلال", "مع", "عبر", "له", "لها", "لهم", "خاص", "خاصة", "هاتفي", "ضمن", "مرتبات",
                      "صفوف", "باسم", "الرسمي", "الصادر", "الصادرة", "صادر", "عن", "أمس", "اليوم", "تلك", "هذه",
                      "ذاته", "نفسه", "الوقت", "مصور", "مصورة", "صحيفة", "موقع", "قناة", "وكالة", "شبكة",
                      "حين", "قد", "كلامه", "حديثه", "من", "جهته", "جهتها"]) | pl.role_words | pl.modifiers | \
        frozenset(w for x in q["channel_media_cues"] + q["channel_statement"] for w in fold(x).split()) | \
        words("statement_sources") | words("said_words") | frozenset("ال" + r[0] for r in pl.ranks)
    return _Lex(
        cue_act=cue_act,
        ambiguous=words("ambiguous_cues"),
        said=words("said_words"),
        comps=words("complementisers"),
        comp_preps=words("complement_preps"),
        tails=seq("attribution_tails"),
        statements=words("statement_sources"),
        source_preps=words("source_preps"),
        channel_statement=tuple(q["channel_statement"]),
        channel_media=words("channel_media_cues"),
        person_subjects=words("generic_person_subjects"),
        org_subjects=words("generic_org_subjects"),
        denial=_word_start(q["denial_words"]),
        accusation=_word_start(q["accusation_words"]),
        interview=words("interview_words"),
        question=words("question_words"),
        reader=words("reader_question_words"),
        frame=frame,
        negations=words("negations"),
        titles=words("title_subjects"),
        participles=words("descriptive_participles"),
        threat=seq("threat_words"),
        appeal=seq("appeal_words"),
        narration=words("narration_resumes"),
        answer_frames=seq("answer_frames"),
        statement_intros=seq("statement_text_intros"),
        statement_signoffs=words("statement_signoffs"),
        statement_words=words("statement_words"),
        masculine_countries=words("masculine_countries"),
        not_a_cue_after=words("not_a_cue_after"),
        far_complements={fold(k): fold_all(v) for k, v in q.get("far_complements", {}).items()},
        object_first=words("object_first_cues"),
        anonymous=words("anonymous_subjects"),
        object_tail=words("object_tail_words"),
        aside_preps=words("channel_aside_preps"),
        subjunctive_comps=frozenset(q.get("subjunctive_complementisers", ())),
        subjunctive_nouns=words("subjunctive_not_verbs"),
        relay=words("relay_cues"))


@lru_cache(maxsize=1)
def _inline_intro() -> re.Pattern[str]:
    """A statement intro (جاء فيه، هذا نصه …) and its colon right before an opening quote mark."""
    alts = "|".join(re.escape(x) for x in sorted(load_json("quote_cues.json")["statement_text_intros"],
                                                  key=len, reverse=True))
    # "وجاء في بيان لوزارة الخارجية المصرية: "…"", "جاء في بيان أصدره المجلس مساء أمس: "…"":
    # the issuer may stand between the intro and the colon (a few words, no quote mark)
    return re.compile(rf"(?<!\w)(?:{alts})(?:\s+[^\s:\"“«»”]+){{0,10}}?\s*:\s*(?=[\"“«])")


_MAX_STATEMENT_PARAGRAPHS = 15  # a reproduced statement is a title, a few points and a sign-off
_NEG_ANY = re.compile(r"(?<!\w)(?:لم|لن|لا|ليس|ليست|ما)\s+(?:\w+\s+){0,2}(?:اي|ايه)(?!\w)")


class QuoteFinder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.t = doc.tokens
        self.lex = lexicon()
        self.quotes: list[Quote] = []
        self.pull_starts: set[int] = set()  # pull-quote lines, kept out of interview answers
        self.last_speaker: Entity | None = None
        self.last_org_speaker: Entity | None = None
        self.last_per_speaker: Entity | None = None
        self._starts = [t.start for t in self.t]
        self._ends = [t.end for t in self.t]
        self._ranks = PersonFinder(doc, {}, set())  # its rank reading, for the speaker's frame
        self.ent_at: dict[int, tuple[Entity, int, int]] = {}
        for e in doc.entities:
            for s, en in e.mentions:
                for k in self._tokens_in(s, en):
                    self.ent_at[k] = (e, s, en)
        self.date_tokens: set[int] = set()
        for span, _iso in doc.dates:
            self.date_tokens |= set(self._tokens_in(span.start, span.end))
        title = doc.paragraphs[0] if doc.paragraphs and doc.source.title and \
            doc.text[doc.paragraphs[0].start:doc.paragraphs[0].end] == doc.source.title.strip() else None
        self.title_start = title.start if title else None

    # --- small helpers
    def _tokens_in(self, s: int, e: int) -> range:
        """Tokens overlapping [s, e) (token offsets are sorted: binary search)."""
        return range(bisect.bisect_right(self._ends, s), bisect.bisect_left(self._starts, e))

    def stems(self, i: int) -> list[str]:
        return [s for _, s in proclitic_splits(self.t[i].norm)]

    def cue_at(self, i: int) -> str | None:
        if i > 0 and self.t[i - 1].norm in self.lex.not_a_cue_after and self.t[i].norm[:1] not in "وف":
            return None  # "هدوء حذر": an adjective
        for s in self.stems(i):
            if s in self.lex.cue_act:
                return s
        return None

    def gap(self, a: int, b: int) -> str:
        return self.doc.text[self.t[a].end:self.t[b].start]

    def tokens_of(self, span: Span) -> list[int]:
        """Tokens wholly inside ``span``."""
        lo, hi = bisect.bisect_left(self._starts, span.start), bisect.bisect_right(self._ends, span.end)
        return list(range(lo, max(lo, hi)))

    def remember(self, speaker: Entity | None) -> None:
        if speaker is None:
            return
        self.last_speaker = speaker
        if speaker.type == "PER":
            self.last_per_speaker = speaker
        elif speaker.type == "ORG":
            self.last_org_speaker = speaker

    def add(self, speaker: Entity | None, cue: str | None, kind: str, act: str, s: int, e: int,
            channel: str | None) -> None:
        s, e = self._trim(s, e)
        if e - s < 8:
            return
        if e - s > _MAX_QUOTE:
            cut = self.doc.text.rfind(".", s, s + _MAX_QUOTE)
            e = cut + 1 if cut > s + 40 else s + _MAX_QUOTE
        text = self.doc.text[s:e]
        self.quotes.append(Quote(speaker.id if speaker else None, speaker.name if speaker else None,
                                 cue, kind, act, text, (s, e), channel))
        self.remember(speaker)

    def _trim(self, s: int, e: int) -> tuple[int, int]:
        text = self.doc.text
        while s < e and (text[s].isspace() or text[s] in "،,:؛-–—"):
            s += 1
        changed = True
        while changed:
            changed = False
            while e > s and (text[e - 1].isspace() or text[e - 1] in ".،,:؛-–—"):
                e -= 1
                changed = True
            m = re.search(r"(?:^|\s)(?:بينما|فيما|في حين|حيث|كما|و)$", text[s:e])
            if m and m.start() > 0:  # the clause that follows belongs to another statement
                e = s + m.start()
                changed = True
            tail = fold(text[max(s, e - 40):e])
            for t in self.lex.tails:
                if tail.endswith(t):
                    cut = e - 1
                    while cut > s and fold(text[cut:e]) != t:
                        cut -= 1
                    if cut > s:
                        e = cut
                        changed = True
                    break
        if e - s >= 2 and text[s] in _OPEN_CLOSE and text[e - 1] == _OPEN_CLOSE[text[s]] and \
                text.count(text[e - 1], s + 1, e - 1) == 0:  # one quotation, not "a" … "b"
            s, e = s + 1, e - 1
        return s, e

    # --- acts
    def act_of(self, cue_act: str, s: int, e: int, answer: bool = False) -> str:
        if not answer and cue_act != "CLAIM":
            return cue_act
        head = fold(self.doc.text[s:min(e, s + 400)])
        first = " ".join(head.split()[:14])
        if not answer and self._answer_frame(s):
            return "ANSWER"  # "ورداً على سؤال عن …، قال: «لا نملك رقماً دقيقاً»"
        if self.lex.denial.search(head if answer else first):
            return "DENIAL"
        # a threat before a bare negation: "لن نسمح …", "لن تتهاون مع …" threaten, they deny nothing
        spaced = " " + " ".join(re.sub(r"[^\w\s]", " ", head).split()) + " "  # quote marks are not words
        threat = not answer and any(f" {w}" in spaced for w in self.lex.threat)
        if threat:
            return "THREAT"
        if _NEG_ANY.search(first):
            return "DENIAL"
        if answer:
            return "ANSWER"
        if self.lex.accusation.search(head):
            return "ACCUSATION"
        if any(f" {w} " in f" {first} " for w in self.lex.appeal):
            return "APPEAL"
        return cue_act

    def _answer_frame(self, s: int) -> bool:
        """The words before the content, in its sentence, say it answers a question."""
        sent = self.doc.sentence_at(s)
        lo = max(sent.start if sent is not None else 0, s - 200)
        frame = fold(self.doc.text[lo:s])
        return any(a in frame for a in self.lex.answer_frames)

    # --- layouts
    def run(self) -> list[Quote]:
        handled: set[int] = set() if self.title_start is None else {self.title_start}
        self.pull_quotes(handled)
        self.interview(handled)
        self.statement_text(handled)
        prev_unmarked = False
        for p in self.doc.paragraphs:
            if p.start in handled:
                prev_unmarked = False
                continue
            n_before = len(self.quotes)
            ended_unmarked = self.paragraph(p)
            if len(self.quotes) == n_before and prev_unmarked and self._continuation(p):
                self.add(self.last_speaker, None, "direct", "CLAIM", p.start, p.end, None)
                ended_unmarked = True
            prev_unmarked = ended_unmarked
        return self.quotes

    def _continuation(self, p: Span) -> bool:
        """A paragraph with no cue and no new subject right after unmarked direct speech."""
        toks = self.tokens_of(p)
        if not toks or len(toks) > 60 or any(self.cue_at(i) for i in toks) or self.t[toks[0]].norm in self.lex.narration:
            return False  # (nor "وتأتي هذه التطورات …": the reporter's narration again)
        if any(i in self.ent_at and self.ent_at[i][0].type in ("PER", "ORG") and self.ent_at[i][1] == self.t[i].start
               for i in toks[:4]):
            return False  # a new subject (not "للنظام"): the writer's own report, not more of the speech
        return fold(self.doc.text[p.start:p.end]).startswith(("كما", "و", "ف", "لكن"))

    def is_question(self, p: Span) -> bool:
        text = self.doc.text[p.start:p.end]
        if "؟" not in text and "?" not in text:
            return False
        toks = self.tokens_of(p)
        if not toks:
            return False
        label = self._label_end(p)
        if label is not None:  # "نداء سوريا: بدايةً، أين وصلت …؟": a labelled question
            if text.rstrip().endswith(("؟", "?")):
                return True
            toks = toks[label:]
        first = set(self.stems(toks[0])) | {self.t[toks[0]].norm}
        early = {self.t[i].norm for i in toks[:12]}
        return bool(first & self.lex.question) or bool(early & self.lex.reader)

    def interview(self, handled: set[int]) -> None:
        paras = self.doc.paragraphs[1:]  # the title line is not part of the exchange
        qs = [i for i, p in enumerate(paras) if self.is_question(p)]
        if len(qs) < 2:
            return
        lead = fold(self.doc.text[:paras[qs[0]].start])
        lead_words = re.findall(r"\w+", lead)  # "نص الحوار:" keeps its colon; "وحاور" its و
        if self.lex.interview.isdisjoint(lead_words + [w[1:] for w in lead_words if w[:1] in "وف"]):
            return
        interviewee = self._interviewee(paras[qs[0]].start)
        if interviewee is None:
            return
        for qi, q in enumerate(qs):
            handled.add(paras[q].start)
            stop = qs[qi + 1] if qi + 1 < len(qs) else len(paras)
            labelled = self._label_end(paras[q]) is not None
            chunk: list[Span] = []
            for p in paras[q + 1:stop]:
                toks = self.tokens_of(p)
                if chunk and toks and (self.t[toks[0]].norm in self.lex.narration or self._reports_someone(toks) or (
                        labelled and self._label_end(p) is None and self._third_party(toks, interviewee))):
                    # "يشار إلى أن …", "في المقابل، نفى الناطق باسم …", and after labelled answers
                    # an unlabelled "من جانبها، أعربت منظمة دولية …": the reporter again
                    break
                handled.add(p.start)
                if self._name_line(p) or p.start in self.pull_starts:
                    continue
                if chunk and p.end - chunk[0].start > _MAX_QUOTE:
                    self._answer(interviewee, chunk)
                    chunk = []
                chunk.append(p)
            if chunk:
                self._answer(interviewee, chunk)

    def _third_party(self, toks: list[int], interviewee: Entity) -> bool:
        """An unlabelled paragraph after labelled answers that opens with a verb of speech or
        names another person or body than the interviewee is the reporter's again."""
        return any(self.cue_at(j) for j in toks[:4]) or any(
            j in self.ent_at and self.ent_at[j][0].type in ("PER", "ORG") and self.ent_at[j][0].id != interviewee.id
            and self.ent_at[j][0].subtype != "MEDIA" for j in toks)

    def statement_text(self, handled: set[int]) -> None:
        """"أصدر المركز الإعلامي بياناً … هذا نصه:" and the statement reproduced after it: each
        paragraph (or numbered point) is a direct quote of the issuer, up to the sign-off line."""
        text = self.doc.text
        # lines, not paragraphs: scraped pages keep a statement's points on adjacent lines
        paras = [Span(p.start + m.start(), p.start + m.end(), "LINE") for p in self.doc.paragraphs
                 for m in re.finditer(r"[^\n]*\S[^\n]*", text[p.start:p.end])]
        for n, p in enumerate(paras):
            if p.start not in handled and self._inline_statement(p):
                handled.add(p.start)
                continue
            if p.start in handled or not text[p.start:p.end].rstrip().endswith(":"):
                continue
            intro = fold(text[p.start:p.end])
            if not any(w in intro for w in self.lex.statement_intros) or \
                    self.lex.statement_words.isdisjoint(intro.split()):
                continue
            # "أصدرت القيادة العامة بياناً بثه التلفزيون السوري": the channel did not issue it;
            # "وجاء في بيان المجلس:": the council named before, not the last body of the line
            issuer = self._statement_owner(p) or self._last_org(p.start, p.end, media=False) or \
                self._last_org(p.start, p.end) or self._body_said_again(p)
            for q in paras[n + 1:n + 1 + _MAX_STATEMENT_PARAGRAPHS]:
                toks = self.tokens_of(q)
                if q.start in handled:
                    break
                if not toks:
                    continue
                first = self.t[toks[0]].norm
                if first in self.lex.statement_signoffs:
                    handled.add(q.start)  # "صادر في طرابلس بتاريخ …"
                    break
                own_voice = any(self.cue_at(i) and fold(self.t[i].norm).startswith("ن") for i in toks[:3])
                if first in self.lex.narration or not own_voice and (self._reports_someone(toks) or (
                        len(toks) > 3 and self.cue_at(toks[0]))):
                    break  # (a point in the issuer's own voice, "رابعاً: ندعو …", stays in the statement)
                handled.add(q.start)
                if first in ("بيان", "بلاغ") and len(toks) <= 12:  # "بيان صادر عن المركز …"
                    issuer = self._last_org(q.start, q.end) or issuer
                    continue
                s = re.match(r"\s*(?:[0-9٠-٩]+\s*[-–.)]|[-–•*])?\s*", text[q.start:q.end]).end() + q.start
                self.add(issuer, None, "direct", self.act_of("CLAIM", s, q.end), s, q.end, None)

    def _statement_owner(self, p: Span) -> Entity | None:
        """"بيان المجلس", "بيان الوزارة": the statement word followed by a definite head noun
        names the last body with that head before it."""
        toks = self.tokens_of(p)
        for a, b in zip(toks, toks[1:]):
            if self.t[a].norm not in self.lex.statement_words or not self.t[b].norm.startswith("ال"):
                continue
            head = self.t[b].norm[2:]
            orgs = [(s0, e) for e in self.doc.entities if e.type == "ORG" for s0, _ in e.mentions
                    if s0 < self.t[b].start and fold(e.name).split()[0] in (head, "ال" + head)]
            if orgs:
                return max(orgs, key=lambda x: x[0])[1]
        return None

    def _inline_statement(self, p: Span) -> bool:
        """"وأصدرت المقاومة الإسلامية بياناً صباح اليوم، جاء فيه: "…"": a statement quoted in the
        same line as its introduction, from the opening mark to the line's end, is one direct
        quote of the issuer named before the colon."""
        text = self.doc.text
        line = text[p.start:p.end]
        m = _inline_intro().search(line)
        if m is None or self.lex.statement_words.isdisjoint(fold(line[:m.end()]).split()):
            return False
        if any(self.cue_at(i) for i in self.tokens_of(Span(p.start, p.start + m.start(), "LINE"))):
            return False  # "قال … إن": the paragraph's own reporting clause handles it
        colon = p.start + m.start() + m.group().rindex(":")  # the issuer may follow the intro
        issuer = self._last_org(p.start, colon, media=False) or self._last_org(p.start, colon) or \
            self._body_said_again(Span(p.start, colon, "LINE"))
        s = p.start + m.end()
        e = p.start + len(line.rstrip())
        self.add(issuer, None, "direct", self.act_of("CLAIM", s, e), s, e, None)
        return True

    def _body_said_again(self, p: Span) -> Entity | None:
        """"وقالت قيادة المنطقة في بيان": a body named by a generic word (القيادة، الوزارة) and the
        word after it is the last organisation named before whose name has that word
        ("قيادة المنطقة العسكرية الخامسة")."""
        toks = self.tokens_of(p)
        at = next((n for n, j in enumerate(toks[:4]) if self.t[j].norm in self.lex.org_subjects
                   or proclitic_splits(self.t[j].norm)[-1][1] in self.lex.org_subjects), None)
        if at is None:
            return None
        head = proclitic_splits(self.t[toks[at]].norm)[-1][1]
        nxt = self.t[toks[at + 1]].norm if at + 1 < len(toks) else ""
        key = nxt if nxt.startswith("ال") and nxt not in self.lex.frame else head
        key = key[2:] if key.startswith("ال") else key
        orgs = [(s0, ent) for ent in self.doc.entities if ent.type == "ORG" and ent.subtype != "MEDIA"
                for s0, e0 in ent.mentions if s0 < p.start
                and any(w in (key, "ال" + key) for w in fold(self.doc.text[s0:e0]).split())]
        return max(orgs, key=lambda x: x[0])[1] if orgs else None

    def _last_org(self, s: int, e: int, media: bool = True) -> Entity | None:
        """The last organisation named between offsets s and e (``media=False``: not an outlet)."""
        orgs = [(start, ent) for ent in self.doc.entities if ent.type == "ORG" for start, _ in ent.mentions
                if s <= start < e and (media or ent.subtype != "MEDIA")]
        return max(orgs, key=lambda x: x[0])[1] if orgs else None

    def _reports_someone(self, toks: list[int]) -> bool:
        """The paragraph reports another statement: a speech verb with a named subject right
        after it (نفى الناطق باسم … الرائد عصام المقداد), not an answer's own words."""
        roles = person_lexicon().role_words
        for n, i in enumerate(toks[:12]):
            cue = self.cue_at(i)
            if not cue or not self._is_reporting(i, cue):  # "اتفاق بين بعض المسؤولين": between
                continue
            if any(j in self.ent_at and self.ent_at[j][0].type in ("PER", "ORG") for j in toks[n + 1:n + 7]) or \
                    any(self.t[j].norm in roles for j in toks[n + 1:n + 3]):
                return True
        return False

    def _label_end(self, p: Span) -> int | None:
        """Position (in the paragraph's tokens) after a speaker label of at most four words
        ending in a colon ("نداء سوريا:", "الدياب:", "س:"), or None."""
        toks = self.tokens_of(p)
        for n, i in enumerate(toks[:4]):
            gap = self.doc.text[self.t[i].end:self.t[toks[n + 1]].start] if n + 1 < len(toks) else ""
            if ":" in gap:
                return n + 1 if n + 1 < len(toks) else None
            if gap.strip():
                return None
        return None

    def _answer(self, who: Entity, chunk: list[Span]) -> None:
        s, e = chunk[0].start, chunk[-1].end
        label = self._label_end(chunk[0])
        if label is not None:  # "الدياب: …": the label names the speaker and is not said
            toks = self.tokens_of(chunk[0])
            named = {self.ent_at[i][0].id for i in toks[:label] if i in self.ent_at}
            if len(named) == 1:
                ent = self.ent_at[toks[0]][0] if toks[0] in self.ent_at else None
                who = ent if ent is not None and ent.type == "PER" else who
            s = self.t[toks[label]].start
        act = self.act_of("CLAIM", chunk[0].start, chunk[0].end, answer=True)
        self.add(who, None, "direct", act, s, e, None)

    def _interviewee(self, before: int) -> Entity | None:
        """The person the exchange is with: the one the introduction right before the first
        question names ("تحدث المتحدث الرسمي باسم المجلس، آزاد شيخو، … وفيما يلي نص الحوار"),
        else the person named most often before it (the later one on a tie)."""
        intro = next((p for p in reversed(self.doc.paragraphs) if p.end <= before and p.end > p.start), None)
        ranks: dict[str, tuple[bool, int, int]] = {}  # (named in the introduction, mentions, last)
        for e in self.doc.entities:
            starts = [s for s, _ in e.mentions if s < before]
            if e.type == "PER" and starts:
                in_intro = intro is not None and any(intro.start <= s < intro.end for s in starts)
                ranks[e.id] = (in_intro, len(starts), max(starts))
        if not ranks:
            return None
        return self.doc.entity(max(ranks, key=lambda k: ranks[k]))

    def _name_line(self, p: Span) -> Entity | None:
        toks = self.tokens_of(p)
        if not toks or len(toks) > 4:
            return None
        ents = {self.ent_at[i][0].id for i in toks if i in self.ent_at}
        if len(ents) == 1 and all(i in self.ent_at for i in toks):
            e = self.ent_at[toks[0]][0]
            return e if e.type == "PER" else None
        return None

    def pull_quotes(self, handled: set[int]) -> None:
        paras = self.doc.paragraphs
        for a, b in zip(paras, paras[1:]):
            who = self._name_line(b)
            if who and "\n\n" not in self.doc.text[a.end:b.start] and not self._name_line(a):
                handled.add(a.start)
                handled.add(b.start)
                self.pull_starts.add(a.start)
                self.add(who, None, "direct", self.act_of("CLAIM", a.start, a.end), a.start, a.end, None)

    # --- reporting clauses
    def paragraph(self, p: Span) -> bool:
        toks = self.tokens_of(p)
        clauses: list[tuple[int, int, str]] = []  # (cue token, content start char, cue stem)
        i = 0
        while i < len(toks):
            k = toks[i]
            src = self._source_attribution(k)
            if src is not None:
                clauses.append((k, src, "بحسب"))
                i += 1
                continue
            cue = self.cue_at(k)
            if cue and not self._in_clause(k, clauses) and self._is_reporting(k, cue):
                start = self._content_start(k)
                if start is not None:
                    clauses.append((k, start, cue))
            i += 1
        if not clauses:
            return False
        unmarked_end = False
        for n, (k, start, cue) in enumerate(clauses):
            end = p.end
            for k2, s2, cue2 in clauses[n + 1:]:
                if self._splits(k2, cue2) and s2 > start:
                    # the next statement's sentence, when it starts later ("… توقف. بدوره، اتهم")
                    nxt = self.doc.sentence_at(self.t[k2].start)
                    end = nxt.start if nxt is not None and start < nxt.start < self.t[k2].start else self.t[k2].start
                    break
            if n and clauses[n - 1][1] <= self.t[k].start < end and not self._splits(k, cue):
                continue  # a participial cue inside the previous statement
            speaker = self._speaker(k, start, cue)
            channel = self._channel(k, start)
            main = self._main_end(start, end)
            kind = self._kind(start, main, self._has_comp(k, start))
            cue_act = "CLAIM" if cue == "بحسب" else self.lex.cue_act[cue]
            act = self.act_of(cue_act, start, main)
            if kind == "unmarked":  # speech without marks: direct after قال and kin, else reported
                kind = "direct" if cue_act == "CLAIM" and cue != "بحسب" else "indirect"
            self.add(speaker, self.doc.text[self.t[k].start:self.t[k].end], kind, act, start, end, channel)
            first = self.doc.text[start:end].lstrip()[:1]
            unmarked_end = kind == "direct" and first not in _OPEN_CLOSE and end == p.end
        return unmarked_end

    def _main_end(self, start: int, end: int) -> int:
        """Where the main statement ends: before "…، مؤكداً أن …", a secondary statement of the
        same speaker that stays in the quote but does not decide its kind or act."""
        for k in self._tokens_in(start, end):
            if self.t[k].start > start and re.search(r"[،,]", self.gap(k - 1, k)):
                cue = self.cue_at(k)
                if cue and cue.startswith(_PARTICIPLE_PREFIX):
                    return self.t[k - 1].end
        return end

    def _in_clause(self, k: int, clauses: list) -> bool:
        return bool(clauses) and clauses[-1][1] > self.t[k].start

    def _splits(self, k: int, cue: str) -> bool:
        """A finite cue starts a new statement when it carries a conjunction (وقال، وختم) or
        names its own subject ("بينما قال أحمد العلي …"); participles (مؤكداً) continue one."""
        norm = self.t[k].norm
        if cue.startswith(_PARTICIPLE_PREFIX) or cue == "بحسب":
            return False
        if norm.startswith(("و", "ف")) and norm[1:] == cue:
            return True
        sent = self.doc.sentence_at(self.t[k].start)
        lead = self._tokens_in(sent.start, self.t[k].start) if sent is not None else range(0)
        if sent is not None and len(lead) <= 3 and not any(self.cue_at(j) for j in lead) and \
                not within_marks(self.doc.text, self.doc.text.rfind("\n", 0, self.t[k].start) + 1, self.t[k].start):
            return True  # "… المفقودين". في المقابل، نفى …": a new sentence opens a new statement
        nxt_word = self.t[k + 1].norm if k + 1 < len(self.t) else ""
        if k > 0 and self.t[k - 1].norm in ("فيما", "بينما", "حين") and (
                nxt_word in person_lexicon().role_words or nxt_word in self.lex.person_subjects
                or nxt_word in self.lex.org_subjects or nxt_word in self.lex.anonymous):
            # "…، فيما نفى الناطق باسم حماس، سامي أبو زهري، أن …", "في حين يقول ناشطون إن":
            # another speaker
            return True
        nxt = [j for j in (k + 1, k + 2) if j < len(self.t)]
        return any(j in self.ent_at and self.ent_at[j][0].type in ("PER", "ORG") for j in nxt)

    def _is_reporting(self, k: int, cue: str) -> bool:
        """Ambiguous verbs (بين "between", كشف عن, أعلن …) report speech only when a
        complementiser, بالقول or a colon follows, at most past the speaker's name."""
        if cue not in self.lex.ambiguous:
            return True
        j = k + 1
        for _ in range(6):  # past the speaker: a name, or a description such as "مراسل سانا"
            if j < len(self.t) and "(" in self.gap(j - 1, j):  # "(اليونيفيل)": an acronym aside
                close = next((m for m in range(j, min(j + 4, len(self.t) - 1)) if ")" in self.gap(m, m + 1)), None)
                if close is not None:
                    j = close + 1
            if j >= len(self.t) or re.search(r"[.:،,؟\n]", self.gap(j - 1, j)):
                # "أعلنت الوزارة، في بيان، أن …"; "أعلن المتحدث باسم التحالف، العقيد ستيف وارن،
                # في إيجاز صحفي، أن …": past the speaker's name and the channel, set off by commas
                for _ in range(2):
                    aside = self._channel_aside_end(j) or self._name_aside_end(j)
                    if aside is None:
                        break
                    if self._is_comp(aside):
                        return True
                    j = aside
                break
            if self.t[j].norm in self.lex.said or self._is_comp(j) or (
                    self.t[j].norm in self.lex.comp_preps and j + 1 < len(self.t) and self._is_comp(j + 1)):
                return True
            if (self.t[j].norm in self.lex.negations and not (
                    self.t[j].norm == "ما" and self._far_complement(k, cue))) or self.cue_at(j):
                return False  # (but "وصف ما جرى بأنه": "what happened", the object described)
            j = self._tokens_in(self.ent_at[j][1], self.ent_at[j][2])[-1] + 1 if j in self.ent_at else j + 1
        if j < len(self.t) and (":" in self.gap(k, j) or self._is_comp(j) or self.t[j].norm in self.lex.said):
            return True
        return self._far_complement(k, cue)

    def _far_complement(self, k: int, cue: str) -> bool:
        """"وصف الناطق باسم التحالف … ما جرى بأنه": the complement comes past a long subject."""
        wanted = self.lex.far_complements.get("*", frozenset()) | self.lex.far_complements.get(cue, frozenset())
        for j in range(k + 1, min(k + 16, len(self.t))):
            if re.search(r"[.:؟?!\n]", self.gap(j - 1, j)) or (j > k + 1 and self.cue_at(j)):
                return False
            if self.t[j].norm in wanted:
                return True
        return False

    def _comma_segment_end(self, j: int, most: int) -> int | None:
        """After a comma at token ``j``, the token after the next comma within ``most`` words,
        or None when a sentence break comes first."""
        if j >= len(self.t) or not re.search(r"[،,]", self.gap(j - 1, j)):
            return None
        for m in range(j + 1, min(j + most, len(self.t))):
            gap = self.gap(m - 1, m)
            if re.search(r"[.:؟?!\n]", gap):
                return None
            if re.search(r"[،,]", gap):
                return m
        return None

    def _channel_aside_end(self, j: int) -> int | None:
        """A channel aside set off by commas ("، في بيان نشره مركزها الإعلامي،", "، في تصريح
        لقناة …،"): the token after its closing comma."""
        if j + 1 >= len(self.t) or self.t[j].norm not in self.lex.aside_preps or (
                self.t[j + 1].norm not in self.lex.statements and self.t[j + 1].norm not in self.lex.channel_media):
            return None
        return self._comma_segment_end(j, 10)

    def _name_aside_end(self, j: int) -> int | None:
        """A person's name (with rank) set off by commas: the token after its closing comma."""
        m = self._comma_segment_end(j, 6)
        named = m is not None and any(x in self.ent_at and self.ent_at[x][0].type == "PER" for x in range(j, m))
        return m if named else None

    def _source_attribution(self, k: int) -> int | None:
        """"وبحسب البيان (الصادر) فقد …": content attributed to a statement already reported."""
        if not set(self.stems(k)) & self.lex.source_preps or k + 1 >= len(self.t):
            return None
        if self.t[k + 1].norm not in self.lex.statements:
            return None
        j = k + 2
        while j < len(self.t) and self.t[j].norm in ("الصادر", "الصادره", "فقد", "فان", "قد"):
            j += 1
        return self.t[j].start if j < len(self.t) else None

    def _frame_end(self, k: int) -> int:
        """Token index where the content starts: past speaker, roles, channel, short quoted names."""
        j = k + 1
        text = self.doc.text
        while j < len(self.t):
            gap = text[self.t[j - 1].end:self.t[j].start]
            if ":" in gap or "." in gap or "\n" in gap:
                return j
            opened = gap.strip()[-1:] if gap.strip() else ""
            if opened in _OPEN_CLOSE and gap.endswith(opened):  # '" ' after a word closes a quote
                close = text.find(_OPEN_CLOSE[opened], self.t[j].start)
                inner = self._tokens_in(self.t[j].start, close) if close > 0 else range(0)
                if inner and (all(x in self.ent_at for x in inner) or len(inner) <= 3 and (
                        any(self.t[x].norm in person_lexicon().role_words for x in inner) or len(inner) <= 2)):
                    j = inner[-1] + 1
                    continue
                return j
            if j in self.ent_at:
                j = self._tokens_in(self.ent_at[j][1], self.ent_at[j][2])[-1] + 1
                continue
            rank = self._rank_before_entity(j)
            if rank:
                j += rank
                continue
            if "،" in gap or "," in gap:
                past = self._apposition_end(j)
                if past is not None:
                    j = past
                    continue
            if self.t[j].norm in self.lex.participles and (j - 1) in self.ent_at:
                # "… "اللواء الثامن" التابع للفيلق الخامس المدعوم من روسيا، النقيب …"
                k = j + 1 if j + 1 < len(self.t) and self.t[j + 1].norm in ("من", "ل", "الى") else j
                if k + 1 < len(self.t) and (k + 1) in self.ent_at:
                    j = k + 1
                    continue
            titled = self.t[j].norm in self.lex.titles
            if self.t[j].norm in self.lex.org_subjects or self.t[j].norm in self.lex.person_subjects or titled:
                # "الفصائل العسكرية العاملة ضمن غرفة عمليات دحر الغزاة": the description
                # leads to the entity that names the speaker; after a title, to the person
                reach = 11 if titled else 6  # "الرئيس الروحي لطائفة … الدروز، الشيخ حكمت الهجري"
                ahead = next((x for x in range(j + 1, min(j + reach, len(self.t))) if x in self.ent_at
                              and self.ent_at[x][0].type in (("PER",) if titled else ("PER", "ORG"))), None)
                stops = r"[.:\n]" if titled else r"[.:،,\n]"
                if ahead is not None and not re.search(stops, self.doc.text[self.t[j].end:self.t[ahead].start]):
                    j = ahead
                    continue
            if j in self.date_tokens or self.t[j].norm in self.lex.frame or set(self.stems(j)) & self.lex.frame or \
                    self.t[j].norm in self.lex.person_subjects or self.t[j].norm in self.lex.org_subjects:
                j += 1
                continue
            return j
        return j

    def _rank_before_entity(self, j: int) -> int:
        """Words of a rank at token j ("الملازم أول", "العقيد الركن الأميركي") that precede a
        named entity: part of the speaker's description, not of what was said. 0 if none."""
        r = self._ranks.rank_at(j)
        return r[1] - j if r and r[1] in self.ent_at else 0

    def _apposition_end(self, j: int) -> int | None:
        """Past a clause set off by commas after the speaker: a relative clause ("، التي قادت
        حملة …،") or a name note ("، المعروف بالاسم الحركي …،"). None when token j starts none,
        or when no closing comma comes within 15 words of the same sentence."""
        if j == 0 or (j - 1) not in self.ent_at or self.t[j].norm not in _RELATIVES | person_lexicon().known_as:
            return None
        for m in range(j + 1, min(j + 16, len(self.t))):
            gap = self.gap(m - 1, m)
            if re.search(r"[.:\n؟?!]", gap):
                return None
            if "،" in gap or "," in gap:
                return m
        return None

    def _content_start(self, k: int) -> int | None:
        j = self._frame_end(k)
        # a complementiser within reach, past at most a short unresolved subject ("مصادر
        # إعلامية مقربة من …"), but not inside quoted or unmarked speech ("لا اعتقد بانها")
        for m in range(k + 1, min(k + 30, len(self.t))):
            gap = self.gap(m - 1, m)
            if m > j and ":" in gap and m - j <= 8 and self._opens_quote(gap):
                return self.t[m].start  # "…، خلال تفقده الحدود: "…"": the colon opens the speech
            if "." in gap or "\n" in gap or (m >= j and self._opens_quote(gap)
                                              and not self._quoted_name(m)):
                break
            if m >= j and (self.t[m].norm in self.lex.negations or self.cue_at(m)):
                break
            if self._is_comp(m):
                if m - j > 6 and not self._named_before(j, m):
                    break
                if self._subjunctive(m):
                    return self.t[m].start  # "نفى أن تكون قواته …": the clause denied is "أن تكون …"
                return self.t[m].end  # keeps an opening quote mark right after إن with the content
        if j >= len(self.t):
            return None
        return self.t[j].start

    def _subjunctive(self, m: int) -> bool:
        """The complementiser at m is أنْ before an imperfect verb (أن يكون، أن تتجه), not أنّ
        before a noun: the verbal clause it opens is what was denied or said, "أن" included.
        The verb is told by its prefix (ي/ت/ن) and by not being part of a named entity."""
        if self.doc.text[self.t[m].start:self.t[m].end] not in self.lex.subjunctive_comps:
            return False
        if m + 1 >= len(self.t) or m + 1 in self.ent_at or self.gap(m, m + 1).strip():
            return False
        nxt = self.t[m + 1].norm
        return len(nxt) >= 3 and nxt[0] in "يتن" and nxt not in self.lex.subjunctive_nouns

    def _named_before(self, j: int, m: int) -> bool:
        """A person set off by commas before the complementiser at m ("الناطق باسم غرفة العمليات
        في الجنوب، الرائد عصام المقداد، أن", "…، العقيد محمد قنونو، في تصريح لـTRT عربي، إن"):
        the words from j are the speaker's description, however long the unknown organisation's
        name."""
        if m - j > 16:
            return False
        for k in range(j + 1, m):
            if k not in self.ent_at or self.ent_at[k][0].type != "PER":
                continue
            first = self._tokens_in(self.ent_at[k][1], self.ent_at[k][2])[0]
            while first - 1 > j and self._ranks.rank_at(first - 1):
                first -= 1
            if re.search(r"[،,]", self.gap(first - 1, first)):
                return True
        return False

    def _quoted_name(self, m: int) -> bool:
        """Token m opens a quoted entity name ("يوتيوب"، “جيش العزة”), not quoted speech."""
        if m not in self.ent_at:
            return False
        _, s, e = self.ent_at[m]
        rest = self.doc.text[e:e + 2].lstrip()
        return s <= self.t[m].start and rest[:1] in ("”", "\"", "»", "“")

    @staticmethod
    def _opens_quote(gap: str) -> bool:
        """The text between two words ends with an opening quotation mark (not a closing one)."""
        g = gap.rstrip()
        if not g:
            return False
        if g[-1] in "“«":
            return True
        # a straight mark opens only when attached to the next word: in '" ' after a quoted name
        # ("لـ"الوكالة الوطنية للإعلام" إن") it closes
        return g[-1] == '"' and g == gap and (len(g) == 1 or g[-2].isspace() or g[-2] in ":،,(")

    def _is_comp(self, m: int) -> bool:
        return self.t[m].norm in self.lex.comps or (
            self.t[m].norm.startswith("ف") and self.t[m].norm[1:] in self.lex.comps)

    def _has_comp(self, k: int, start: int) -> bool:
        for m in range(k + 1, len(self.t)):
            if self.t[m].start >= start:
                break
            if self._is_comp(m):
                return True
        return False

    def _kind(self, s: int, e: int, comp: bool) -> str:
        text = self.doc.text
        segs = []
        i = s
        while i < e:
            ch = text[i]
            if ch in "“«\"":
                close = text.find(_OPEN_CLOSE[ch], i + 1, e + 1)
                if close < 0:
                    break
                segs.append((i, close + 1))
                i = close + 1
                continue
            i += 1
        long_segs = [(a, b) for a, b in segs if len(text[a:b].split()) >= 4]
        first = segs[0][0] if segs else e
        rest = "".join(text[x] for x in range(first, e) if not any(a <= x < b for a, b in segs))
        # before the marks only frame words ("قائلاً: “…”", "بأن “…”") leave the words quoted;
        # a reporter's word of the content ("الغارة "استهدفت …"", "بـ"تطهير …"") or any word
        # between or after the quoted parts makes it mixed
        lead = [w for w in re.findall(r"\w+", text[s:first]) if fold(w) not in self.lex.said
                and fold(w) not in self.lex.comps and not self.lex.cue_act.get(fold(w))]
        rest_words = lead + re.findall(r"\w+", rest)
        if long_segs and not rest_words:
            return "direct"
        if long_segs:
            return "mixed"
        return "indirect" if comp else "unmarked"

    def _speaker(self, k: int, start: int, cue: str) -> Entity | None:
        if cue == "بحسب":
            return self.last_org_speaker or self.last_speaker
        if self.t[k].norm.endswith("وا"):  # اتهموا النظام: the subject is in the verb
            return self.last_speaker
        window = [j for j in range(k + 1, len(self.t)) if self.t[j].start < start
                  and not self._is_comp(j) and self.t[j].norm not in self.lex.comp_preps]
        if k > 0 and self.t[k - 1].norm in _RELATIVES and not re.search(r"[.:\n]", self.gap(k - 1, k)) and \
                not any(j in self.ent_at and self.ent_at[j][0].type == "PER" for j in window):
            # (not "الذي قال مديره رائد الصالح إن": the person named after the verb speaks)
            before = self._named_before_relative(k - 1)
            if before is not None:
                return before  # "بحسب الملازم أول محمد الدغيم، القائد الميداني …، الذي قال إن"
        if cue in self.lex.relay:  # "نقلت وكالة الأناضول عن الوزير قوله إن": the one after عن
            after = next((n for n, j in enumerate(window) if self.t[j].norm == "عن"), None)
            named = [self.ent_at[j][0] for j in window[after + 1:] if j in self.ent_at
                     and self.ent_at[j][0].type in ("PER", "ORG")] if after is not None else []
            if named:
                return next((e for e in named if e.type == "PER"), named[0])
        if k > 0 and self.t[k - 1].norm == "قد" and not any(
                j in self.ent_at and self.ent_at[j][0].type in ("PER", "ORG") for j in window):
            before = self._subject_before(k)  # "وكان الهجري قد وصف ما جرى بأنه": named before "قد"
            if before is not None:
                return before
        if window and cue in self.lex.object_first and self._object_only(window):
            return self._subject_before(k) or self.last_speaker  # "واتهم قوات الأسد بـ«…»"
        if window and window[0] in self.ent_at:
            subject, s0, _ = self.ent_at[window[0]]
            if subject.subtype == "COUNTRY" and not self.t[k].norm.endswith("ت") and \
                    fold(subject.name) not in self.lex.masculine_countries:
                # "وطالب روسيا بـ…": a masculine verb before a feminine country name makes the
                # country its object; the speaker is the subject said before
                return self._subject_before(k) or self.last_speaker
            head = proclitic_splits(self.t[window[0]].norm)[-1][1]  # the word as written: "جهاز" for قوة الردع
            if subject.type == "ORG" and subject.subtype != "MEDIA" and head.endswith(("ه", "ات")) and \
                    self.t[k].norm[-1:] not in ("ت", "ا") and not self.t[k].norm.startswith(("ت", "م")):
                # "وطالب الحكومة الاتحادية بـ"…"": a body named by a feminine noun after a
                # masculine verb is its object too (a feminine subject takes طالبت)
                return self._subject_before(k) or self.last_speaker
            if (subject.subtype == "COUNTRY" or subject.subtype == "MEDIA") and s0 <= self.t[window[0]].start:
                return subject  # "وطالبت فرنسا بعقد …", "نفى التلفزيون السوري …": the subject itself
        if len(window) > 1 and window[0] not in self.ent_at and self.t[window[1]].norm in SAME_WORDS and (
                self.t[window[0]].norm in person_lexicon().role_words or self.t[window[0]].norm in self.lex.person_subjects):
            # "ونفى المتحدث ذاته ما أوردته صحيفة «واشنطن بوست»": the one quoted before, not the paper
            return self.last_per_speaker or self.last_speaker
        media = [j for j in window[:6] if j in self.ent_at and self.ent_at[j][0].subtype == "MEDIA"]
        if media and not any(j in self.ent_at and self.ent_at[j][0].type in ("PER", "ORG")
                             and self.ent_at[j][0].subtype != "MEDIA" for j in window if j < media[0]):
            m = media[0]
            prev = self.t[m - 1].norm if m else ""
            if self.ent_at[m][1] <= self.t[m].start and prev not in _CHANNEL_PREPS and all(
                    self.t[x].norm not in _CHANNEL_PREPS for x in window if x < m):
                return self.ent_at[m][0]  # "قالت وكالة الأنباء الرسمية "سانا" إن …"
        ents = [self.ent_at[j][0] for j in window if j in self.ent_at]
        ents = [e for e in ents if e.type in ("PER", "ORG") and e.subtype != "MEDIA"]
        per = [e for e in ents if e.type == "PER"]
        if per:
            return per[0]
        role_first = bool(window) and window[0] not in self.ent_at and (  # not "هيئة" of هيئة تحرير الشام
            self.t[window[0]].norm in person_lexicon().role_words or self.t[window[0]].norm in self.lex.person_subjects)
        if role_first and len(window) > 1 and self.t[window[1]].norm in SAME_WORDS:
            return self.last_per_speaker or self.last_speaker  # "الناطق ذاته": the one quoted before
        if ents and role_first:
            holder = self._role_holder(ents[0], self._described_role(window[0]))
            if holder:
                return holder
        if ents:
            return ents[0]
        if len(window) == 1 and self.t[window[0]].norm in ("فيه", "فيها"):
            # "ظهر … في تسجيل مصور قال فيه: «…»", "في بيان … زعمت فيه أن": the subject before
            return self._subject_before(k) or self.last_speaker
        norms = {self.t[j].norm for j in window[:3]}
        if norms & self.lex.person_subjects:
            return self.last_per_speaker or self.last_speaker
        if norms & self.lex.org_subjects:  # "أعربت منظمة دولية": a body, never the last person quoted
            # "وقالت قيادة المنطقة في بيان": a definite body said again is the last one named
            said_again = self._body_said_again(Span(self.t[window[0]].start, self.t[window[-1]].end, "LINE")) \
                if window and (self.t[window[0]].norm.startswith("ال") or (
                    len(window) > 1 and self.t[window[1]].norm.startswith("ال"))) else None
            return self.last_org_speaker or said_again
        adverbial = bool(window) and self.t[window[0]].norm in ("في", "خلال", "عبر", "مع", "عن", "منذ", "قبل", "بعد")
        if window and not adverbial and any(self.t[j].norm not in self.lex.frame and j not in self.date_tokens
                                            for j in window[:2]):
            return None  # a subject no entity stands for ("مصادر إعلامية", "من تحدث من الأسرى")
        before = self._subject_before(k)
        return before or self.last_speaker

    def _object_only(self, window: list[int]) -> bool:
        """The words between an object-first cue and the statement are one name and at most a
        preposition or "المسؤولية" after it: the object, with the subject left out."""
        first = window[0]
        if first not in self.ent_at or self.ent_at[first][0].type not in ("PER", "ORG", "LOC"):
            return False
        ent = self.ent_at[first][0]
        rest = [j for j in window if not (j in self.ent_at and self.ent_at[j][0].id == ent.id)]
        return all(self.t[j].norm in self.lex.object_tail for j in rest)

    def _named_before_relative(self, r: int) -> Entity | None:
        """The person or organisation a relative pronoun at token r refers to: the nearest one
        named before it in the same sentence; past an organisation in the person's own
        description ("محمد الدغيم، القائد الميداني في "فرقة السلطان مراد"، الذي")."""
        before = list(self._speakers_before(r))
        if not before:
            return None
        j, ent = before[0]
        if ent.type == "ORG":
            per = next((e for x, e in before if e.type == "PER" and j - x < 12), None)
            return per or ent
        return ent

    def _described_role(self, j: int) -> str | None:
        """The role named by a description starting at token j ("الناطق باسم", "قائد")."""
        norms = [self.t[x].norm for x in range(j, min(j + 4, len(self.t)))]
        for toks, role, _ in person_lexicon().roles:  # longest first
            if tuple(norms[:len(toks)]) == toks:
                return role
        return None

    def _role_holder(self, org: Entity, role: str | None = None) -> Entity | None:
        """The person the article gives ``role`` in ``org`` ("الناطق باسم الجيش" is its spokesman,
        not its commander); any role holder when the description names none."""
        for pid, r, oid, _ev in self.doc.role_hints:
            if oid == org.id and (role is None or r == role):
                return self.doc.entity(pid)
        return None

    def _speakers_before(self, k: int) -> Iterator[tuple[int, Entity]]:
        """(token, entity) of the people and organisations (not media) named before token k in
        its sentence, nearest first."""
        sent = self.doc.sentence_at(self.t[k].start)
        for j in range(k - 1, -1, -1):
            if sent is not None and self.t[j].start < sent.start:
                break
            if j in self.ent_at and self.ent_at[j][0].type in ("PER", "ORG") and \
                    self.ent_at[j][0].subtype != "MEDIA":
                yield j, self.ent_at[j][0]

    def _subject_before(self, k: int) -> Entity | None:
        """"وكان (وائل علوان) … قد أكد أن": the subject named before the cue, in the same
        sentence, when no statement of that sentence came before (else it is a continuation)."""
        sent = self.doc.sentence_at(self.t[k].start)
        if sent is None or any(sent.start <= q.span[0] < self.t[k].start for q in self.quotes):
            return None
        found = list(self._speakers_before(k))
        per = [e for _, e in found if e.type == "PER"]
        if per:
            return per[0]
        if not found:
            return None
        j, org = found[0]
        # "غير أن المتحدث باسم قيادة العمليات المشتركة نفى …": the body's spokesman, named
        # elsewhere in the article, when the article names one
        role = self._role_before(self.ent_at[j][1])
        return (self._role_holder(org, role) if role else None) or org

    def _role_before(self, start: int) -> str | None:
        """The role of a description that ends right before the mention at offset ``start``
        ("المتحدث باسم" before "قيادة العمليات"), or None."""
        at = bisect.bisect_left(self._starts, start)
        for toks, role, _ in person_lexicon().roles:  # longest first
            j = at - len(toks)
            if j >= 0 and tuple(self.t[x].norm for x in range(j, at)) == toks:
                return role
        return None

    def _channel(self, k: int, start: int) -> str | None:
        window = [j for j in range(k + 1, len(self.t)) if self.t[j].start < start]
        for j in window:
            if j in self.ent_at and self.ent_at[j][0].subtype == "MEDIA":
                return self.ent_at[j][0].name
        seg = self.doc.text[self.t[k].end:start]
        for w in self.lex.channel_statement:
            if w in seg:
                return w
        return None


def quotes_stage(doc: Document) -> Document:
    doc.quotes = QuoteFinder(doc).run()
    doc.provided.add("quotes")
    return doc


quotes_stage.requires = ("entities", "relations")  # type: ignore[attr-defined]
quotes_stage.provides = ("quotes",)  # type: ignore[attr-defined]
