"""Token features for the CRF tagger: word form, clitics, shape, context and gazetteers.

A CRF without pre-trained embeddings only knows the words it saw in training, so most of the
signal for unseen names has to come from elsewhere: the clitic-stripped stem (``وبالقاهرة`` and
``القاهرة`` share one), affixes (nisba ``ي``/``ية``, the article), the neighbouring words
and whether they are cue words of rasid's lexicons (titles and ranks before a person, head
nouns such as ``مدينة`` before a place), and whether a token begins or continues a name in one
of rasid's gazetteers. Gazetteer hits are features, not decisions: the model learns how far to
trust each list (the ANERGazet lists are noisy, the rasid lists are curated).

Everything is computed on ``rasid.normalize.fold`` forms so that spelling variants (أ/ا, ى/ي,
ة/ه, diacritics, tatweel) share features. ``FEATURES_VERSION`` changes whenever the features
change; a model is only valid with the version it was trained with (``CrfTagger`` checks the
packaged model's version, recorded in ``ner-crf.metrics.json``).

``given_names.txt`` is deliberately not used: it is derived from the whole of ANERcorp,
test split included, so it would leak test names into the evaluation.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rasid.datafiles import load_json, load_lines
from rasid.normalize import fold
from rasid.stages.tokens import proclitic_splits, tokenize_normalized

FEATURES_VERSION = 1

#: (data file, entity type) of the name lists; JSON files have "entries" with name/aliases.
GAZETTEERS: tuple[tuple[str, str], ...] = (
    ("orgs.json", "ORG"),
    ("outlets.json", "ORG"),
    ("places.json", "LOC"),
    ("ANERGazet_Org.txt", "ORG"),
    ("ANERGazet_Loc.txt", "LOC"),
    ("ANERGazet_Pers.txt", "PERS"),
    ("given_names_curated.txt", "GIVEN"),
)
_MAX_NAME = 6  # longest name (in tokens) matched as a span


@dataclass(frozen=True)
class NameLists:
    """Folded names by type: ``spans[type][first token]`` = the token tuples starting there."""

    spans: dict[str, dict[str, frozenset[tuple[str, ...]]]]
    inside: dict[str, frozenset[str]]  # tokens found after the first one in some name


def _names(file: str) -> list[str]:
    if file.endswith(".json"):
        out = []
        for e in load_json(file)["entries"]:
            out.append(e["name"])
            out.extend(e.get("aliases") or ())
        return out
    # ANERGazet files separate groups with lines of "====" / "****"
    return [ln for ln in load_lines(file) if any(c.isalpha() for c in ln)]


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    spans: dict[str, dict[str, set[tuple[str, ...]]]] = defaultdict(lambda: defaultdict(set))
    inside: dict[str, set[str]] = defaultdict(set)
    for file, typ in GAZETTEERS:
        for name in _names(file):
            toks = tuple(t for _, _, t in tokenize_normalized(fold(name)))
            if not toks or len(toks) > _MAX_NAME:
                continue
            spans[typ][toks[0]].add(toks)
            inside[typ].update(toks[1:])
    return NameLists(
        spans={t: {k: frozenset(v) for k, v in d.items()} for t, d in spans.items()},
        inside={t: frozenset(v) for t, v in inside.items()})


@lru_cache(maxsize=1)
def cue_words() -> dict[str, frozenset[str]]:
    """Folded words that announce a name: titles and ranks (PERS), heads (ORG/LOC), nisbas.

    They rarely belong to the name itself in ANERcorp (``الرئيس`` is O) but say what follows.
    """
    pc, heads, nat = load_json("person_cues.json"), load_json("heads.json"), load_json("nationalities.json")
    groups = {
        "PERS": [*pc["ranks"], *pc["honorifics"], *pc["weak_honorifics"], *pc["rank_modifiers"]],
        "PART": pc["name_particles"],
        "ORG": [*heads["org_heads"], *heads["quoted_org_heads"]],
        "LOC": [*heads["place_heads"], heads["countryside"], *heads["directions"]],
        "NAT": [w for c in nat["countries"].values() for k in ("adjective", "plural") for w in c.get(k, ())],
    }
    out: dict[str, set[str]] = defaultdict(set)
    for label, words in groups.items():
        for w in words:
            f = fold(w)
            if " " not in f:
                out[f].add(label)
                if f.startswith("ال") and len(f) > 3:
                    out[f[2:]].add(label)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _name_index() -> tuple[tuple[str, ...], dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(types in order, token -> types with a name beginning with it, token -> types with a name
    containing it after the first token): one dict lookup per reading instead of one per type."""
    lists = name_lists()
    begins: dict[str, set[str]] = defaultdict(set)
    inside: dict[str, set[str]] = defaultdict(set)
    for typ, d in lists.spans.items():
        for tok in d:
            begins[tok].add(typ)
        for tok in lists.inside[typ]:
            inside[tok].add(typ)
    return (tuple(lists.spans), {k: frozenset(v) for k, v in begins.items()},
            {k: frozenset(v) for k, v in inside.items()})


_CHAR_CLASS: dict[str, str] = {}


def _char_class(ch: str) -> str:
    if ch.isdigit():
        c = "D"
    elif "\u0600" <= ch <= "\u06ff":
        c = "A"
    elif ch.isalpha():
        c = "L"
    else:
        c = "P"
    _CHAR_CLASS[ch] = c
    return c


