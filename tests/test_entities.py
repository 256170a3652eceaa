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


@pytest.mark.parametrize("sentence,name", [
    ("وقال عضو اللجنة المركزية المحامي عدنان المسالمة إن الاتفاق صامد.", "اللجنة المركزية"),
    ("وقال رئيس حكومة الوفاق الوطني فائز السراج إن حكومته لن تتراجع.", "حكومة الوفاق الوطني"),
    ("وكان اتفاق رعاه مجلس الرقة المدني ووجهاء العشائر قد سمح بخروج المسلحين.", "مجلس الرقة المدني"),
    ("وقال الناطق باسم المجلس العسكري في القصير إن المقاتلين انسحبوا.", "المجلس العسكري في القصير"),
    ("ونقل عن بيان للقيادة العامة للجيش والقوات المسلحة أن وحداتها تقدمت.", "القيادة العامة للجيش والقوات المسلحة"),
])
def test_entities_institutions_named_by_a_head_noun(sentence, name):
    rec = record(sentence)
    orgs = [e for e in rec["entities"] if e["type"] == "ORG"]
    assert name in [e["name"] for e in orgs], orgs
    e = next(e for e in orgs if e["name"] == name)
    for s, t in e["mentions"]:
        assert rec["text"][s:t].endswith(name.split()[-1])


@pytest.mark.parametrize("sentence", [
    "وأعلنت الحكومة الجديدة برنامجها أمام البرلمان في جلسة عقدت بالعاصمة دمشق يوم أمس.",
    "وقال رئيس هيئة الأركان في جيش الإسلام إن الوضع صعب.",
    "واجتمع عضو اللجنة مع الأهالي أمس لبحث عودة النازحين إلى قراهم في ريف حماة.",
    "وقالت حكومة النظام إن الوضع مستقر في المدينة بعد انسحاب المقاتلين منها إلى الشمال.",
])
def test_entities_descriptions_with_an_institution_head_are_not_names(sentence):
    rec = record(sentence)
    assert not [e["name"] for e in rec["entities"] if e["type"] == "ORG" and e["kb_id"].startswith("rasid:org:")
                and e["name"].split()[0] in ("الحكومة", "هيئة", "اللجنة", "حكومة")], rec["entities"]


def test_entities_frequent_word_place_after_a_locative_preposition():
    """القصير is also "the short": a place after في/ب, still not as a plain adjective."""
    assert entity_named(record("وانسحب المقاتلون من القصير بعد معارك عنيفة استمرت أسابيع مع قوات النظام."), "القصير")["type"] == "LOC"
    assert not [e for e in record("وسلك الرتل العسكري الطريق القصير نحو المدينة بعد ساعات من الانتظار عند الحاجز.")["entities"] if e["name"] == "القصير"]


def test_entities_compound_surname_and_shortened_institution_are_one_entity_each():
    rec = record("وقال المتحدث الرسمي باسم الجيش السوداني، العميد نبيل عبد الله، في بيان، إن قوات الجيش "
                 "تصدت لهجوم واسع. وأضاف عبد الله أن قواته تقدمت نحو الجسر.\n\nوقال عضو اللجنة المركزية في "
                 "درعا البلد عدنان المسالمة إن الاتفاق صامد، فيما قالت اللجنة المركزية إنها ملتزمة ببنوده.")
    people = [e for e in rec["entities"] if e["type"] == "PER"]
    assert sorted(e["name"] for e in people) == ["عدنان المسالمة", "نبيل عبد الله"]
    assert len(entity_named(rec, "نبيل عبد الله")["mentions"]) == 2
    committees = [e for e in rec["entities"] if e["name"].startswith("اللجنة المركزية")]
    assert len(committees) == 1 and len(committees[0]["mentions"]) == 2


