"""Institutions no list knows and two roles of one person (probe batches 10 and 11's first runs).

Each snippet is written for the test in the style of scraped Arabic news; none is copied from
an evaluation article.
"""
from __future__ import annotations

from helpers import entity_named, name_of, record


def roles_of(rec: dict) -> list[tuple[str | None, str, str | None]]:
    return [(name_of(rec, r["person"]), r["role"], name_of(rec, r["org"]))
            for r in rec["relations"] if r["type"] == "ROLE"]


def test_a_military_axis_named_by_its_town_and_adjective() -> None:
    rec = record("وقال المتحدث باسم محور الحديدة العسكري، العقيد وضاح الدبيش، إن القوات صدت هجوماً.")
    assert ("وضاح الدبيش", "spokesperson", "محور الحديدة العسكري") in roles_of(rec)


def test_a_front_line_axis_is_no_institution() -> None:
    rec = record("واندلعت اشتباكات عنيفة على محور النيرب شرقي إدلب بين الفصائل وقوات النظام.")
    assert entity_named(rec, "محور النيرب") is None


def test_a_committee_with_a_genitive_of_lam() -> None:
    rec = record("وقال رئيس اللجنة الوطنية لشؤون المفقودين، سالم الحداد، إن الصفقة تمت بنجاح.")
    assert ("سالم الحداد", "head", "اللجنة الوطنية لشؤون المفقودين") in roles_of(rec)


def test_a_negotiating_delegation_is_an_organisation() -> None:
    rec = record("وقال عضو الوفد الحكومي المفاوض سالم الحداد إن الطرف الآخر يعرقل فتح الطرق.")
    assert ("سالم الحداد", "member", "الوفد الحكومي المفاوض") in roles_of(rec)


def test_a_rank_after_al_fariq_is_no_team() -> None:
    rec = record("وقال الفريق أول ركن ياسر العطا إن الجيش تقدم في محاور الخرطوم.")
    assert entity_named(rec, "الفريق أول") is None
    assert entity_named(rec, "ياسر العطا")["rank"] == "فريق أول"


def test_two_roles_joined_by_wa_belong_to_the_name_after_both() -> None:
    rec = record("وقال رئيس المجلس الرئاسي وقائد الجيش الوطني الليبي خليفة حفتر إن القوات ستواصل "
                 "تقدمها نحو العاصمة.")
    found = roles_of(rec)
    assert ("خليفة حفتر", "head", "المجلس الرئاسي") in found
    assert any(p == "خليفة حفتر" and r == "commander" for p, r, _ in found)


def test_a_headed_place_name_after_a_clitic_keeps_its_head_whole() -> None:
    rec = record("وانتشرت الشرطة العسكرية الروسية بمخيم الوافدين قرب مدينة دوما صباح اليوم.")
    assert entity_named(rec, "مخيم الوافدين") is not None
    assert not any(e["name"].startswith("بمخ") or e["name"] == "مخي الوافدين" for e in rec["entities"])


def test_the_second_place_of_a_dual_head_when_the_first_is_listed() -> None:
    rec = record("وسيطرت الفصائل على بلدتي عتيل وسليم شمالي مدينة السويداء بعد اشتباكات عنيفة.")
    salim = entity_named(rec, "سليم")
    assert salim is not None and salim["type"] == "LOC"


def test_a_shortened_institution_joins_the_listed_one_it_begins() -> None:
    rec = record("وسيطرت قوات حرس المنشآت النفطية على ميناء السدرة صباح اليوم.\n\n"
                 "وقال آمر حرس المنشآت إن الموانئ النفطية باتت آمنة بالكامل.")
    guard = entity_named(rec, "حرس المنشآت النفطية")
    assert guard is not None and len(guard["mentions"]) == 2
    assert entity_named(rec, "حرس المنشآت") is guard


def test_generic_coalition_words_join_the_coalition_the_article_names() -> None:
    rec = record("أعلنت قيادة تحالف دعم الشرعية في اليمن أن الجيش الوطني اليمني سيطر على مطار الحديدة. "
                 "وقالت قوات التحالف إن طيرانها نفذ غارات. وأضاف التحالف أن العمليات مستمرة.")
    coalition = entity_named(rec, "التحالف العربي")
    assert coalition is not None and len(coalition["mentions"]) == 3
    assert entity_named(rec, "التحالف الدولي") is None


def test_a_countrys_army_by_nationality_is_its_listed_army() -> None:
    rec = record("وتقدم الجيش الوطني اليمني نحو مدينة الحديدة، وقال الجيش اليمني في بيان إن قواته سيطرت على المطار.")
    armies = [e for e in rec["entities"] if e["type"] == "ORG" and "الجيش" in e["name"]]
    assert len(armies) == 1 and len(armies[0]["mentions"]) == 2


def test_amir_and_coordinator_roles() -> None:
    rec = record("وقال آمر جهاز دعم الاستقرار، العقيد سالم الورفلي، إن قواته انتشرت في المنطقة. وقالت منسقة "
                 "الشؤون الإنسانية للأمم المتحدة في ليبيا، جورجيت غانيون، إن المساعدات وصلت.")
    found = roles_of(rec)
    assert ("سالم الورفلي", "commander", "جهاز دعم الاستقرار") in found
    assert any(p == "جورجيت غانيون" and r == "official" for p, r, _ in found)


def test_a_role_said_again_with_the_name_right_after_it_or_after_nafsuha() -> None:
    rec = record("من جهته، قال المتحدث باسم وزارة الخارجية القطرية إن الوسطاء يتابعون التنفيذ. وأضاف المتحدث "
                 "ماجد الأنصاري، في إحاطة صحفية بالدوحة، أن المفاوضات ستنطلق.")
    assert ("ماجد الأنصاري", "spokesperson", "وزارة الخارجية القطرية") in roles_of(rec)
    rec = record("وقالت المتحدثة باسم قوات سوريا الديمقراطية إن القوات تقدمت. وكانت المتحدثة نفسها، ليلوى العبد "
                 "الله، قد أعلنت السيطرة على حقل العمر.")
    assert ("ليلوى العبد الله", "spokesperson", "قوات سوريا الديمقراطية") in roles_of(rec)