def _shape(word: str) -> str:
    """A coarse shape: A(rabic letter), L(atin), D(igit), P(unctuation), runs collapsed."""
    out = ""
    classes = _CHAR_CLASS
    for ch in word:
        c = classes.get(ch) or _char_class(ch)
        if not out or out[-1] != c:
            out += c
    return out


_OFFSETS = (-2, -1, 1, 2)


@lru_cache(maxsize=200_000)
def _word_info(word: str) -> tuple[str, str, tuple[str, ...], tuple[str, ...],
                                   tuple[tuple[str, ...], ...]]:
    """(folded form, stem, readings, own features, features it lends its neighbours).

    The last item holds, for each offset of ``_OFFSETS``, the finished feature strings this
    word contributes to the token at that distance, so that tagging a sentence only joins
    cached strings (the cache is what makes fast mode fast).
    """
    f = fold(word) or word
    splits = proclitic_splits(f)
    readings = tuple(r for _, r in splits)
    cut, stem = splits[-1]
    clitics = f[:cut]
    bare = stem[2:] if stem.startswith("ال") and len(stem) > 3 else stem
    feats = [
        "w=" + f, "stem=" + stem, "bare=" + bare, "cl=" + clitics,
        "p2=" + f[:2], "p3=" + f[:3], "p4=" + f[:4],
        "s1=" + f[-1:], "s2=" + f[-2:], "s3=" + f[-3:], "s4=" + f[-4:],
        "bs1=" + bare[-1:], "bs2=" + bare[-2:], "bp2=" + bare[:2],
        "shape=" + _shape(f), "len=" + str(min(len(bare), 8)),
    ]
    if stem.startswith("ال"):
        feats.append("al")
    if not f.isalpha() and any(c.isdigit() for c in f):
        feats.append("digit")
    if f.isascii() and f.isalpha():
        feats.append("latin")
        if word[:1].isupper():
            feats.append("cap")
    lent = []  # cue and gazetteer features, which the neighbours at distance 1 see too
    cues = cue_words()
    for label in sorted(cues.get(stem, ()) or cues.get(f, ())):
        lent.append("cue=" + label)
    types, begins, inside = _name_index()
    hit_b = [begins[r] for r in (*readings, bare) if r in begins]
    hit_i = [inside[r] for r in (f, stem) if r in inside]
    if hit_b or hit_i:
        b, i = frozenset().union(*hit_b), frozenset().union(*hit_i)
        for typ in types:
            if typ in b:
                lent.append("gbeg=" + typ)
            if typ in i:
                lent.append("gin=" + typ)
    feats += lent
    ctx = (("-2w=" + f, "-2stem=" + stem),
           ("-1w=" + f, "-1stem=" + stem, *["-1" + g for g in lent]),
           ("1w=" + f, "1stem=" + stem, *["1" + g for g in lent]),
           ("2w=" + f, "2stem=" + stem))
    # as seen from the token at distance -off: index by the neighbour's offset
    return f, stem, readings, tuple(feats), ctx


def _gazetteer_spans(folded: list[str], readings: list[tuple[str, ...]]) -> list[list[str]]:
    """B/I features for the longest gazetteer name of each type starting at each token.

    The first token may carry proclitics (``وبغداد``), the others must match as folded.
    """
    n = len(folded)
    out: list[list[str]] = [[] for _ in range(n)]
    for typ, d in name_lists().spans.items():
        i = 0
        while i < n:
            best = 0
            for r in readings[i]:
                for toks in d.get(r, ()):
                    k = len(toks)
                    if k > best and i + k <= n and tuple(folded[i + 1:i + k]) == toks[1:]:
                        best = k
            if best:
                out[i].append(f"gB={typ}" if best > 1 else f"gS={typ}")
                for j in range(i + 1, i + best):
                    out[j].append(f"gI={typ}")
                i += best
            else:
                i += 1
    return out


def sentence_features(words: list[str]) -> list[list[str]]:
    """The CRF features of every token of one sentence."""
    infos = [_word_info(w) for w in words]
    folded = [x[0] for x in infos]
    gaz = _gazetteer_spans(folded, [x[2] for x in infos])
    ctx = [x[4] for x in infos]
    n = len(words)
    e2, e1, e_1, e_2 = _EDGE
    out = []
    for i in range(n):
        feats = ["bias", *infos[i][3]]
        if gaz[i]:
            feats += gaz[i]
        if i >= 2:
            feats += ctx[i - 2][0]
        else:
            feats.append(e2)
        if i >= 1:
            feats += ctx[i - 1][1]
            if gaz[i - 1]:
                feats += ["-1" + g for g in gaz[i - 1]]
        else:
            feats.append(e1)
        if i + 1 < n:
            feats += ctx[i + 1][2]
            if gaz[i + 1]:
                feats += ["1" + g for g in gaz[i + 1]]
        else:
            feats.append(e_1)
        if i + 2 < n:
            feats += ctx[i + 2][3]
        else:
            feats.append(e_2)
        if i > 0:
            feats.append(f"-1w|w={folded[i - 1]}|{folded[i]}")
        if i + 1 < n:
            feats.append(f"w|+1w={folded[i]}|{folded[i + 1]}")
        out.append(feats)
    return out


_EDGE = tuple(f"{off}w=<{'BOS' if off < 0 else 'EOS'}>" for off in _OFFSETS)