def test_entities_place_name_parts_and_family_names():
    """An unknown town after a head keeps its direction (البويضة الشرقية); a listed countryside
    takes one too; "الريف" alone is no place; a family name that is also a neighbourhood (المالكي)
    is a person's name after a given name, a place after حي."""
    rec = record("وتحدث ناشطون عن نزوح آلاف العائلات نحو بلدة البويضة الشرقية وقرى ريف القصير الشمالي، "
                 "فيما انسحب المقاتلون باتجاه قرى الريف الشمالي.\n\nوقال المتحدث باسم التحالف العقيد الركن "
                 "تركي المالكي في بيان إن الدفاعات اعترضت طائرة مسيرة، وانتشرت القوات في حي المالكي بدمشق.")
    locs = {e["name"] for e in rec["entities"] if e["type"] == "LOC"}
    assert {"البويضة الشرقية", "ريف القصير الشمالي", "المالكي"} <= locs and "الريف" not in locs
    assert entity_named(rec, "تركي المالكي")["type"] == "PER"
    assert len(entity_named(rec, "المالكي")["mentions"]) == 1


def test_entities_institution_names_with_a_coordinated_word_or_centre_head():
    rec = record("قال رئيس لجنة الأسرى والمعتقلين في \"الجيش الوطني\"، العقيد ياسر الحاج علي، إن الجولة "
                 "نجحت. ونفى المركز الروسي للمصالحة في سوريا صحة التقارير عن الهجوم على مدينة دوما.")
    names = {e["name"] for e in rec["entities"] if e["type"] == "ORG"}
    assert {"لجنة الأسرى والمعتقلين", "المركز الروسي للمصالحة في سوريا"} <= names
    assert entity_named(rec, "ياسر الحاج علي")["rank"] == "عقيد"


def test_entities_a_descriptive_institution_name_keeps_to_its_article():
    """"اللجنة المركزية" in two articles may be two committees: one identity per article; a
    placed or proper name ("المجلس العسكري في القصير") is one identity everywhere."""
    from rasid import extract_text

    text = ("وقال عضو اللجنة المركزية المحامي عدنان المسالمة إن الاتفاق صامد، فيما قال الناطق باسم "
            "المجلس العسكري في القصير إن القتال مستمر في محيط المدينة منذ أسابيع.")
    ids = [{e.name: e.kb_id for e in extract_text(text, doc_id=d).entities if e.type == "ORG"} for d in ("a1", "a2")]
    assert ids[0]["اللجنة المركزية"] != ids[1]["اللجنة المركزية"]
    assert ids[0]["المجلس العسكري في القصير"] == ids[1]["المجلس العسكري في القصير"]


def test_entities_family_name_said_again_and_rank_with_a_modifier():
    """"الحاج علي" again after "ياسر الحاج علي" is no new person "علي نظام"; "الفريق الركن"
    is a rank even before a name no list knows (صغير is also "small")."""
    rec = record("من جهته، قال رئيس لجنة الأسرى في الجيش الوطني، العقيد ياسر الحاج علي، إن الجولة نجحت. "
                 "واتهم الحاج علي نظام أسد بالمماطلة وتقديم أسماء معتقلين مدنيين.\n\nإلى ذلك، أكد رئيس هيئة "
                 "الأركان العامة للجيش اليمني الفريق الركن صغير بن عزيز، خلال زيارته خطوط المواجهة، أن "
                 "المعركة مستمرة.")
    people = {e["name"]: e for e in rec["entities"] if e["type"] == "PER"}
    assert set(people) == {"ياسر الحاج علي", "صغير بن عزيز"} and people["صغير بن عزيز"]["rank"] == "فريق"


