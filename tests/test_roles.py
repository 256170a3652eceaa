import pytest

from helpers import name_of, record


def roles(rec):
    return {(name_of(rec, r["person"]), r["role"], name_of(rec, r["org"])) for r in rec["relations"]}


@pytest.mark.parametrize("sentence,expected", [
    ("يتحدث الناطق باسم جيش الإسلام حمزة بيرقدار عن المعارك.", ("حمزة بيرقدار", "spokesperson", "جيش الإسلام")),
    ("وكان (وائل علوان) الناطق الرسمي باسم \"فيلق الرحمن\" قد أكد أن الفيلق صامد.", ("وائل علوان", "spokesperson", "فيلق الرحمن")),
    ("الأول: بين المقدم علي عبد الباقي رئيس هيئة الأركان في جيش الإسلام مع قائد فيلق الرحمن أبو النصر.",
     ("علي عبد الباقي", "chief_of_staff", "جيش الإسلام")),
    ("الأول: بين المقدم علي عبد الباقي رئيس هيئة الأركان في جيش الإسلام مع قائد فيلق الرحمن أبو النصر.",
     ("أبو النصر", "commander", "فيلق الرحمن")),
    ("أوضح رئيس مكتب العلاقات العامة في “جيش العزة”، العقيد مصطفى بكور، أن المفاوضات متعثرة.",
     ("مصطفى بكور", "public_relations_head", "جيش العزة")),
    ("بعد ادعاء المرصد السوري الذي يديره المدعو \"رامي عبد الرحمن\" أن الاقتتال تجدد.",
     ("رامي عبد الرحمن", "head", "المرصد السوري لحقوق الإنسان")),
    ("من جهته قال العقيد الطيار مصطفى بكور العامل ضمن مرتبات \"جيش العزة\" إن المعركة انتهت.",
     ("مصطفى بكور", "member", "جيش العزة")),
    # an ambiguous rank (لواء is also "brigade") before a given name that is also a word (سليم)
    ("أكد رئيس هيئة أركان الجيش السوري الحر، اللواء سليم إدريس، في اتصال هاتفي، أن الانسحاب كان تكتيكياً.",
     ("سليم إدريس", "chief_of_staff", "الجيش السوري الحر")),
    # a nationality between the rank and the name
    ("أكد المتحدث باسم التحالف الدولي، العقيد الأميركي ريان ديلون، أن الغارات مستمرة.",
     ("ريان ديلون", "spokesperson", "التحالف الدولي")),
    # feminine role phrase
    ("قالت القيادية في قوات سوريا الديمقراطية روجدا فلات إن المدينة تحررت.",
     ("روجدا فلات", "official", "قوات سوريا الديمقراطية")),
    # the ل of the role phrase cut off from the group's name by tatweel and a quote mark
    ("دعا القائد العام لـ“هيئة تحرير الشام”، أبو محمد الجولاني، المقاتلين إلى حماية المدنيين.",
     ("أبو محمد الجولاني", "commander", "هيئة تحرير الشام")),
])
def test_roles_from_appositions_and_titles(sentence, expected):
    assert expected in roles(record(sentence))


def test_roles_not_across_a_conjunction():
    rec = record("بين مدير المكتب السياسي لجيش الإسلام الأستاذ ياسر دلوان وقائد فيلق الرحمن.")
    got = roles(rec)
    assert ("ياسر دلوان", "political_office_head", "جيش الإسلام") in got
    assert not any(p == "ياسر دلوان" and o == "فيلق الرحمن" for p, _, o in got)


def test_roles_one_per_pair_most_specific_wins(records):
    rec = records["001_67afc023dd4f8fc2"].to_record()
    got = [r for r in roles(rec) if r[0] == "مصطفى بكور"]
    assert got == [("مصطفى بكور", "public_relations_head", "جيش العزة")]


