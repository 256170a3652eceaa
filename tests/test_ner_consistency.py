"""The document-level consistency pass after the NER taggers (``rasid.ner.consistency``)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.ner.conll import read_tagged
from rasid.ner.consistency import WINDOW, common_words, propagate
from rasid.ner.evaluate import evaluate
from rasid.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
ANERCORP_TEST = ROOT / "data" / "anercorp" / "test.txt"
ENSEMBLE = ROOT / "src" / "rasid" / "data" / "models" / "ner-ensemble.json"


def _split(text: str) -> list[str]:
    return text.split()


def test_a_full_name_lends_its_surname_and_its_clitic_forms_to_later_sentences():
    words = [_split("قال الرئيس العراقي جلال طالباني إن الحوار مستمر"),
             _split("وأضاف طالباني أن الوفد سيزور أربيل"),
             _split("والتقى الوفد بطالباني في السليمانية")]
    tags = [["O", "O", "O", "B-PERS", "I-PERS", "O", "O", "O"],
            ["O"] * 6,
            ["O", "O", "O", "O", "B-LOC"]]
    out = propagate(words, tags)
    assert out[1][1] == "B-PERS"  # the surname alone
    assert out[2][2] == "B-PERS"  # بطالباني: behind the proclitic ب
    assert out[0] == tags[0] and out[2][4] == "B-LOC"  # what the tagger found stays
    assert tags[1] == ["O"] * 6  # the input is not modified


def test_a_multi_word_name_is_spread_whole_and_never_over_a_tagged_word():
    words = [_split("سيطرت قوات سوريا الديمقراطية على منبج"),
             _split("وقالت قوات سوريا الديمقراطية إن الهجوم انتهى"),
             _split("وأعلن المتحدث باسم قوات سوريا الديمقراطية ذلك")]
    tags = [["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-LOC"],
            ["O"] * 7,
            ["O", "O", "O", "B-PERS", "I-PERS", "I-PERS", "O"]]
    out = propagate(words, tags)
    assert out[1][1:4] == ["B-ORG", "I-ORG", "I-ORG"]
    assert out[2] == tags[2]  # words the tagger tagged otherwise are left to it


def test_common_words_and_far_away_names_are_not_spread():
    assert fold("الدولة") in common_words()
    far = WINDOW + 1
    words = ([_split("أعلن تنظيم الدولة أن دمشق مستهدفة")] + [_split("قال مسؤول")] * (far - 1)
             + [_split("وقالت الدولة إن دمشق آمنة")])
    tags = [["O", "B-ORG", "B-ORG", "O", "B-LOC", "O"]] + [["O", "O"]] * (far - 1) + [["O"] * 5]
    out = propagate(words, tags)
    assert out[-1] == ["O"] * 5  # دمشق is WINDOW + 1 sentences away; الدولة is a common word
    close = propagate([words[0], words[-1]], [tags[0], ["O"] * 5])
    assert close[1] == ["O", "O", "O", "B-LOC", "O"]  # دمشق within the window; الدولة still not


def test_a_name_tagged_with_two_types_takes_the_majority():
    words = [_split("زار الوفد عدن"), _split("وصل الوفد إلى عدن"), _split("عدن"),
             _split("غادر الوفد عدن")]
    tags = [["O", "O", "B-LOC"], ["O", "O", "O", "B-LOC"], ["B-ORG"], ["O", "O", "O"]]
    assert propagate(words, tags)[3] == ["O", "O", "B-LOC"]


def test_an_entity_takes_the_type_its_name_has_most_often_nearby():
    words = [_split("زار الوفد عدن"), _split("وصل الوفد إلى عدن"), _split("غادر عدن مساء")]
    tags = [["O", "O", "B-LOC"], ["O", "O", "O", "B-LOC"], ["O", "B-ORG", "O"]]
    assert propagate(words, tags)[2] == ["O", "B-LOC", "O"]
    tie = propagate(words[1:], tags[1:])  # one LOC, one ORG: no majority, nothing changes
    assert tie == tags[1:]


def test_mismatched_input_is_rejected():
    with pytest.raises(ValueError):
        propagate([["a"]], [])


@pytest.mark.skipif(not ANERCORP_TEST.exists(), reason="ANERcorp test split not present")
def test_the_pass_lifts_the_fast_model_on_anercorp_as_recorded():
    pytest.importorskip("pycrfsuite")
    from rasid.ner import default_tagger

    words, gold = read_tagged(ANERCORP_TEST)
    pred = default_tagger().tag(words)
    before = evaluate(gold, pred).micro.f1
    after = evaluate(gold, propagate(words, pred)).micro.f1
    recorded = json.loads(ENSEMBLE.read_text(encoding="utf-8"))["test"]
    assert before == pytest.approx(recorded["crf"]["micro_f1"], abs=0.002)
    assert after == pytest.approx(recorded["crf+consistency"]["micro_f1"], abs=0.002)
    assert after > before + 0.02
