"""Rules added after probe batches 10 and 11's first runs (denials of a verbal clause, interview
introductions, given names that are also words in a speaker's frame).

Each snippet is written for the test in the style of scraped Arabic news; none is copied from
an evaluation article.
"""
from __future__ import annotations

from helpers import entity_named, name_of, record


def quotes_of(rec: dict) -> list[tuple[str, str | None, str]]:
    return [(q["text"], name_of(rec, q.get("speaker")), q["act"]) for q in rec["quotes"]]


def test_a_denied_verbal_clause_keeps_its_an() -> None:
    rec = record("ونفى العقيد سامر الحمدان، في تصريح لاحق، أن تكون قواته قد قصفت الأحياء السكنية "
                 "في البلدة، مؤكداً أن القصف طال مواقع المسلحين.")
    texts = [t for t, who, act in quotes_of(rec) if act == "DENIAL" and who == "سامر الحمدان"]
    assert texts and texts[0].startswith("أن تكون قواته قد قصفت")


def test_an_followed_by_a_noun_is_not_kept() -> None:
    rec = record("وقال العقيد سامر الحمدان إن تنظيم داعش انسحب من البلدة فجر اليوم بعد معارك عنيفة.")
    texts = [t for t, who, _ in quotes_of(rec) if who == "سامر الحمدان"]
    assert texts and texts[0].startswith("تنظيم داعش انسحب")


INTERVIEW = """أحداث الساحل

شهدت قرى ريف اللاذقية خلال الأيام الماضية مواجهات بين مسلحين وقوات الأمن العام أسفرت عن سقوط قتلى.

ولمعرفة موقف الأهالي، حاور "موقع الساحل" القيادي المحلي فادي أبو حسن، وفيما يلي نص الحوار:

موقع الساحل: ما الذي جرى في القرية يوم الأحد؟

أبو حسن: هاجمت مجموعة مسلحة أطراف القرية فجراً، فتصدى لها شبان القرية حتى الظهر.

موقع الساحل: هل تقبلون بدخول قوات الأمن إلى القرية؟

أبو حسن: نحن مع الدولة، ولا نقبل أن يبقى السلاح منفلتاً في أيدي أي مجموعة خارج القانون.
"""


def test_an_interview_introduced_by_nass_al_hiwar_colon_gives_the_answers() -> None:
    rec = record(INTERVIEW)
    answers = [(t, who) for t, who, _ in quotes_of(rec) if t.startswith(("هاجمت", "نحن مع الدولة"))]
    assert len(answers) == 2
    assert all(who == "فادي أبو حسن" for _, who in answers)


def test_a_weak_given_name_after_a_role_of_an_unknown_organisation() -> None:
    rec = record("والتقى مراسلنا رئيس الفريق الحكومي المفاوض في ملف الطرق، نبيل القاسمي، "
                 "وسأله عن نتائج الجولة الأخيرة من المفاوضات.")
    person = entity_named(rec, "نبيل القاسمي")
    assert person is not None and person["type"] == "PER"


def test_a_weak_given_name_after_a_speech_verb() -> None:
    rec = record("وقال نبيل القاسمي إن الطرف الآخر رفض فتح الطريق الرئيسي أمام الشاحنات.")
    assert ("الطرف الآخر رفض فتح الطريق الرئيسي أمام الشاحنات", "نبيل القاسمي", "CLAIM") in [
        (t.rstrip(" ."), w, a) for t, w, a in quotes_of(rec)]


def test_an_office_and_a_common_word_after_a_speech_verb_is_no_name() -> None:
    rec = record("وقال أمين العاصمة إن الطرف الآخر رفض فتح الطريق الرئيسي أمام الشاحنات.")
    assert entity_named(rec, "أمين العاصمة") is None


def test_a_kunya_keeps_its_laqab_and_a_title_before_an_is_no_name() -> None:
    rec = record("وتوعد نائب رئيس هيئة الحشد الشعبي أبو مهدي المهندس بأن المعركة مستمرة حتى تحرير الموصل.")
    assert entity_named(rec, "أبو مهدي المهندس") is not None
    assert not any(e["name"].startswith("بأن") for e in rec["entities"])


