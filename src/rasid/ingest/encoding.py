"""Decoding article bytes: UTF-8 (with or without BOM), UTF-16, Windows-1256.

Older Arabic sites still serve Windows-1256; scrapers save UTF-16 from Windows tools. Anything
that is binary, or text in no encoding we can read with confidence, is rejected with a reason
instead of being stored as mojibake.
"""
from __future__ import annotations

import codecs
import re

from rasid.errors import EmptyInputError, EncodingError

_MAGIC = {
    b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"\x1f\x8b": "a gzip archive", b"\x7fELF": "an executable", b"MZ": "a Windows executable",
    b"SQLite format 3": "an SQLite database", b"\xd0\xcf\x11\xe0": "an MS Office document",
}
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise ``EncodingError`` / ``EmptyInputError``."""
    if not data.strip():
        raise EmptyInputError("empty input")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise EncodingError(f"binary file ({what}), not an article")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _checked(data.decode("utf-16"), "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            # a file cut in the middle of its last character: keep what is whole
            return _checked(data[:err.start].decode("utf-8"), "utf-8 (truncated)")
        if data.count(b"\x00"):
            raise EncodingError("binary file (contains NUL bytes)") from err
    text = data.decode("cp1256", errors="replace")
    letters = _LETTER.findall(text)
    if letters and len(_ARABIC.findall(text)) / len(letters) >= 0.3:
        return _checked(text, "cp1256")
    raise EncodingError("not text in UTF-8, UTF-16 or Windows-1256")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text of Arabic or Latin script has a high byte of 0x00 or 0x06 in every unit."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if sum(b in (0x00, 0x06) for b in high) >= 0.9 * len(high):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if not _CONTROL.search(text[:20000]):
                return text, enc
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise EmptyInputError("empty input")
    controls = len(_CONTROL.findall(text[:20000]))
    if controls > max(3, len(text[:20000]) // 100):
        raise EncodingError("binary content (control characters), not an article")
    return text, encoding
