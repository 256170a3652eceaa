"""Finding people by the way Arabic news introduces them, and the roles that come with them.

A person is found after a rank (العقيد، المقدم …, with modifiers such as الطيار), after an
honorific (الأستاذ، المدعو …), after a role phrase and its organisation ("الناطق باسم جيش
الإسلام حمزة بيرقدار"), before a role phrase when the name is quoted, parenthesised or starts
with a known given name ("(منذر فارس) المتحدث الرسمي باسم …"), or after a speech verb when
parenthesised ("نفى (بيرقدار)"). The role phrase and its organisation become a role hint
(person span, role, org span, evidence) that ``roles`` turns into a relation.

Deliberately not done here: statistical NER (a later model stage adds names no rule sees) and
clustering the mentions into entities (``entities``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial

from rasid.datafiles import load_json, load_lines
from rasid.document import Document
from rasid.normalize import fold, fold_all, folded_words
from rasid.stages.tokens import proclitic_splits, pronoun_ha

_OPEN = {"“": "”", '"': '"', "«": "»", "(": ")", "„": "“", "'": "'", "”": "“"}


SAME_WORDS = fold_all(("نفسه", "نفسها", "ذاته", "ذاتها"))  # "المتحدثة نفسها", "الناطق ذاته": the same one


@dataclass(frozen=True)
class PersonMention:
    first: int  # token range [first, last)
    last: int
    start: int
    end: int
    rank: str | None
    strong: bool  # introduced by a rank, honorific, quotes or a role phrase


@dataclass(frozen=True)
class _Lex:
    ranks: dict[tuple[str, ...], str]
    ambiguous_ranks: frozenset[str]
    modifiers: frozenset[str]
    honorifics: frozenset[str]
    weak_honorifics: frozenset[str]
    particles: frozenset[str]
    roles: tuple[tuple[tuple[str, ...], str, bool], ...]  # tokens, role, expects ل clitic on org
    roles_by_first: dict[str, tuple[tuple[tuple[str, ...], str, bool], ...]]
    roles_after_org: tuple[tuple[tuple[str, ...], str], ...]
    fillers: frozenset[str]
    links: frozenset[str]
    stop: frozenset[str]
    given: frozenset[str]
    given_weak: frozenset[str]
    role_words: frozenset[str]
    folded_collisions: frozenset[str]
    nationality: frozenset[str]  # الأميركي، الروسية: may stand between a rank and the name
    known_as: frozenset[str]  # المعروف، الملقب …: another name of the person follows, in quotes
    known_as_links: frozenset[str]  # بـ، بلقب، بالاسم الحركي … between known_as and that name
    offices: frozenset[tuple[str, ...]]  # وزير، الرئيس، رئيس الوزراء …: before field + nationality + name
    kunya: frozenset[str]  # أبو/أبي/أبا: "father of", opening a kunya
    name_suffixes: frozenset[str]  # أوغلو: a word that ends a name
    honorific_phrases: frozenset[tuple[str, str]]  # شيخ العقل، سماحة الشيخ: a name follows
    common: frozenset[str]  # frequent non-entity words: "السلطات" is no third name (also the gazetteer's)
    complementisers: frozenset[str]  # إن/أن/بأن (quote cues): "الصادق آدم عيسى إن" ends the name
    speech_verbs: frozenset[str]  # قال، نفى … (quote cues): "وقال نبيل القدسي إن"
    abd_compounds: frozenset[str]  # ربه: "عبد ربه" is one given name like "عبد الله"
    inner_particles: frozenset[str]  # ولد: "إسماعيل ولد الشيخ أحمد", only inside a name




def _toks(s: str) -> tuple[str, ...]:
    return tuple(fold(s).split())


@lru_cache(maxsize=1)
def lexicon() -> _Lex:
    pc = load_json("person_cues.json")
    ranks = {_toks(k): v for k, v in pc["ranks"].items()}
    roles = []
    for r in pc["role_phrases"]:
        t = _toks(r["phrase"])
        if t[-1] == "ل":
            roles.append((t[:-1], r["role"], True))
        else:
            roles.append((t, r["role"], False))
    roles.sort(key=lambda x: -len(x[0]))
    after = tuple(sorted(((_toks(r["phrase"]), r["role"]) for r in pc["role_after_org"]),
                         key=lambda x: -len(x[0])))
    given = set(load_lines("given_names.txt")) | {fold(x) for x in load_lines("given_names_curated.txt")}
    weak = {fold(x) for x in load_lines("given_names_ambiguous.txt")}
    stop_words = load_lines("stopwords.txt")
    stop = frozenset(fold(w) for w in stop_words)
    collisions = frozenset(fold(w) for w in stop_words if w.endswith("ى")) & frozenset(given)
    role_words = frozenset(t for r, _, _ in roles for t in r) | frozenset(
        fold(h) for h in pc["honorifics"] + pc["weak_honorifics"]) | frozenset(k[0] for k in ranks)
    cues = load_json("quote_cues.json")
    countries = load_json("nationalities.json")["countries"]

    words = partial(folded_words, pc)  # one-word lists of person_cues.json, folded

    return _Lex(
        ranks=ranks,
        ambiguous_ranks=words("ambiguous_ranks"),
        modifiers=words("rank_modifiers"),
        honorifics=words("honorifics"),
        weak_honorifics=words("weak_honorifics"),
        particles=words("name_particles"),
        roles=tuple(roles),
        roles_by_first={f: tuple(r for r in roles if r[0][0] == f) for f in {r[0][0] for r in roles}},
        roles_after_org=after,
        fillers=words("org_fillers"),
        links=words("apposition_links"),
        stop=stop,
        given=frozenset(given - weak),
        given_weak=frozenset(weak),
        role_words=role_words,
        folded_collisions=collisions,
        nationality=frozenset(fold(a) for forms in countries.values() for a in forms["adjective"]),
        known_as=words("known_as"),
        known_as_links=words("known_as_links"),
        offices=frozenset(_toks(x) for x in pc.get("office_titles", ())),
        kunya=words("kunya_openers"),
        name_suffixes=words("name_suffix_words"),
        honorific_phrases=frozenset(t for t in (_toks(x) for x in pc.get("honorific_phrases", ())) if len(t) == 2),
        common=frozenset(load_lines("common_words.txt")),
        complementisers=frozenset(fold(w) for w in cues["complementisers"]),
        speech_verbs=frozenset(fold(w) for ws in cues["cues"].values() for w in ws),
        abd_compounds=words("abd_compounds"),
        inner_particles=words("inner_name_particles"))


def closes_a_family_name(doc: Document, i: int, names, loose: bool = True) -> bool:
    """Token i, a given name, is the end of a family name said again: as the last two words of a
    known full name (``names``: token ranges of people found) — "ياسر الحاج علي" … "واتهم الحاج
    علي نظام أسد" — or, ``loose``, after الحاج or a particle (أبو، بن، عبد …), or as the last word
    of a known name ("نوري محمود" … "ونفى محمود …")."""
    if i == 0:
        return False
    prev, cur = doc.tokens[i - 1].norm, doc.tokens[i].norm
    if loose and (prev == "الحاج" or prev in lexicon().particles):
        return True
    if loose and any(b - a >= 2 and doc.tokens[b - 1].norm == cur for a, b in names):
        return True  # "نوري محمود" … "ونفى محمود سيطرة …": the family name again, not "محمود سيطرة"
    return any(b - a >= 3 and (doc.tokens[b - 2].norm, doc.tokens[b - 1].norm) == (prev, cur) for a, b in names)


def role_priority() -> list[str]:
    return list(load_json("person_cues.json")["role_priority"])


class PersonFinder:
    """Runs the person rules over one document; ``orgs`` maps token index -> org match range."""

    def __init__(self, doc: Document, org_at: dict[int, tuple[int, int]],
                 entity_tokens: set[int], place_tokens: set[int] | None = None,
                 org_subtypes: dict[int, str | None] | None = None) -> None:
        self.doc = doc
        self.t = doc.tokens
        self.lex = lexicon()
        self.org_at = org_at
        self.entity_tokens = entity_tokens
        self.place_tokens = place_tokens or set()  # "محافظ حمص غسان عبد العال": a place as the office's field
        self.org_subtypes = org_subtypes or {}  # org start token -> subtype (MEDIA, ARMED_GROUP …)
        self.found: dict[tuple[int, int], PersonMention] = {}
        self.hints: list[tuple[tuple[int, int], str, tuple[int, int]]] = []
        self.seen_roles: dict[tuple[str, ...], tuple[str, tuple[int, int]]] = {}
        self.pending: list[tuple[int, str, tuple[int, int]]] = []  # (token after org, role, org)
        self.alias_of: dict[tuple[int, int], int] = {}  # a known-as name -> last token before it

    # --- token predicates
    def gap(self, a: int, b: int) -> str:
        """The text between token a and token b (b > a)."""
        return self.doc.text[self.t[a].end:self.t[b].start]

    def bare(self, i: int) -> str:
        n = self.t[i].norm
        return n[2:] if n.startswith("ال") and len(n) > 4 else n

    def is_stop(self, i: int) -> bool:
        n = self.t[i].norm
        if n in self.lex.folded_collisions:  # علي the name vs على the preposition
            return self.doc.text[self.t[i].end - 1] == "ى"
        return any(s in self.lex.stop for _, s in proclitic_splits(n)) or not n.isalpha()

    def namelike(self, i: int) -> bool:
        if i >= len(self.t) or self.is_stop(i):
            return False
        n = self.t[i].norm
        if n in self.lex.role_words or n in self.lex.modifiers:
            return False
        return not n.isascii() and len(n) >= 2

    def rank_at(self, i: int) -> tuple[str, int] | None:
        for size in (2, 1):
            key = tuple(self.bare(k) if k == i else self.t[k].norm
                        for k in range(i, min(i + size, len(self.t))))
            if len(key) == size and key in self.lex.ranks and (size == 1 or self.gap(i, i + 1).strip() == ""):
                j = i + size
                while j < len(self.t) and (self.t[j].norm in self.lex.modifiers or (
                        self.t[j].norm in self.lex.nationality and j + 1 < len(self.t)
                        and self.namelike(j + 1))):  # "العقيد الأميركي ريان ديلون"
                    j += 1
                if key[0] in self.lex.ambiguous_ranks and j == i + size and not (j < len(self.t) and (
                        self.t[j].norm in self.lex.given or self.quote_before(j) or (
                        # "اللواء سليم إدريس": a given name that is also a word, then a name (a
                        # modifier after the rank, "الفريق الركن", already settles it)
                        self.t[j].norm in self.lex.given_weak and self.namelike(j + 1)
                        and not self.gap(j, j + 1).strip()))):
                    return None
                return self.lex.ranks[key], j
        return None

    def quote_before(self, i: int) -> str | None:
        """The closing mark expected when token i opens a quoted or parenthesised name."""
        prev_end = self.t[i - 1].end if i else 0
        raw = self.doc.text[prev_end:self.t[i].start]
        between = raw.strip()
        if between.endswith('"') and raw != raw.rstrip():
            return None  # '"حزب الله" حسن': a straight mark with a space after it closes a quote
        return _OPEN.get(between[-1]) if between else None

    # --- reading a name
    def read_name(self, i: int, strong: bool) -> tuple[int, int] | None:
        if i >= len(self.t) or self.t[i].norm in self.lex.complementisers:
            return None  # "المهندس بأن": a title before what was said, not before a name
        close = self.quote_before(i)
        if close:
            j = i
            while j < len(self.t) and j - i < 4:
                j += 1
                if close in self.gap(j - 1, j) if j < len(self.t) else True:
                    break
            if j < len(self.t) and close not in self.doc.text[self.t[j - 1].end:self.t[j].start]:
                return None
            names = [k for k in range(i, j) if self.namelike(k) or self.t[k].norm in self.lex.particles]
            if names and len(names) == j - i:
                return i, j
            return None
        parts, j, limit = 0, i, 2
        while j < len(self.t) and parts < limit:
            if j > i and self.gap(j - 1, j).strip():
                break
            if j == i and self.t[j].norm == "عبد" and j + 1 < len(self.t) and (
                    self.t[j + 1].norm.startswith("ال") or self.t[j + 1].norm in self.lex.abd_compounds) \
                    and not self.gap(j, j + 1).strip():
                j += 2  # عبد الأمير، عبد ربه: one given name, then father's and family name
                parts, limit = 1, 3
                continue
            if j > i and self.t[j].norm == "الحاج" and not self.gap(j - 1, j).strip() and (
                    j + 1 >= len(self.t) or not self.namelike(j + 1) or self.gap(j, j + 1).strip()):
                j += 1  # "النقيب إيلي الحاج إن": الحاج ends the name as its family name
                parts += 1
                continue
            if j > i and self.t[j].norm == "الحاج" and j + 1 < len(self.t) and self.namelike(j + 1) \
                    and not self.gap(j, j + 1).strip():
                j += 2  # "مصطفى الحاج يوسف": الحاج inside a name is part of the family name
            elif j > i and self.t[j].norm in self.lex.inner_particles and j + 1 < len(self.t) \
                    and not self.gap(j, j + 1).strip():
                j += 2  # "إسماعيل ولد الشيخ أحمد": ولد and the next word are the family name
            elif self.t[j].norm in self.lex.particles and j + 1 < len(self.t) and self.namelike(j + 1) \
                    and not self.gap(j, j + 1).strip():
                kunya = j == i and self.t[j].norm in self.lex.kunya
                j = max(j + 2, self._particle_chain_end(j))  # "بن عبد الرحمن آل ثاني": one family name
                if kunya and self._laqab_at(j):
                    j += 1  # "أبو مهدي المهندس", "أبو بكر البغدادي": a kunya and its laqab
                    parts += 1
            elif j + 1 < len(self.t) and self.t[j + 1].norm == "الدين" and self.namelike(j) \
                    and not self.gap(j, j + 1).strip():
                j += 2  # حسام الدين، بحر الدين: a compound name is one part of the name
            elif (self.namelike(j) or (j == i and strong and self.t[j].norm in self.lex.given_weak)) \
                    and (j == i or j not in self.org_at):  # رائد الصالح: رائد is a rank word too
                if parts and not strong and self.t[j].norm in self.lex.given:
                    break
                j += 1
            else:
                break
            parts += 1
        if i < j < len(self.t) and self.t[j].norm == "الله" and not self.gap(j - 1, j).strip():
            j += 1  # نصر الله، فضل الله: "الله" ends a compound family name
        elif strong and parts == limit and j + 1 < len(self.t) and self.namelike(j) and j not in self.org_at \
                and self.t[j].norm not in self.lex.common and not self.gap(j - 1, j).strip() and (
                    re.match(r"\s*[،,(]", self.gap(j, j + 1)) or not self.t[j].norm.startswith("ال")
                    and self.t[j + 1].norm in self.lex.complementisers and not self.gap(j, j + 1).strip()):
            j += 1  # "الفريق أول محمد حمدان دقلو (حميدتي)"، "المحامي الصادق آدم عيسى إن": a third name
        elif strong and parts == limit and j + 2 < len(self.t) and self.t[j + 1].norm == "الدين" and \
                self.namelike(j) and not self.gap(j - 1, j).strip() and not self.gap(j, j + 1).strip() and \
                re.match(r"\s*[،,(]", self.gap(j + 1, j + 2)):
            j += 2  # "المحامي حامد بشارة تاج الدين،": a compound family name closed by a comma
        elif strong and parts and j + 1 < len(self.t) and self.t[j].norm in self.lex.honorifics and \
                not self.gap(j - 1, j).strip() and re.match(r"\s*[،,(]", self.gap(j, j + 1)):
            j += 1  # "العقيد عبد اللطيف السيد،": السيد، الشيخ as a family name, closed by a comma
        return (i, j) if j > i else None

    def add(self, rng: tuple[int, int], rank: str | None, strong: bool) -> tuple[int, int]:
        a, b = rng
        if rng not in self.found or (rank and not self.found[rng].rank):
            self.found[rng] = PersonMention(a, b, self._name_start(a), self.t[b - 1].end, rank, strong)
        return rng

    def _name_start(self, a: int) -> int:
        """Where the name in token a starts: past a preposition on a kunya ("بأبي محمد")."""
        tok = self.t[a]
        for clen, r in proclitic_splits(tok.norm):
            if clen and r in self.lex.kunya:
                return self.doc.normalized.offsets[tok.nstart + clen]
        return tok.start

    # --- rules
    def run(self) -> None:
        n = len(self.t)
        i = 0
        while i < n:
            r = self.rank_at(i)
            if r:
                rank, j = r
                if j < n and self.t[j].norm in self.lex.honorifics:
                    j += 1
                rng = self.read_name(j, True)
                if rng:
                    self.add(rng, rank, True)
                    self.look_right_for_role(rng)
                    i = rng[1]
                    continue
            rng = self.name_after_office(i)
            if rng:
                self.add(rng, None, True)
                self.look_right_for_role(rng)
                i = rng[1]
                continue
            if i + 2 < n and (proclitic_splits(self.t[i].norm)[-1][1], self.t[i + 1].norm) in self.lex.honorific_phrases:
                rng = self.read_name(i + 2, True)
                if rng and rng[1] - rng[0] >= 2:
                    self.add(rng, None, True)
                    i = rng[1]
                    continue
            hon = self.t[i].norm in self.lex.honorifics or (
                self.t[i].norm in self.lex.weak_honorifics and i + 1 < n and self.t[i + 1].norm in self.lex.given)
            if hon and (i == 0 or self.t[i - 1].norm not in self.lex.honorifics) and \
                    not (i + 1 < n and closes_a_family_name(self.doc, i + 1, self.found, loose=False)):
                rng = self.read_name(i + 1, True)
                if rng:
                    self.add(rng, None, True)
                    self.look_right_for_role(rng)
                    i = rng[1]
                    continue
            if self.t[i].norm in self.lex.known_as and i + 1 < n:
                if i and re.search(r"[،,]", self.gap(i - 1, i)):
                    self.person_ending_before(i)  # "أحمد الشرع، المعروف بأبي محمد الجولاني"
                j = i + 1  # past "بـ", "باسم", "بلقب", "بالاسم الحركي" to the quoted name
                while j < n and j - i < 4 and self.t[j].norm in self.lex.known_as_links:
                    j += 1
                rng = self.read_name(j, True) if j < n and self.quote_before(j) else self._kunya_at(j)
                if rng and rng[1] - rng[0] >= 2:  # المعروف بـ"أبو ماريا القحطاني"
                    if i and not re.search(r"[.؟?!:\n]", self.gap(i - 1, i)):
                        self.alias_of[rng] = i - 1  # the word before: the person it names, if one
                    self.add(rng, None, True)
                    i = rng[1]
                    continue
            rng = self.speaker_after_verb(i)
            if rng:
                self.add(rng, None, True)
                i = rng[1]
                continue
            role = self.role_at(i)
            if role:
                toks, rname, _ = role
                self.role_phrase(i, len(toks), rname, conjunct=self.t[i].norm != toks[0])
            elif not self.role_said_again(i) and not self.role_in_it(i):
                self.possessive_role(i)
            i += 1
        self.orgs_with_after_roles()

    def speaker_after_verb(self, i: int) -> tuple[int, int] | None:
        """"وقال نبيل القدسي إن", "ونفى أمين الحسيني، في تصريح، أن": a speech verb, a given name
        that is also a word (or a kunya), a family name, then a complementiser or a comma. Between a verb of
        speech and what was said the words are the speaker, so the frame makes it a name."""
        n = len(self.t)
        if i + 3 >= n or self.gap(i, i + 1).strip() or not (
                self.t[i + 1].norm in self.lex.given_weak or self.t[i + 1].norm in self.lex.kunya):
            return None  # (a kunya too: "قال أبو كنان الطفسي، الذي يقود المسلحين، …")
        rng = self.read_name(i + 1, True)
        if not rng or rng[1] - rng[0] < 2 or rng[1] >= n or \
                any(k in self.entity_tokens or k in self.org_at for k in range(rng[0], rng[1])) or \
                any(self.t[k].norm in self.lex.common for k in range(rng[0] + 1, rng[1])):
            return None  # "وقال أمين العاصمة إن": an office and a common word, not a name
        if closes_a_family_name(self.doc, rng[1] - 1, self.found, loose=False):
            return None  # "وأضاف نصر الله أن": the family name of "حسن نصر الله" said again
        return rng if self._speech_frame(rng) else None

    def _speech_frame(self, rng: tuple[int, int]) -> bool:
        """The name at rng stands between a verb of speech and what was said ("وقال … إن",
        "ونفى …، في تصريح، أن"): a frame that marks it as the speaker, so a name."""
        a, b = rng
        if a == 0 or b >= len(self.t) or self.gap(a - 1, a).strip() or \
                self.lex.speech_verbs.isdisjoint(stem for _, stem in proclitic_splits(self.t[a - 1].norm)):
            return False
        return self.t[b].norm in self.lex.complementisers or bool(re.search(r"[،,]", self.gap(b - 1, b)))

    def role_said_again(self, i: int) -> bool:
        """"قال المتحدث العسكري باسم غرفة عمليات …" and later "وأضاف المتحدث العسكري، المقدم
        أحمد العبود": the role phrase again without its organisation, then a name set off by a
        comma, names the person who holds that role in that organisation."""
        for bare, (role, org) in self.seen_roles.items():
            n = len(bare)
            if i + n >= len(self.t) or proclitic_splits(self.t[i].norm)[-1][1] != bare[0] or \
                    any(self.t[i + m].norm != bare[m] for m in range(1, n)):
                continue
            k = i + n
            if k < len(self.t) and self.t[k].norm in SAME_WORDS:
                k += 1  # "وكانت المتحدثة نفسها، ليلوى العبد الله،"
            gap = self.gap(k - 1, k) if k < len(self.t) else ""
            if re.fullmatch(r"\s*[،,]\s*", gap):
                rng, rank = self.named_at(k)
            elif not gap.strip() and k < len(self.t) and self.t[k].norm in self.lex.given:
                rng, rank = self.read_name(k, True), None  # "وأضاف المتحدث ماجد الأنصاري، في إحاطة"
                rng = rng if rng and rng[1] - rng[0] >= 2 else None
            else:
                continue
            if rng:
                self.add(rng, rank, True)
                self.hints.append((rng, role, org))
                return True
        return False

    def possessive_role(self, i: int) -> None:
        """"بثت الهيئة مقطعاً لقائدها أحمد الشرع": a one-word role with a pronoun (قائدها،
        زعيمه، رئيسها) before a name belongs to the last organisation named earlier in the
        sentence."""
        for _, stem in proclitic_splits(self.t[i].norm):
            base = next((stem[:-len(x)] for x in ("ها", "هم", "ه") if stem.endswith(x) and len(stem) > len(x) + 2), None)
            if base is None:
                continue
            role = next((rname for toks, rname, _ in self.lex.roles_by_first.get(base, ()) if len(toks) == 1), None)
            if role is None:
                continue
            orgs = self._orgs_before_in_sentence(i)
            if not orgs:
                return
            rng, rank = self.named_at(i + 1)
            if rng:
                self.add(rng, rank, True)
                self.hints.append((rng, role, max(orgs)))
            return

    def _orgs_before_in_sentence(self, i: int) -> list[tuple[int, int]]:
        """Organisations (not media or monitors: not "على تلغرام") named before token i in its
        sentence, as token ranges."""
        sent = self.doc.sentence_at(self.t[i].start)
        return [rng for start, rng in self.org_at.items() if start < i and rng[1] <= i
                and (sent is None or self.t[start].start >= sent.start)
                and self.org_subtypes.get(start) not in ("MEDIA", "MONITOR")]

    def _kunya_at(self, j: int) -> tuple[int, int] | None:
        """An unquoted kunya after a known-as word: "بأبي محمد الجولاني", "أبو ماريا القحطاني"."""
        if j >= len(self.t) or self.lex.kunya.isdisjoint(r for _, r in proclitic_splits(self.t[j].norm)):
            return None
        k = j + 1
        while k < len(self.t) and k - j <= 2 and self.namelike(k) and not self.gap(k - 1, k).strip():
            k += 1
        return (j, k) if k - j >= 2 else None

    def name_after_office(self, i: int) -> tuple[int, int] | None:
        """"وزير الخارجية التركي مولود جاووش أوغلو": an office (token i), at most two words of
        its field, a nationality adjective, then a name of two or more words."""
        for size in (2, 1):
            if tuple(self.t[k].norm for k in range(i, min(i + size, len(self.t)))) not in self.lex.offices:
                continue
            for k in range(i + size, min(i + size + 3, len(self.t) - 1)):
                if self.gap(k - 1, k).strip():
                    return None
                if self.t[k].norm in self.lex.nationality or (k in self.place_tokens and k + 1 not in self.place_tokens):
                    if self.gap(k, k + 1).strip():
                        end = self.comma_apposition_end(k + 1)  # "مختار علما الشعب، إيلي نعمة، …"
                        return (k + 1, end) if end is not None else None
                    rng = self.read_name(k + 1, True)
                    # a third word in this frame is still the name: "جاووش أوغلو" (the Turkish
                    # patronymic), "رجب طيب أردوغان", "جان إيف لودريان"
                    nxt = self.t[rng[1]].norm if rng and rng[1] < len(self.t) else ""
                    if rng and rng[1] - rng[0] == 2 and nxt and \
                            not self.gap(rng[1] - 1, rng[1]).strip() and (
                                nxt in self.lex.name_suffixes or self.namelike(rng[1]) and nxt not in self.lex.common):
                        rng = (rng[0], rng[1] + 1)
                    return rng if rng and rng[1] - rng[0] >= 2 else None
            return None
        return None

    def role_at(self, i: int):
        """The role phrase starting at token i (its first word may carry و/ف), if any."""
        for _, stem in proclitic_splits(self.t[i].norm):
            hit = self._role_from(i, stem)
            if hit and len(hit[0]) == 1 and hit[0][0].endswith("ه") and pronoun_ha(self.doc, self.t[i]):
                return None  # "مديره" (its director), not "مديرة" (a director): see possessive_role
            if hit:
                return hit
        return None

    def _role_from(self, i: int, stem: str):
        for toks, rname, lcl in self.lex.roles_by_first.get(stem, ()):
            k = len(toks)
            if i + k > len(self.t):
                continue
            if any(self.t[i + m].norm != toks[m] or self.gap(i + m - 1, i + m).strip()
                   for m in range(1, k)):
                continue
            return toks, rname, lcl
        return None

    def org_after(self, j: int) -> tuple[int, int] | None:
        skipped = 0
        while j < len(self.t) and skipped <= 2:
            if j in self.org_at:
                return self.org_at[j]
            if self.t[j].norm in self.lex.fillers:
                j += 1
                skipped += 1
                continue
            return None
        return None

    def role_phrase(self, i: int, k: int, role: str, conjunct: bool = False) -> None:
        # "قائد قوات الأمن الخاصة": the phrase's last word may open the organisation's name
        # (not "المستشار السياسي لقائد قوات الدعم السريع، يوسف عزت": his adviser, not him)
        org = self.org_after(i + k) or (self.org_at.get(i + k - 1) if k > 1 and not self.t[i].norm.startswith("ل")
                                        else None)
        if not org:
            self._named_after_unknown_org(i + k)
            return
        # a person named after the organisation (… جيش الإسلام حمزة بيرقدار), maybe after "في X"
        j = org[1]
        if j in self.org_at and "(" in self.gap(j - 1, j):
            j = self.org_at[j][1]  # past its other name in parentheses: "وزارة الدفاع (البنتاغون)، العميد …"
        if j < len(self.t) and self.t[j].norm == "في" and j + 1 in self.org_at:
            j = self.org_at[j + 1][1]
        elif j < len(self.t) and self.t[j].norm == "في" and j + 1 < len(self.t) and (j + 1) in self.entity_tokens:
            j += 1
            while j < len(self.t) and j in self.entity_tokens:
                j += 1
        starts = [j]
        after_modifier = self.after_comma(j)
        if after_modifier is not None and after_modifier != j:
            starts.append(after_modifier)
        after_conjunct = self._after_conjunct_role(j)
        if after_conjunct is not None:
            starts.append(after_conjunct)  # "رئيس مجلس السيادة وقائد الجيش عبد الفتاح البرهان"
        after_title = self._after_second_title(j)
        if after_title is not None:
            starts.append(after_title)
        bare = toks = tuple(self.t[m].norm for m in range(i, i + k))
        bare = (proclitic_splits(toks[0])[-1][1],) + toks[1:-1] if toks[-1] == "باسم" else ()
        if len(bare) >= 1:
            self.seen_roles[bare] = (role, org)  # "وأضاف المتحدث العسكري، المقدم …" later
            if len(bare) > 1:  # "المتحدث الرسمي باسم …", later "وأضاف المتحدث، العميد …"
                self.seen_roles.setdefault(bare[:1], (role, org))
        for j in starts:
            rng, rank = self.named_at(j)
            if rng:
                self.add(rng, rank, True)
                self.hints.append((rng, role, org))
                return
        # a person named before the phrase: "(منذر فارس) المتحدث الرسمي باسم"; not across a
        # conjunction ("ياسر دلوان وقائد فيلق الرحمن" is two people)
        back = None if conjunct else self.person_ending_before(i)
        if back:
            self.hints.append((back, role, org))
        else:  # a name no list knows ("المتحدث باسم قسد كينو غابرييل"): the tagger may find it
            self.pending.extend((j, role, org) for j in starts)

    def role_in_it(self, i: int) -> bool:
        """"ونفت حركة "أحرار الشام" …، وقال القيادي فيها، الفاروق أبو بكر،": a role phrase ending
        in "في" said with a pronoun (فيها، فيه) belongs to the last organisation named before it
        in the sentence, and the name set off by commas after it holds that role."""
        for _, stem in proclitic_splits(self.t[i].norm):
            for toks, role, _ in self.lex.roles_by_first.get(stem, ()):
                n = len(toks)
                if toks[-1] != "في" or i + n >= len(self.t) or self.t[i + n - 1].norm not in ("فيها", "فيه") or \
                        any(self.t[i + m].norm != toks[m] for m in range(1, n - 1)):
                    continue
                j = i + n - 1
                orgs = self._orgs_before_in_sentence(i)
                if not orgs:
                    return False
                end = self.comma_apposition_end(j + 1)
                rng, rank = ((j + 1, end), None) if end is not None else self.named_at(j + 1)
                if not rng:
                    return False
                self.add(rng, rank, True)
                self.hints.append((rng, role, max(orgs)))
                return True
        return False

    def _after_second_title(self, j: int) -> int | None:
        """"الناطق باسم الحكومة الأردنية، وزير الدولة لشؤون الإعلام محمد المومني": after the
        comma a second title (an office or a role word), then the name, which holds the first
        role too. The name must start with a known given name within six words, with no
        punctuation or complementiser before it."""
        if j >= len(self.t) or not re.search(r"[،,]", self.gap(j - 1, j)):
            return None
        if not any(w in self.lex.role_words or (w,) in self.lex.offices for _, w in proclitic_splits(self.t[j].norm)):
            return None
        for m in range(j + 1, min(j + 7, len(self.t))):
            if re.search(r"[.؟?!:،,\n]", self.gap(m - 1, m)) or self.t[m].norm in self.lex.complementisers:
                return None
            if self.t[m].norm in self.lex.given and m not in self.entity_tokens:
                return m
        return None

    def _after_conjunct_role(self, j: int) -> int | None:
        """Token j opens a second role of the same person, joined by و ("وقائد الجيش"): where
        that role's organisation ends, so the name after it also holds the first role."""
        if j >= len(self.t) or not self.t[j].norm.startswith("و") or self.gap(j - 1, j).strip():
            return None
        role = self.role_at(j)
        if not role or self.t[j].norm == role[0][0]:
            return None
        org = self.org_after(j + len(role[0])) or (
            self.org_at.get(j + len(role[0]) - 1) if len(role[0]) > 1 else None)
        return org[1] if org else None

    def _named_after_unknown_org(self, j: int) -> None:
        """"رئيس الفريق الحكومي المفاوض في ملف طرق تعز، نبيل القدسي،": a role phrase whose
        organisation no list knows, then a name set off by a comma. The comma and the role make
        the context strong enough for a given name that is also a word (نبيل، أمين); the
        person is found even though the role has no organisation to attach to."""
        m = self.after_comma(j)
        if m is None or m == j or m >= len(self.t):
            return
        r = self.rank_at(m)
        first = self.t[r[1]].norm if r and r[1] < len(self.t) else self.t[m].norm
        if r or first in self.lex.given or first in self.lex.given_weak:
            rng, rank = self.named_at(m)
            if rng and rng[1] - rng[0] >= 2:
                self.add(rng, rank, True)
            return
        end = self.comma_apposition_end(m)  # "المتحدثة باسم مفوضية …، رافينا شمداساني، إن": a name
        if end is not None and end - m >= 2 and m > 0 and self.t[m - 1].norm not in self.lex.complementisers:
            self.add((m, end), None, True)

    def named_at(self, j: int) -> tuple[tuple[int, int] | None, str | None]:
        """A person named from token j on, after a role phrase and its organisation: after a rank
        or honorific, in quotes, with a given name or particle, or set off by commas."""
        if j >= len(self.t) or re.search(r"[.؟?!:]", self.gap(j - 1, j)):
            return None, None
        rank = None
        r = self.rank_at(j)
        if r:
            rank, j = r
        if j < len(self.t) and self.t[j].norm in self.lex.honorifics:
            j += 1
        first = self.t[j].norm if j < len(self.t) else ""
        end = self.comma_apposition_end(j)
        if end is not None and end - j == 3 and not rank:
            return (j, end), None  # all three words set off by commas
        if rank or self.quote_before(j) or first in self.lex.given or first in self.lex.particles \
                or (j > 0 and self.t[j - 1].norm in self.lex.honorifics) or end is not None:
            return self.read_name(j, True), rank
        if first in self.lex.given_weak:  # "حسن نصر الله" right after role and organisation
            rng = self.read_name(j, True)
            if rng and rng[1] - rng[0] >= 2:
                return rng, None
        return None, None

    def after_comma(self, j: int) -> int | None:
        """The token after the comma that closes a short modifier of the organisation ("رئيس
        اللجنة الأمنية التابعة للنظام في درعا، اللواء …", "القائد العسكري لفيلق الشام في قطاع
        حماة، الرائد …", "(أونروا)، كريس غانيس"): at most 8 words, none of them a verb of speech
        or a sentence break, and not past a complementiser (what was said starts there:
        "المتحدث باسم المركز إن "… جرحى، بينهم مدنيون، …"")."""
        # (an aside opened by "وهو"/"وهي" may be longer: "…، وهو تحالف يضم الحركات التي …، محمد …")
        reach = 13 if j < len(self.t) and self.t[j].norm in ("وهو", "وهي") else 9
        for m in range(j, min(j + reach, len(self.t))):
            gap = self.gap(m - 1, m)
            if re.search(r"[.؟?!:\n]", gap) or self.t[m].norm in self.lex.complementisers:
                return None
            if m > j and ("،" in gap or "," in gap):
                return m
        return None

    def comma_apposition(self, j: int) -> bool:
        """Token j starts a two- or three-word name set off by commas right after a role phrase
        and its organisation ("مدير “الدفاع المدني السوري”، رائد الصالح، …"): in that frame a
        name needs no known given name."""
        return self.comma_apposition_end(j) is not None

    def comma_apposition_end(self, j: int) -> int | None:
        """The end of that name (its three words, "مني أركو مناوي", are all kept), or None."""
        if j >= len(self.t) or "،" not in self.gap(j - 1, j) and "," not in self.gap(j - 1, j):
            return None
        k = j
        while k < len(self.t) and k - j < 3 and k not in self.entity_tokens \
                and (self.namelike(k) or (k == j and self.t[k].norm in self.lex.given_weak)) \
                and (k == j or not self.gap(k - 1, k).strip()):
            k += 1
        ok = 2 <= k - j and k < len(self.t) and ("،" in self.gap(k - 1, k) or "," in self.gap(k - 1, k))
        return k if ok else None

    def person_ending_before(self, i: int) -> tuple[int, int] | None:
        j = i - 1
        while j >= 0 and self.t[j].norm in self.lex.links:
            j -= 1
        if j < 0:
            return None
        for rng in self.found:
            if rng[1] == j + 1 and not re.search(r"[.؟?!:\n]", self.gap(j, i)):
                return rng
        # quoted/parenthesised or given-name-led name right before the phrase
        gap = self.gap(j, j + 1) if j + 1 < len(self.t) else ""
        if "\n" in gap or re.search(r"[.؟?!:]", gap):
            return None
        for size in (3, 2, 1):
            a = j - size + 1
            if a < 0:
                continue
            rng = self.read_name(a, True)
            if rng and rng[1] == j + 1 and (self.quote_before(a) or self.t[a].norm in self.lex.given):
                if a > 0 and self.rank_at(a - 1):
                    rank = self.rank_at(a - 1)[0]
                else:
                    rank = None
                return self.add(rng, rank, True)
        return None

    def look_right_for_role(self, rng: tuple[int, int]) -> None:
        j = rng[1]
        while j < len(self.t) and self.t[j].norm in self.lex.links:
            j += 1
        if j < len(self.t) and re.search(r"[.؟?!:\n]", self.gap(rng[1] - 1, j) if j > rng[1] - 1 else ""):
            return
        role = self.role_at(j) if j < len(self.t) else None
        if role and self.t[j].norm == role[0][0]:  # "وقائد …" starts a new conjunct
            toks, rname, _ = role
            org = self.org_after(j + len(toks))
            if org:
                self.hints.append((rng, rname, org))

    def orgs_with_after_roles(self) -> None:
        """"المرصد السوري الذي يديره المدعو رامي عبد الرحمن": the org, then its head."""
        for start, (a, b) in list(self.org_at.items()):
            if start != a:
                continue
            for toks, role in self.lex.roles_after_org:
                k = len(toks)
                if b + k <= len(self.t) and tuple(self.t[b + m].norm for m in range(k)) == toks:
                    j, rank = b + k, None
                    r = self.rank_at(j) if j < len(self.t) else None
                    if r:  # "بقيادة المشير خليفة حفتر"
                        rank, j = r
                    if j < len(self.t) and self.t[j].norm in self.lex.honorifics:
                        j += 1
                    rng = self.read_name(j, True)
                    if rng:
                        self.add(rng, rank, True)
                        self.hints.append((rng, role, (a, b)))

    def _laqab_at(self, k: int) -> bool:
        """Token k, right after a kunya, is its laqab or nisba: a definite word that is neither
        a function word, a complementiser, a role nor a rank (المهندس, البغدادي, الجولاني)."""
        if k >= len(self.t) or self.gap(k - 1, k).strip():
            return False
        w = self.t[k].norm
        return w.startswith("ال") and len(w) > 4 and w not in self.lex.stop and \
            w not in self.lex.complementisers and w not in self.lex.roles_by_first and \
            not any(r[0] == w[2:] for r in self.lex.ranks) and k not in self.entity_tokens and k not in self.org_at

    def _particle_chain_end(self, k: int) -> int:
        """The end of a chain of particle + name ("بن عبد الرحمن آل ثاني") from token k."""
        while k + 1 < len(self.t) and self.t[k].norm in self.lex.particles and not self.gap(k, k + 1).strip() \
                and k + 1 not in self.entity_tokens:
            if self.t[k + 1].norm == "عبد" and k + 2 < len(self.t) and self.t[k + 2].norm.startswith("ال") \
                    and not self.gap(k + 1, k + 2).strip():
                k += 3  # "بن عبد الرحمن": عبد and its noun are one name
            elif self.namelike(k + 1):
                k += 2
            else:
                break
        return k

    def _fathers_names_end(self, k: int) -> int:
        """After a compound name (عبد القادر، علي عبد الله), a father's given name and at most one
        more name-like word on the same line are the rest of the name: "عبد القادر محمد نور"."""
        if k >= len(self.t) or self.t[k].norm not in self.lex.given | self.lex.given_weak \
                or self.gap(k - 1, k).strip() or k in self.entity_tokens:
            return k
        k += 1
        if k < len(self.t) and self.namelike(k) and self.t[k].norm not in self.lex.common and \
                not self.gap(k - 1, k).strip() and k not in self.entity_tokens:
            k += 1
        return k

    def given_name_people(self) -> None:
        """Weakest rule: a known given name followed by a name-like word on the same line.

        Not when the given name ends a family name said again ("ياسر الحاج علي" … "واتهم الحاج
        علي نظام أسد": علي closes the surname, it does not start "علي نظام")."""
        for i in range(len(self.t) - 1):
            if i in self.entity_tokens or any(a <= i < b for a, b in self.found):
                continue
            if closes_a_family_name(self.doc, i, self.found):
                continue
            if self.t[i].norm in self.lex.given and not self.is_stop(i) and i + 2 < len(self.t) and \
                    self.t[i + 1].norm in self.lex.inner_particles and self.t[i + 2].norm.isalpha() and \
                    not self.gap(i, i + 1).strip() and not self.gap(i + 1, i + 2).strip():
                end = i + 3  # "إسماعيل ولد الشيخ أحمد"
                if end < len(self.t) and self.namelike(end) and not self.gap(end - 1, end).strip():
                    end += 1
                self.add((i, end), None, self._speech_frame((i, end)) or end - i == 4)
                continue
            if self.t[i].norm in self.lex.given and not self.is_stop(i) and i + 2 < len(self.t) and \
                    self.t[i + 1].norm in self.lex.particles and self.namelike(i + 2) and \
                    not self.gap(i, i + 1).strip() and not self.gap(i + 1, i + 2).strip() and \
                    (i + 1) not in self.entity_tokens and (i + 2) not in self.entity_tokens:
                end = self._particle_chain_end(i + 1)
                if self.t[i + 1].norm == "عبد":
                    end = self._fathers_names_end(end)  # "علي عبد الله صالح"
                self.add((i, end), None, self._speech_frame((i, end)))
                continue  # "وسيم أبو فخر", "محمد بن عبد الرحمن آل ثاني": particles open the family name
            if self.t[i].norm in self.lex.given and not self.is_stop(i) and self.namelike(i + 1) and \
                    not self.gap(i, i + 1).strip() and (i + 1) not in self.entity_tokens:
                nxt = self.t[i + 1].norm
                if nxt in self.lex.given or nxt.startswith("ال") or not nxt.startswith(("ي", "ت", "ن")):
                    end = i + 2
                    if end < len(self.t) and not self.gap(end - 1, end).strip() and (
                            self.t[end].norm in ("الدين", "الله") or nxt == "عبد" and self.t[end].norm.startswith("ال")):
                        end += 1  # "سعد بحر الدين", "خميس عبد الله": the compound is one name
                    if self.t[i].norm == "عبد" and nxt.startswith("ال"):
                        end = self._fathers_names_end(end)  # "عبد القادر محمد نور"
                    self.add((i, end), None, self._speech_frame((i, end)))
