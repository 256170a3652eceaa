"""Reading and writing CoNLL-style token files without losing a line.

A CoNLL file has one token per line (first whitespace-separated column = the word, any further
columns are carried along untouched) and a blank line between sentences. ``ConllDocument``
keeps every original line, so writing the tags back reproduces the input exactly, columns and
blank lines included, with one TAB-separated column appended to each token line; that is what
``rasid tag --conll`` prints and what conlleval-style scorers expect.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from rasid.errors import EncodingError, InputError


@dataclass(frozen=True)
class ConllDocument:
    """The lines of a CoNLL file and, per sentence, the indices of its token lines."""

    lines: tuple[str, ...]
    sentences: tuple[tuple[int, ...], ...]

    def words(self) -> list[list[str]]:
        """The first column of every token line, sentence by sentence."""
        return [[self.lines[i].split()[0] for i in sent] for sent in self.sentences]

    def column(self, index: int) -> list[list[str]]:
        """One column per token (``-1`` = the last: the gold tag of an annotated file)."""
        out = []
        for sent in self.sentences:
            row = []
            for i in sent:
                cols = self.lines[i].split()
                try:
                    row.append(cols[index])
                except IndexError:
                    raise InputError(f"line {i + 1} has no column {index}: {self.lines[i]!r}") from None
            out.append(row)
        return out

    def with_column(self, values: list[list[str]]) -> Iterator[str]:
        """Every original line, with ``values`` appended after a TAB to token lines."""
        if len(values) != len(self.sentences) or any(
                len(v) != len(s) for v, s in zip(values, self.sentences)):
            raise ValueError("values do not match the sentences of the document")
        extra: dict[int, str] = {}
        for sent, vals in zip(self.sentences, values):
            extra.update(zip(sent, vals))
        for i, line in enumerate(self.lines):
            yield f"{line}\t{extra[i]}" if i in extra else line


def parse_conll(lines: Iterable[str]) -> ConllDocument:
    """Split lines (with or without their line ends) into sentences at blank lines."""
    kept: list[str] = []
    sentences: list[tuple[int, ...]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        line = line.rstrip("\r\n")
        kept.append(line)
        if line.strip():
            current.append(i)
        elif current:
            sentences.append(tuple(current))
            current = []
    if current:
        sentences.append(tuple(current))
    return ConllDocument(tuple(kept), tuple(sentences))


def decode(data: bytes, source: str | None = None) -> str:
    """UTF-8 text (a BOM is dropped); anything else is an ``EncodingError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise EncodingError(f"not UTF-8 text ({err.reason} at byte {err.start})", source=source) from None


def read_conll(path: str | Path) -> ConllDocument:
    """A CoNLL file from disk (UTF-8)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=str(path)) from None
    return parse_conll(split_lines(decode(data, str(path))))


def split_lines(text: str) -> list[str]:
    """Lines at ``\n`` only (``str.splitlines`` would also break at U+2028, U+0085, ...)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_tagged(path: str | Path) -> tuple[list[list[str]], list[list[str]]]:
    """Words and gold tags (the last column) of an annotated file such as ANERcorp."""
    doc = read_conll(path)
    return doc.words(), doc.column(-1)


def aqmar_tag(tag: str) -> str:
    """AQMAR tags to the ANERcorp types: PER→PERS, MIS0–MIS3→MISC; noisy tags repaired."""
    tag = tag.strip("`").replace("--", "-")
    prefix, _, typ = tag.partition("-")
    if prefix not in ("B", "I") or not typ:
        return "O"  # O, OO, IO, ...
    typ = typ.upper()
    if typ.startswith("PER"):
        return f"{prefix}-PERS"
    if typ in ("LOC", "ORG"):
        return f"{prefix}-{typ}"
    if typ.startswith("MIS"):
        return f"{prefix}-MISC"
    return "O"  # B-ENGLISH, B-SPANISH: language marks, not entities


def read_aqmar(folder: Path) -> tuple[list[list[str]], list[list[str]]]:
    """Every AQMAR article in ``folder`` (``word TAG`` lines), tags mapped by ``aqmar_tag``."""
    words: list[list[str]] = []
    tags: list[list[str]] = []
    for path in sorted(folder.glob("*.txt")):
        w, t = read_tagged(path)
        words.extend(w)
        tags.extend([[aqmar_tag(x) for x in sent] for sent in t])
    return words, tags
