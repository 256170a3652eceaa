"""The CRF named-entity tagger: CoNLL reading/writing, tagging, the CLI and its ANERcorp score."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rasid.errors import InputError
from rasid.ner.conll import parse_conll, read_tagged
from rasid.ner.evaluate import chunks, evaluate

ROOT = Path(__file__).resolve().parents[1]
ANERCORP_TEST = ROOT / "data" / "anercorp" / "test.txt"
METRICS = ROOT / "src" / "rasid" / "data" / "models" / "ner-crf.metrics.json"
# measured micro-F1 on the ANERcorp test split (see ner-crf.metrics.json), minus about 0.02
MICRO_F1_FLOOR = 0.66

pytest.importorskip("pycrfsuite")


@pytest.fixture(scope="module")
def tagger():
    from rasid.ner import default_tagger

    return default_tagger()


def test_ner_conll_round_trip_keeps_blank_lines_and_columns():
    lines = ["قال\tO\tVBD", "الرئيس\tO\tNN", "", "", "بشار B-PERS", "الأسد I-PERS", "", "دمشق"]
    doc = parse_conll(line + "\n" for line in lines)
    assert doc.words() == [["قال", "الرئيس"], ["بشار", "الأسد"], ["دمشق"]]
    assert doc.column(-1)[1] == ["B-PERS", "I-PERS"]
    with pytest.raises(InputError):
        doc.column(1)  # the last line has one column only
    out = list(doc.with_column([["a", "b"], ["c", "d"], ["e"]]))
    assert len(out) == len(lines)
    for before, after in zip(lines, out):
        if before:
            assert after.rsplit("\t", 1)[0] == before  # original columns untouched
        else:
            assert after == ""  # blank lines kept, consecutive ones too
    assert out[4] == "بشار B-PERS\tc"


def test_ner_evaluate_counts_exact_spans_only():
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "I-ORG"]]
    pred = [["B-PERS", "O", "O", "B-LOC"], ["I-ORG", "I-ORG"]]  # I- after O opens a chunk
    rep = evaluate(gold, pred)
    assert chunks(pred[1]) == {(0, 2, "ORG")}
    assert (rep.by_type["PERS"].correct, rep.by_type["LOC"].correct, rep.by_type["ORG"].correct) == (0, 1, 1)
    assert rep.micro.precision == pytest.approx(2 / 3) and rep.micro.recall == pytest.approx(2 / 3)


def test_ner_tags_a_person_and_a_place_in_an_anercorp_sentence(tagger):
    # a sentence of the ANERcorp test split (the 7th), cut after the second place
    words = ("تعد موجة الهجمات الانتحارية التي هزت أفغانستان هذا الشهر ( منها ثلاث هجمات يوم الاثنين "
             "، وهو ما رفع مجموع هذه الهجمات منذ 2005 إلى 69 ) تذكيراً محزناً بأن وزير الدفاع دونالد "
             "رامسفيلد ، الذي يتعرض حالياً لانتقادات لاذعة لدوره في العراق .").split()
    (tags,) = tagger.tag([words])
    found = {(" ".join(words[s:e]), t) for s, e, t in chunks(tags)}
    assert ("دونالد رامسفيلد", "PERS") in found
    assert {("أفغانستان", "LOC"), ("العراق", "LOC")} <= found
    assert tagger.tag([[]]) == [[]]


def test_ner_cli_tag_conll_appends_one_column_and_keeps_lines(tmp_path):
    lines = ANERCORP_TEST.read_text(encoding="utf-8").split("\n")[:120]
    src = tmp_path / "in.conll"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args, stdin in (([str(src)], None), (["-"], src.read_bytes())):
        out = subprocess.run([sys.executable, "-m", "rasid.cli", "tag", "--conll", *args, "--model", "crf"],
                             input=stdin, capture_output=True)
        assert out.returncode == 0, out.stderr.decode()
        got = out.stdout.decode("utf-8").split("\n")[:-1]
        assert len(got) == len(lines)
        for before, after in zip(lines, got):
            if not before.strip():
                assert after == before
            else:
                assert after.startswith(before + "\t")
                assert len(after.split("\t")) == len(before.split("\t")) + 1
                assert after.rsplit("\t", 1)[1] in {"O", *(f"{p}-{t}" for p in "BI"
                                                          for t in ("PERS", "LOC", "ORG", "MISC"))}


def test_ner_cli_tag_reports_a_missing_file(tmp_path):
    out = subprocess.run([sys.executable, "-m", "rasid.cli", "tag", "--conll", str(tmp_path / "nope")],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "nope" in out.stderr


def test_ner_anercorp_test_micro_f1_meets_the_floor(tagger):
    words, gold = read_tagged(ANERCORP_TEST)
    rep = evaluate(gold, tagger.tag(words))
    assert rep.micro.f1 >= MICRO_F1_FLOOR, rep.table()
    assert set(rep.by_type) == {"PERS", "LOC", "ORG", "MISC"}
    recorded = json.loads(METRICS.read_text(encoding="utf-8"))["scores"]["micro"]["f1"]
    assert rep.micro.f1 == pytest.approx(recorded, abs=0.002)  # the packaged model is the measured one


def test_ner_crf_in_two_processes_tags_exactly_as_one(tagger):
    from rasid.ner.crf import PARALLEL_MIN_TOKENS, CrfTagger

    words, _ = read_tagged(ANERCORP_TEST)
    assert sum(map(len, words)) >= PARALLEL_MIN_TOKENS  # long enough to be split
    forked = CrfTagger(workers=2).tag(words)
    assert forked == tagger.tag(words)
    assert len(forked) == len(words) and all(len(t) == len(w) for t, w in zip(forked, words))


def test_ner_cli_tag_rejects_a_negative_worker_count(tmp_path):
    f = tmp_path / "t.conll"
    f.write_text("دمشق\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "rasid.cli", "tag", "--conll", str(f), "--workers", "-2"],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert "must be 0 or more" in res.stderr


def test_ner_cli_tag_spreads_names_unless_told_not_to(tmp_path):
    from rasid.ner.consistency import propagate

    src = tmp_path / "in.conll"
    src.write_text("\n".join(ANERCORP_TEST.read_text(encoding="utf-8").split("\n")[:6000]) + "\n",
                   encoding="utf-8")
    runs = {}
    for flag in ([], ["--no-consistency"]):
        out = subprocess.run([sys.executable, "-m", "rasid.cli", "tag", "--conll", str(src), *flag],
                             capture_output=True, text=True, check=True)
        runs[bool(flag)] = out.stdout
    doc = parse_conll(runs[True].splitlines(keepends=True))
    alone = doc.column(-1)
    spread = parse_conll(runs[False].splitlines(keepends=True)).column(-1)
    assert spread == propagate(doc.words(), alone)
    assert spread != alone  # 6,000 lines of news repeat some name the tagger missed once
