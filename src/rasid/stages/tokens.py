"""Tokens and sentences over the normalised text, with Arabic proclitics split off.

Each token keeps its surface span in the original text and its normalised form; the stem
(the token without و، ف، ب، ل، ك and with لل read as ل+ال) is what lexicons are matched
against, so ``لجيش العزة`` and ``وفيلق الرحمن`` find their groups while the mention span
covers the name, not the clitic.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rasid.document import Document, Span, Token
from rasid.normalize import normalize

_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06fcA-Za-z0-9]+")
_SENT_END = re.compile(r"(?:[.!?؟]+|\.\.+|…)(?=[\s\"'”»)]|$)|\n+")


@lru_cache(maxsize=65536)
def proclitic_splits(word: str) -> tuple[tuple[int, str], ...]:
    """Readings of a normalised word as proclitics + stem: ``(clitic_chars, stem)``.

    Ordered from the least to the most stripped; ``لل`` yields the stem with ``ال`` restored
    (clitic length 1, since one ل stands for the preposition).
    """
    out: list[tuple[int, str]] = [(0, word)]
    rest, cut = word, 0
    if len(rest) > 2 and rest[0] in "وف":
        rest, cut = rest[1:], 1
        out.append((cut, rest))
    if len(rest) > 3 and rest.startswith("لل"):
        out.append((cut + 1, "ا" + rest[1:]))
    elif len(rest) > 2 and rest[0] in "بلك":
        out.append((cut + 1, rest[1:]))
    return tuple(out)


def within_marks(text: str, start: int, pos: int) -> bool:
    """Position pos lies inside quotation marks opened after start: the speaker's own words."""
    depth = 0
    for ch in text[start:pos]:
        if ch in "«“":
            depth += 1
        elif ch in "»”":
            depth = max(0, depth - 1)
        elif ch == '"':
            depth = 0 if depth else 1
    return depth > 0


def pronoun_ha(doc: Document, tok: Token) -> bool:
    """The word is written with a final ه, a pronoun ("مديره" its director, "فرقه" his teams),
    where folding makes it the same as the noun in ة ("مديرة", "فرقة")."""
    return tok.norm.endswith("ه") and doc.text[tok.end - 1] == "ه"


def search_stem(word: str) -> str:
    """The most stripped reading plus the article removed: the key of the search index."""
    stem = proclitic_splits(word)[-1][1]
    if stem.startswith("ال") and len(stem) > 3:
        stem = stem[2:]
    return stem


def tokenize_normalized(norm_text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(norm_text)]


def tokens_stage(doc: Document) -> Document:
    """Normalise the document text and split it into tokens, sentences and paragraphs."""
    nt = normalize(doc.text)
    doc.normalized = nt
    toks = []
    for ns, ne, form in tokenize_normalized(nt.text):
        s, e = nt.to_original(ns, ne)
        toks.append(Token(start=s, end=e, norm=form, nstart=ns))
    doc.tokens = toks
    doc.sentences = split_sentences(doc.text)
    doc.paragraphs = _paragraphs(doc.text)
    doc.provided |= {"tokens", "sentences"}
    return doc


def split_sentences(text: str) -> list[Span]:
    """Sentences end at terminal punctuation followed by space/quote, or at a line break."""
    spans: list[Span] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        _add_trimmed(spans, text, start, end, "sentence")
        start = m.end()
    _add_trimmed(spans, text, start, len(text), "sentence")
    return spans


def _paragraphs(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        _add_trimmed(spans, text, pos, pos + len(line), "paragraph")
        pos += len(line) + 1
    return spans


def _add_trimmed(spans: list[Span], text: str, s: int, e: int, label: str) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append(Span(s, e, label))


tokens_stage.requires = ("text",)  # type: ignore[attr-defined]
tokens_stage.provides = ("tokens", "sentences")  # type: ignore[attr-defined]