def test_roles_a_comma_set_name_after_role_and_group_needs_no_known_given_name():
    """"رائد" is a rank word and a given name; set off by commas after "مدير X" it is the name."""
    assert ("رائد الصالح", "head", "الدفاع المدني السوري") in roles(record(
        "وقال مدير “الدفاع المدني السوري”، رائد الصالح، لعنب بلدي، إن فرق الإنقاذ انتشلت الضحايا."))
    assert ("عدنان المسالمة", "member", "اللجنة المركزية") in roles(record(
        "وقال عضو اللجنة المركزية المحامي عدنان المسالمة إن الاتفاق صامد."))


@pytest.mark.parametrize("sentence,expected", [
    # a modifier of the organisation between it and the comma-set name
    ("وكان رئيس اللجنة الأمنية التابعة للنظام في درعا، اللواء حسام لوقا، قد توعد باللجوء إلى الحسم.",
     ("حسام لوقا", "head", "اللجنة الأمنية")),
    ("أكد القائد العسكري لـ\"فيلق الشام\" في قطاع حماة، الرائد سامر الدياب، أن الفصائل أنهت سحب السلاح.",
     ("سامر الدياب", "commander", "فيلق الشام")),
    # "X بقيادة RANK NAME"
    ("أعلن الجيش الوطني الليبي بقيادة المشير خليفة حفتر، اليوم الاثنين، أن سلاح الجو شن غارة على المطار.",
     ("خليفة حفتر", "commander", "الجيش الوطني الليبي")),
    # "باسم قوات X"
    ("وأعلن المتحدث باسم قوات حكومة الوفاق الوطني، العقيد محمد قنونو، إطلاق عملية عسكرية جنوب طرابلس.",
     ("محمد قنونو", "spokesperson", "حكومة الوفاق الوطني")),
])
def test_roles_past_modifiers_and_after_the_group(sentence, expected):
    assert expected in roles(record(sentence))


def test_roles_a_minister_heads_the_ministry_the_article_names():
    rec = record("أعلنت وزارة الدفاع التركية مقتل جنديين في قصف على إدلب.\n\n"
                 "وقال وزير الدفاع التركي، خلوصي أكار، إن العملية ستستمر. "
                 "والتقى وزير الخارجية الروسي سيرغي لافروف نظيره التركي.")
    got = roles(rec)
    assert ("خلوصي أكار", "head", "وزارة الدفاع التركية") in got
    assert not any(p == "سيرغي لافروف" for p, _, _ in got)  # his ministry is not named


def test_roles_the_leader_of_an_armed_group_named_after_its_quoted_name_is_its_commander():
    got = roles(record("وذلك بعد أيام من خطاب للأمين العام لـ\"حزب الله\" حسن نصر الله، أكد فيه أن سوريا "
                       "هي ظهر المقاومة."))
    assert ("حسن نصر الله", "commander", "حزب الله") in got


def test_roles_a_quoted_group_after_majmua_and_its_leader():
    got = roles(record("اندلعت اشتباكات بين فصائل محلية ومجموعة \"قوات الفجر\" التي يقودها راجي فلحوط "
                       "في ريف السويداء."))
    assert ("راجي فلحوط", "commander", "قوات الفجر") in got


def test_roles_a_tribal_sheikh_leads_his_tribe():
    rec = record("في المقابل، قال شيخ قبيلة العكيدات، إبراهيم الهفل، في تسجيل مصور إن العشائر لن تلقي السلاح.")
    assert ("إبراهيم الهفل", "commander", "قبيلة العكيدات") in roles(rec)
    assert [q["speaker"] for q in rec["quotes"]] == [next(e["id"] for e in rec["entities"] if e["name"] == "إبراهيم الهفل")]


def test_roles_a_role_with_a_pronoun_belongs_to_the_group_named_before_not_the_channel():
    rec = record("بثت معرفات هيئة تحرير الشام على تلغرام مقطعاً مصوراً لقائدها أحمد الشرع، المعروف بأبي محمد "
                 "الجولاني، يدعو فيه المقاتلين إلى الرحمة.")
    got = roles(rec)
    assert any(r == "commander" and o == "هيئة تحرير الشام" for _, r, o in got)
    assert not any(o == "تلغرام" for _, _, o in got)
