"""Rules added after probe batch 12's first run: a masthead written Latin first, interviews
introduced by "تحدثت إلى", reporter paragraphs after labelled answers, statements quoted in
the same line as "جاء فيه:", the owner of "بيان المجلس", and a body named after "باسم".

Each snippet is written for the test in the style of scraped Arabic news; none is copied from
an evaluation article.
"""
from __future__ import annotations

from helpers import entity_named, name_of, record

from rasid import extract_text


def quotes_of(rec: dict) -> list[tuple[str, str | None]]:
    return [(q["text"], name_of(rec, q.get("speaker"))) for q in rec["quotes"]]


MASTHEAD = """Aleppo Voice
صوت حلب
الرئيسية
أخبار

قصف مدفعي يستهدف أحياء في مدينة حلب

2023-05-02

حلب - صوت حلب

استهدف قصف مدفعي، صباح اليوم الثلاثاء، أحياء سكنية في مدينة حلب، ما أدى إلى إصابة خمسة مدنيين بجروح متفاوتة، بحسب ما أفاد به مراسل صوت حلب في المدينة.

وقال شهود عيان إن القذائف سقطت قرب سوق شعبي في حي الشعار، وسط حالة من الهلع بين الأهالي.

جميع الحقوق محفوظة © صوت حلب 2023
"""


def test_a_latin_masthead_line_before_the_arabic_one_names_the_site() -> None:
    rec = extract_text(MASTHEAD).to_record()
    assert rec["source"]["outlet"] == "صوت حلب"


INTERVIEW = """حوار مع ناشط

تتواصل الهجمات على قرى شرق الولاية منذ أسبوع، وسط تقارير عن سقوط عشرات القتلى.

وللوقوف على ما جرى، تحدثت "الصحيفة" إلى الناشط الحقوقي، سامي الطيب، وهو عضو في لجنة محلية ترصد الانتهاكات:

الصحيفة: ما الذي جرى في القرية يوم الجمعة؟

الطيب: اقتحم المسلحون القرية فجراً من ثلاثة اتجاهات وأطلقوا النار على المارة في الطرقات.

الصحيفة: ما المطلوب اليوم؟

الطيب: نطالب بفتح ممرات آمنة لإجلاء العائلات المحاصرة في القرى المجاورة.

من جانبها، أعربت منظمة دولية عن قلقها إزاء التقارير، ودعت الأطراف إلى "وقف الهجمات على المدنيين فوراً".
"""


def test_an_interview_introduced_by_tahaddathat_ila_and_the_reporter_after_it() -> None:
    rec = record(INTERVIEW)
    found = quotes_of(rec)
    answers = [t for t, w in found if w == "سامي الطيب"]
    assert any(t.startswith("اقتحم المسلحون") for t in answers)
    assert any(t.startswith("نطالب بفتح ممرات") for t in answers)
    assert not any("وقف الهجمات" in t for t in answers)


def test_a_statement_quoted_in_the_line_of_its_introduction() -> None:
    rec = record("وأصدرت غرفة عمليات الفتح المبين بياناً صباح اليوم، جاء فيه: \"تمكن مقاتلونا من صد هجوم "
                 "واسع على محور كفرنبل، وأوقعوا خسائر كبيرة في صفوف المهاجمين\".")
    found = quotes_of(rec)
    assert len(found) == 1 and found[0][1] == "غرفة عمليات الفتح المبين"
    assert found[0][0].startswith('"تمكن مقاتلونا') or found[0][0].startswith("تمكن مقاتلونا")


def test_the_owner_of_bayan_al_majlis_is_the_council_named_before() -> None:
    rec = record("وأعلن المجلس المحلي لمدينة الباب، مساء أمس، التوصل إلى اتفاق لوقف القتال، بعد اجتماع مع "
                 "ممثلين عن الحكومة السورية المؤقتة. وجاء في بيان المجلس:\n\n"
                 "\"تم الاتفاق على وقف إطلاق النار في جميع الأحياء ابتداء من الساعة الثامنة مساء\".")
    found = quotes_of(rec)
    assert found and found[0][1] == "المجلس المحلي لمدينة الباب"