def test_entities_compound_names_with_allah_and_known_as_names_in_quotes():
    rec = record("وفي كلمة متلفزة مساء أمس، قال الأمين العام لحزب الله، السيد حسن نصر الله، إن ما تحقق في "
                 "الجرود هو انتصار. وأضاف نصر الله أن المعركة انتهت إن شاء الله.\n\nوأعلنت هيئة تحرير الشام "
                 "توقيف أحد أبرز قادتها، ميسر بن علي الجبوري المعروف بـ\"أبو ماريا القحطاني\"، وتجميد مهامه.")
    e = entity_named(rec, "حسن نصر الله")
    assert [rec["text"][s:t] for s, t in e["mentions"]] == ["حسن نصر الله", "نصر الله"]
    assert entity_named(rec, "أبو ماريا القحطاني")["type"] == "PER"


def test_entities_other_names_and_family_names_join_their_person():
    """A known-as name in quotes joins the person named just before it; a one-word place that is a
    named person's family name ("المالكي" after "تركي المالكي") is that person; "الحكومة السورية"
    is the listed government, not the country."""
    rec = record("أكد القائد العسكري لفيلق الشام، الرائد سامر الدياب، أن الفصائل أنهت سحب السلاح. وجاء ذلك "
                 "في حوار مع الدياب، المعروف بلقب \"أبو عمر الحموي\"، تحدث فيه عن الاتفاق.\n\nوقال المتحدث باسم "
                 "التحالف العقيد الركن تركي المالكي إن الدفاعات اعترضت طائرة مسيرة. وأضاف المالكي أن التحالف "
                 "سيرد، فيما قالت الحكومة السورية إن الهدنة صامدة.")
    people = {e["name"]: e for e in rec["entities"] if e["type"] == "PER"}
    assert set(people) == {"سامر الدياب", "تركي المالكي"}
    assert "أبو عمر الحموي" in people["سامر الدياب"]["aliases"] and len(people["تركي المالكي"]["mentions"]) == 2
    assert not [e for e in rec["entities"] if e["type"] == "LOC" and e["name"] in ("المالكي", "سوريا")]


def test_entities_a_village_introduced_by_its_head_noun_is_found_again_bare():
    rec = record("اندلعت اشتباكات في بلدتي عتيل وسليم شمالي مدينة السويداء. "
                 "واختطف مسلحون شاباً على حاجز قرب عتيل، ثم سيطرت الفصائل على المقر في عتيل. "
                 "وقال سليم الحسن إن الأهالي غاضبون.")
    atil = entity_named(rec, "عتيل")
    spans = [rec["text"][s:e] for s, e in atil["mentions"]]
    assert spans == ["عتيل", "عتيل", "عتيل"]
    salim = entity_named(rec, "سليم")  # the town; "سليم الحسن" is a man, not a second mention
    assert len(salim["mentions"]) == 1


@pytest.mark.parametrize("sentence, place", [
    ("وسيطر تنظيم داعش على الرقة في يناير 2014، وأعلنها عاصمة لما سماه دولة الخلافة.", "الرقة"),
    ("وكانت معركة القصير قد بدأت في أيار الماضي بهجوم واسع شنته قوات النظام.", "القصير"),
])
def test_entities_place_after_the_preposition_ala_or_a_battle_noun(sentence, place):
    rec = record("قالت مصادر محلية في بيان نشرته اليوم إن الوضع الميداني ما زال متوتراً. " + sentence)
    ent = entity_named(rec, place)
    assert ent is not None and ent["type"] == "LOC"


def test_entities_a_place_name_after_the_given_name_ali_is_a_family_name():
    rec = record("قالت مصادر محلية في بيان نشرته اليوم إن الوضع الميداني ما زال متوتراً. "
                 "وقال علي حمص، وهو من سكان المدينة، إن القصف لم يتوقف.")
    assert entity_named(rec, "حمص") is None


def test_entities_the_tagger_sees_punctuation_as_in_training_so_a_name_after_a_comma_is_found():
    rec = record("قالت مصادر محلية في بيان نشرته اليوم إن الوضع الميداني ما زال متوتراً. "
                 "وأوضح المبعوث الأممي إلى اليمن، مارتن غريفيث، أن الأمم المتحدة ستتولى دوراً رئيسياً في إدارة الميناء.")
    ent = entity_named(rec, "مارتن غريفيث")
    assert ent is not None and ent["type"] == "PER"


