"""Hostile and broken input: every bad item is rejected with a reason, nothing crashes."""
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from rasid import Rejected, extract
from rasid.errors import InputError
from rasid.ingest import prepare, read_bytes
from rasid.ingest.readers import RawArticle


def test_hostile_corpus_reports_every_bad_item_and_keeps_good_ones(tmp_path, articles):
    good = (articles / "004_b91d946e27faddc9.txt").read_text(encoding="utf-8")
    (tmp_path / "good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "truncated.txt").write_bytes(good.encode("utf-8")[:-1])
    (tmp_path / "utf16.txt").write_bytes(good.encode("utf-16-le"))
    (tmp_path / "cp1256.txt").write_bytes(good.encode("cp1256", errors="ignore"))
    (tmp_path / "english.txt").write_text("The quick brown fox jumps over the lazy dog. " * 20, encoding="utf-8")
    (tmp_path / "nested.html").write_text("<html><body>" + "<div>" * 5000 + good[:2000] + "</div>" * 5000
                                          + "</body></html>", encoding="utf-8")
    (tmp_path / "broken.html").write_text("<html><body><p>" + good[:3000] + "<p><b><i></div></span>", encoding="utf-8")
    (tmp_path / "odd name ☃ (1).txt").write_text(good, encoding="utf-8")
    (tmp_path / "huge.txt").write_bytes(("قال " * 3_000_000).encode("utf-8"))
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"id": "j1", "text": good}, ensure_ascii=False) + "\n{broken\n[1, 2]\n"
        + json.dumps({"id": "j2", "text": "<script>alert(1)</script> '; DROP TABLE documents; -- " + good[:500]},
                     ensure_ascii=False) + "\n", encoding="utf-8")
    out = list(extract([str(tmp_path)]))
    ok = {d.id for d in out if not isinstance(d, Rejected)}
    bad = {str(r.source).split("/")[-1]: r.reason for r in out if isinstance(r, Rejected)}
    assert {"good", "truncated", "utf16", "cp1256", "nested", "broken", "odd name ☃ (1)", "j1", "j2"} <= ok
    assert "empty" in bad["empty.txt"] and "binary" in bad["binary.bin"]
    assert "not Arabic" in bad["english.txt"] and "too large" in bad["huge.txt"]
    assert sum(1 for k in bad if k.startswith("lines.jsonl:")) == 2


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=3000))
def test_hostile_random_bytes_never_crash_the_reader(data):
    item = read_bytes(data, source="fuzz")
    assert isinstance(item, (RawArticle, Rejected))


arabicish = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي أإآةىئؤـ.،:؟!\"“”«»()\n0123456789<>/")),
                    max_size=1500)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(arabicish)
def test_hostile_random_text_yields_a_valid_record_or_a_reason(text):
    from rasid.pipeline import Pipeline

    try:
        doc = Pipeline()(prepare(RawArticle(id="fuzz", text=text, fmt="text")))
    except InputError:
        return
    rec = doc.to_record()
    t = rec["text"]
    for e in rec["entities"]:
        for s, end in e["mentions"]:
            assert 0 <= s < end <= len(t)
    for q in rec["quotes"]:
        assert t[q["span"][0]:q["span"][1]] == q["text"]
    for ev in rec["events"]:
        assert 0 <= ev["evidence"][0] <= ev["evidence"][1] <= len(t)
