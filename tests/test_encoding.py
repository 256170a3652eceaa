import codecs

import pytest

from rasid.errors import EmptyInputError, EncodingError
from rasid.ingest.encoding import decode

SENTENCE = "نفى جيش الإسلام ما تروج له وسائل إعلام نظام الأسد من شائعات حول خروج مقاتليه من الغوطة"


@pytest.mark.parametrize("data,enc", [
    (SENTENCE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8-sig"),
    (SENTENCE.encode("utf-16"), "utf-16"),
    (SENTENCE.encode("utf-16-le"), "utf-16-le"),
    (SENTENCE.encode("cp1256"), "cp1256"),
])
def test_encoding_decodes_supported_encodings(data, enc):
    text, found = decode(data)
    assert text == SENTENCE
    assert found == enc


def test_encoding_keeps_the_whole_part_of_truncated_utf8():
    data = SENTENCE.encode("utf-8")[:-1]
    text, enc = decode(data)
    assert SENTENCE.startswith(text) and enc == "utf-8 (truncated)"


@pytest.mark.parametrize("data,reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    (b"%PDF-1.7 ...", "PDF"),
    (bytes(range(256)) * 4, "binary"),
])
def test_encoding_rejects_binary_with_a_reason(data, reason):
    with pytest.raises(EncodingError, match=reason):
        decode(data)


@pytest.mark.parametrize("data", [b"", b"   \n\t "])
def test_encoding_rejects_empty(data):
    with pytest.raises(EmptyInputError):
        decode(data)