def test_a_body_named_after_bism_in_a_construct_chain() -> None:
    rec = record("وقال المتحدث باسم مركز طب الطوارئ والدعم إن \"حصيلة الاشتباكات بلغت 27 قتيلاً و106 جرحى، "
                 "بينهم مدنيون، وما زالت فرقنا تعمل\".")
    assert entity_named(rec, "مركز طب الطوارئ والدعم") is not None
    assert not any(e["type"] == "PER" for e in rec["entities"])
    assert quotes_of(rec)[0][1] == "مركز طب الطوارئ والدعم"


def test_a_valley_named_after_a_region_is_a_place_of_its_own() -> None:
    rec = record("ونفذت قوة مشتركة عملية أمنية في عمق وادي حوران غربي محافظة الأنبار فجر اليوم.")
    assert entity_named(rec, "وادي حوران") is not None
    assert entity_named(rec, "حوران") is None or entity_named(rec, "حوران")["name"] == "وادي حوران"


def test_a_statement_that_vows_to_fight_on_is_a_threat_and_one_that_calls_on_civilians_an_appeal() -> None:
    rec = record("وقال المتحدث باسم التحالف العربي تركي المالكي إن \"معركة تحرير الحديدة ستمضي حتى النهاية\".\n\n"
                 "وأضاف المالكي: \"قيادة التحالف تدعو المدنيين في المدينة إلى الابتعاد عن مواقع الميليشيا\".")
    acts = [q["act"] for q in rec["quotes"]]
    assert acts == ["THREAT", "APPEAL"]


def test_an_unknown_two_word_place_after_its_head_and_front_lines_are_no_fight() -> None:
    rec = record("وفرضت القوات العراقية، أمس، سيطرتها على ناحية ألتون كوبري الواقعة على الطريق بين كركوك وأربيل.\n\n"
                 "وعقد ضباط من الجانبين اجتماعاً في قضاء مخمور لبحث تثبيت خطوط الاشتباك.")
    assert entity_named(rec, "ألتون كوبري") is not None
    assert entity_named(rec, "سرمين") is None
    assert "BATTLE" not in [e["type"] for e in rec["events"]]
    rec = record("وقصفت الطائرات الحربية بلدة سرمين وريفها صباح اليوم، ما أدى إلى دمار واسع في المنازل.")
    assert entity_named(rec, "سرمين") is not None and entity_named(rec, "سرمين وريفها") is None


def test_month_names_joined_by_a_hyphen() -> None:
    from rasid.stages.dates import find_dates
    assert [m.iso for m in find_dates("الأربعاء 15 يوليو-تموز 2015 الساعة 04 مساءً")] == ["2015-07-15"]


PORTAL = """بوابة الفجر
الفجر
الرئيسية
العالم

المتحدث باسم غرفة الطوارئ لـ«الفجر»: الجوع لم يرحل عن الأحياء الشمالية

نشر في: الإثنين 27 يناير 2025

قال المتحدث باسم غرفة الطوارئ في مدينة بحري، سامي الطيب، إن الأهالي بدأوا الخروج من بيوتهم لأول مرة منذ أشهر، لكن المطابخ الجماعية ما زالت مصدر الغذاء الوحيد لآلاف العائلات.

وأضاف أن الجيش السوداني فتح الطرق الرئيسية، وأن فرق الطوارئ تعمل على إعادة الكهرباء والمياه إلى الأحياء.

جميع الحقوق محفوظة - دار الفجر © 2025
"""


def test_a_portal_masthead_and_its_short_name_and_a_section_heading_that_is_an_outlet_name() -> None:
    rec = extract_text(PORTAL).to_record()
    assert rec["source"]["outlet"] == "الفجر"
    media = [e for e in rec["entities"] if e.get("subtype") == "MEDIA"]
    assert [rec["text"][a:b] for e in media for a, b in e["mentions"]] == ["الفجر"]  # not "السوداني"


def test_a_section_heading_named_like_an_outlet_does_not_name_the_site() -> None:
    page = PORTAL.replace("بوابة الفجر\nالفجر\n", "euronews.\nعربي\n").replace("لـ«الفجر»", "").replace("دار الفجر", "")
    rec = extract_text(page).to_record()
    assert rec["source"]["outlet"] not in ("العالم", "عربي")
