"""Arabic-aware full-text search over sentences (SQLite FTS5).

Index and query go through the same reduction: normalisation (diacritics, tatweel, letter
variants, obfuscation such as السـ.لاح) and clitic stripping (و، ف، ب، ل، ك، ال), so
``السلاح`` finds ``للسـِلاح`` and ``السـ.لاح``. FTS5 does the lookup; Python only marks the hit
inside the few sentences returned.
"""
from __future__ import annotations

from dataclasses import dataclass

from rasid.errors import QueryError
from rasid.normalize import normalize
from rasid.stages.tokens import search_stem, tokenize_normalized


# A phrase that matches more sentences than this is ranked over its latest (most recently
# ingested) matches only: ranking scores every candidate, so without a bound a query for a name
# that appears in most articles costs time in proportion to the whole corpus (~20 ms per
# 25,000 matches, and growing), while the analyst only ever reads the first page.
RANK_WINDOW = 5000


def stems_of(text: str) -> list[str]:
    return [search_stem(t) for _, _, t in tokenize_normalized(normalize(text).text)]


def fts_query(query: str) -> str:
    stems = stems_of(query)
    if not stems:
        raise QueryError("the query has no words to search for")
    return '"' + " ".join(s.replace('"', '""') for s in stems) + '"'  # a phrase of stems


@dataclass(frozen=True)
class Hit:
    doc_id: str
    outlet: str | None
    title: str | None
    published: str | None
    sentence: str
    start: int
    end: int
    marks: tuple[tuple[int, int], ...]  # hit spans inside the sentence

    def marked(self, left: str = "[", right: str = "]") -> str:
        out, pos = [], 0
        for s, e in self.marks:
            out += [self.sentence[pos:s], left, self.sentence[s:e], right]
            pos = e
        out.append(self.sentence[pos:])
        return "".join(out)

    def as_dict(self) -> dict:
        return {"id": self.doc_id, "outlet": self.outlet, "title": self.title,
                "published": self.published, "sentence": self.sentence,
                "span": [self.start, self.end], "marks": [list(m) for m in self.marks],
                "marked": self.marked()}


def mark(sentence: str, query: str) -> tuple[tuple[int, int], ...]:
    """Spans of the sentence whose token stems equal the query's stem sequence."""
    q = stems_of(query)
    if not q:
        return ()
    nt = normalize(sentence)
    toks = tokenize_normalized(nt.text)
    stems = [search_stem(t) for _, _, t in toks]
    out = []
    for i in range(len(stems) - len(q) + 1):
        if stems[i:i + len(q)] == q:
            s, _ = nt.to_original(toks[i][0], toks[i][1])
            _, e = nt.to_original(toks[i + len(q) - 1][0], toks[i + len(q) - 1][1])
            out.append((s, e))
    return tuple(out)