def test_hathth_urges_its_object_to_do_what_is_quoted() -> None:
    rec = record("وحث وزير الخارجية الأمريكي أنتوني بلينكن الطرفين على \"احترام الهدنة وإتاحة الفرصة "
                 "للعمل الإنساني\" في البلاد.")
    assert [(w, a) for _, w, a in quotes_of(rec)] == [("أنتوني بلينكن", "APPEAL")]


def test_a_pluperfect_speaker_before_qad_and_wasafa_ma_jara() -> None:
    rec = record("وكان الشيخ حكمت الهجري قد وصف ما جرى بأنه \"حملة إبادة غير مبررة\" بحق أبناء المحافظة.")
    assert any("حملة إبادة غير مبررة" in t and w == "حكمت الهجري" for t, w, _ in quotes_of(rec))


def test_an_acronym_in_parentheses_and_a_channel_aside_before_an() -> None:
    rec = record("وأعلن المرصد السوري لحقوق الإنسان (المرصد)، في بيان، أن قذيفة سقطت على سوق المدينة "
                 "بعد ظهر أمس.")
    assert [(t, w) for t, w, _ in quotes_of(rec)] == [
        ("قذيفة سقطت على سوق المدينة بعد ظهر أمس", "المرصد السوري لحقوق الإنسان")]


def test_an_outlet_relays_the_one_named_after_an() -> None:
    rec = record("ونقلت وكالة الأناضول عن وزير الدفاع التركي خلوصي أكار قوله إن \"نقاط المراقبة التركية "
                 "ستبقى في أماكنها\".")
    (q,) = rec["quotes"]
    assert name_of(rec, q["speaker"]) == "خلوصي أكار" and q["kind"] == "direct"


def test_naqala_moving_goods_is_no_statement() -> None:
    rec = record("ونقلت الشاحنات المساعدات الغذائية إلى المدينة المحاصرة أمس بعد أسابيع من الانتظار.")
    assert rec["quotes"] == []


def test_a_kunya_and_laqab_in_a_speakers_frame() -> None:
    rec = record("في المقابل، قال أبو كنان الطفسي، الذي يقود المسلحين المحليين في المدينة، إن أي حاجز "
                 "يعتقل شاباً من البلدة سيكون هدفاً.")
    assert entity_named(rec, "أبو كنان الطفسي") is not None
    assert [w for _, w, _ in quotes_of(rec)] == ["أبو كنان الطفسي"]


def test_the_command_of_a_listed_force_speaks_for_it() -> None:
    rec = record("ونفت القيادة العامة لقوات سوريا الديمقراطية وجود أي من مقاتليها غرب نهر الفرات، وقالت في "
                 "بيان إن \"وحداتنا عادت إلى قواعدها شرق الفرات\".")
    assert {w for _, w, _ in quotes_of(rec)} == {"قوات سوريا الديمقراطية"}


def test_an_office_of_a_place_then_a_name_set_off_by_commas() -> None:
    rec = record("وقال مختار بلدة كفركلا، إيلي نعمة، لـ\"الوكالة الوطنية للإعلام\" إن القصف لم يتوقف منذ الفجر.")
    assert entity_named(rec, "إيلي نعمة") is not None
    assert [w for _, w, _ in quotes_of(rec)] == ["إيلي نعمة"]


def test_a_statement_ends_with_its_sentence_before_the_next_ones_preamble() -> None:
    rec = record("وقال رئيس المؤسسة الوطنية للنفط مصطفى صنع الله إن الإنتاج توقف بالكامل. بدوره، اتهم المجلس "
                 "الرئاسي، في بيان، أطرافاً بالوقوف وراء التصعيد.")
    first = quotes_of(rec)[0]
    assert first[1] == "مصطفى صنع الله" and "بدوره" not in first[0]


def test_compound_and_particle_names_and_al_hajj_as_a_family_name() -> None:
    rec = record("وكان الرئيس عبد ربه منصور هادي قد غادر عدن، فيما قال المبعوث الأممي إسماعيل ولد الشيخ أحمد "
                 "إن المفاوضات ستستأنف. وقال علي عبد الله صالح إن قواته ستقاتل. وقال النقيب إيلي الحاج إن "
                 "الخاطفين نقلوا العسكريين مرات عدة.")
    for name in ("عبد ربه منصور هادي", "إسماعيل ولد الشيخ أحمد", "علي عبد الله صالح", "إيلي الحاج"):
        assert entity_named(rec, name) is not None, name