def test_entities_a_national_institution_keeps_one_identity_across_articles():
    a = record("وقال رئيس المركز الروسي للمصالحة، اللواء يفغيني شيلكوف، إن الهدنة صامدة.", doc_id="a1")
    b = record("وأعلن المركز الروسي للمصالحة أن 30 بلدة انضمت إلى التسوية في ريف درعا.", doc_id="b1")
    ka = entity_named(a, "المركز الروسي للمصالحة")["kb_id"]
    assert ka == entity_named(b, "المركز الروسي للمصالحة")["kb_id"] and "@" not in ka
    c = record("وقالت اللجنة المركزية في بيان إن المفاوضات متوقفة.", doc_id="c1")
    assert "@" in entity_named(c, "اللجنة المركزية")["kb_id"]  # a description, not a name


@pytest.mark.parametrize("sentence, name", [
    ("وفي أنقرة، قال وزير الخارجية التركي مولود جاووش أوغلو إن بلاده ستواصل العمل مع روسيا.", "مولود جاووش أوغلو"),
    ("وقال الرئيس التركي رجب طيب أردوغان إن بلاده لن تسمح بذلك.", "رجب طيب أردوغان"),
    ("وقال وزير الخارجية الفرنسي جان إيف لودريان إن باريس قلقة.", "جان إيف لودريان"),
    ("وقال وزير الخارجية الروسي سيرغي لافروف أمس إن موسكو ستواصل دعم دمشق.", "سيرغي لافروف"),
])
def test_entities_a_name_after_an_office_and_a_nationality(sentence, name):
    rec = record(sentence)
    ent = entity_named(rec, name)
    assert ent is not None and ent["type"] == "PER"
    assert [q["speaker"] for q in rec["quotes"]] == [ent["id"]]


def test_entities_two_villages_after_a_dual_head_when_the_first_has_two_words():
    rec = record("قتل ثلاثة عناصر بضربة من طائرة مسيرة استهدفت سيارتهم على الطريق بين قريتي أم الحوش وحربل "
                 "في ريف حلب الشمالي.")
    assert {"أم الحوش", "حربل"} <= {e["name"] for e in rec["entities"] if e["type"] == "LOC"}


@pytest.mark.parametrize("sentence, name", [
    ("من جهته، دعا محافظ حمص غسان عبد العال الأهالي الذين غادروا الحي إلى العودة.", "غسان عبد العال"),
    ("من جهته، دعا رئيس حركة جيش تحرير السودان وحاكم إقليم دارفور، مني أركو مناوي، المجتمع الدولي إلى "
     "التحرك.", "مني أركو مناوي"),
])
def test_entities_a_governor_of_a_place_and_a_three_word_name_in_commas(sentence, name):
    rec = record(sentence)
    ent = entity_named(rec, name)
    assert ent is not None and [q["speaker"] for q in rec["quotes"]] == [ent["id"]]


def test_entities_a_name_before_known_as_and_an_unquoted_kunya_are_one_person():
    rec = record("بثت معرفات هيئة تحرير الشام مقطعاً مصوراً لقائدها أحمد الشرع، المعروف بأبي محمد الجولاني، "
                 "يدعو فيه المقاتلين إلى الرحمة. وقال الشرع في المقطع: \"دخلنا حماة لنطوي صفحة جرح\".")
    ent = entity_named(rec, "أحمد الشرع")
    assert ent is not None
    spans = [rec["text"][a:b] for a, b in ent["mentions"]]
    assert "أبي محمد الجولاني" in spans  # the preposition ب is not part of the name
    assert rec["quotes"] and all(q["speaker"] == ent["id"] for q in rec["quotes"])
