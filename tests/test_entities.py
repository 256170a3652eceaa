import pytest

from helpers import entity_named, record


def test_entities_offsets_cover_exactly_the_name(records):
    for doc in records.values():
        rec = doc.to_record()
        for e in rec["entities"]:
            for s, t in e["mentions"]:
                surface = rec["text"][s:t]
                assert surface.strip() == surface and surface, (e["name"], surface)
                assert surface[0] not in "وفبل" or e["type"] != "ORG" or surface.startswith(("ب", "ل", "ف", "و"))


@pytest.mark.parametrize("sentence,name,etype,rank", [
    ("أكد العقيد “مصطفى البكور” وهو أحد قياديّي فصيل “جيش العزة” أن فصيله باق.", "مصطفى البكور", "PER", "عقيد"),
    ("من جهته قال العقيد الطيار مصطفى بكور العامل ضمن مرتبات جيش العزة إن المعركة مستمرة.", "مصطفى بكور", "PER", "عقيد"),
    ("وجرى اجتماع بين المقدم علي عبد الباقي رئيس هيئة الأركان في جيش الإسلام وقائد الفيلق.", "علي عبد الباقي", "PER", "مقدم"),
    ("وقال (منذر فارس) المتحدث الرسمي باسم أحرار الشام إن الحركة لم تفاوض.", "منذر فارس", "PER", None),
    ("قال المتحدث باسم قوات سوريا الديمقراطية فرهاد شامي إن قواته تقدمت.", "فرهاد شامي", "PER", None),
])
def test_entities_people_introduced_by_rank_role_or_parentheses(sentence, name, etype, rank):
    rec = record(sentence)
    e = entity_named(rec, name)
    assert e is not None and e["type"] == etype and e["rank"] == rank


def test_entities_clitic_forms_attach_to_the_group_and_spans_skip_the_clitic():
    rec = record("وقال إن لجيش العزة هدفاً واحداً، وإن وفيلق الرحمن يقاتل بالغوطة الشرقية.")
    izza = entity_named(rec, "جيش العزة")
    assert izza and rec["text"][slice(*izza["mentions"][0])] == "جيش العزة"
    faylaq = entity_named(rec, "فيلق الرحمن")
    assert faylaq and rec["text"][slice(*faylaq["mentions"][0])] == "فيلق الرحمن"
    ghouta = entity_named(rec, "الغوطة الشرقية")
    assert ghouta and ghouta["type"] == "LOC" and ghouta["geo"]["admin1"]


def test_entities_aliases_share_one_identity():
    rec = record("أعلن تنظيم الدولة مسؤوليته، وقال مقاتلون إن داعش انسحب من المنطقة.")
    isis = [e for e in rec["entities"] if e["type"] == "ORG"]
    assert len(isis) == 1 and {"تنظيم الدولة", "داعش"} <= set(isis[0]["aliases"])


def test_entities_surname_and_partial_forms_are_mentions_of_the_person(records):
    rec = records["000_fa03e3a715d7dd5c"].to_record()
    bakour = entity_named(rec, "مصطفى البكور")
    assert bakour["rank"] == "عقيد"
    assert {"مصطفى البكور", "البكور"} <= set(bakour["aliases"])
    assert len(bakour["mentions"]) >= 5


def test_entities_one_kb_id_across_articles(records):
    ids = set()
    for did in ("000_fa03e3a715d7dd5c", "001_67afc023dd4f8fc2", "003_33dc26e51a3d6a6a"):
        rec = records[did].to_record()
        per = [e for e in rec["entities"] if e["type"] == "PER" and "بكور" in e["name"]]
        ids |= {e["kb_id"] for e in per}
    assert len(ids) == 1


def test_entities_common_words_are_not_places():
    rec = record("ونفى وجود قنوات تواصل بين الطرفين، وفتح الباب أمام الحوار.")
    assert not [e for e in rec["entities"] if e["type"] == "LOC"]


def test_entities_place_after_head_noun_even_when_unknown():
    rec = record("استعادت الفصائل السيطرة على قرية تل ملح وبلدة الجبين في ريف حماة الشمالي.")
    names = {e["name"] for e in rec["entities"] if e["type"] == "LOC"}
    assert {"تل ملح", "ريف حماة الشمالي"} <= names


def test_entities_countryside_with_directions_is_one_place():
    rec = record("وقعت اشتباكات في بلدة الخوين الواقعة بريف محافظة إدلب الشرقي.")
    e = entity_named(rec, "ريف إدلب الشرقي")
    assert e is not None and e["type"] == "LOC"


def test_entities_english_names_from_gazetteer_or_transliteration():
    rec = record("يتحدث الناطق باسم جيش الإسلام حمزة بيرقدار عن المعارك في الغوطة الشرقية.")
    assert entity_named(rec, "جيش الإسلام")["name_en"] == "Jaysh al-Islam"
    per = entity_named(rec, "حمزة بيرقدار")
    assert per["name_en"] and per["name_en"].lower().startswith("hamza")
