import pytest

from helpers import name_of, record


def quotes(rec):
    return [(name_of(rec, q["speaker"]), q["kind"], q["act"], q["text"], q["channel"]) for q in rec["quotes"]]


def only(rec, contains):
    hits = [q for q in quotes(rec) if contains in q[3]]
    assert len(hits) == 1, quotes(rec)
    return hits[0]


def test_quotes_indirect_after_cue_and_complementiser_with_channel():
    rec = record("وقال علوان في تصريح لأورينت نت، إن روسيا تعمل على عزل مدينة دوما.\n\n"
                 "(وائل علوان) الناطق الرسمي باسم فيلق الرحمن.", title="خبر عن الغوطة")
    q = only(rec, "روسيا تعمل على عزل مدينة دوما")
    assert q[1:3] == ("indirect", "CLAIM") and q[4] == "أورينت نت"


def test_quotes_direct_in_marks_and_pronoun_continuation():
    rec = record("قال العقيد مصطفى بكور إن الفصيل حريص على الأسرى.\n\n"
                 "وأردف “الآن نحن نسعى لتذكير العالم الحر بموضوع الأسرى والمعتقلين”.")
    q = only(rec, "نسعى لتذكير العالم الحر")
    assert q[0] == "مصطفى بكور" and q[1] == "direct" and q[3].startswith("الآن")


@pytest.mark.parametrize("sentence,act", [
    ("نفى \"جيش الإسلام\" ما تروج له وسائل إعلام النظام من شائعات حول خروج مقاتليه.", "DENIAL"),
    ("واتهم الائتلاف الوطني السوري النظام بارتكاب مجزرة في ريف إدلب.", "ACCUSATION"),
    ("وطالب الائتلاف الوطني السوري المجتمع الدولي بوقف القصف على ريف إدلب الجنوبي.", "APPEAL"),
    ("وهدد حزب الله باستهداف المواقع إذا استمر القصف.", "THREAT"),
    ("وأكد (منذر فارس) المتحدث باسم أحرار الشام أنهم \"لم يفاوضوا أي طرف للتفاوض باسم الحركة\".", "DENIAL"),
    # a plain reporting verb, a threatening or appealing content
    ("وتابع الناطق باسم جيش الإسلام حمزة بيرقدار: \"سنعود إلى القصير، وسيدفع حزب الله ثمن ما ارتكبه\".", "THREAT"),
    ("وقال الناطق باسم جيش الإسلام حمزة بيرقدار: \"نطالب الضامن الروسي بالالتزام بتعهداته\".", "APPEAL"),
    ("وقال الناطق باسم جيش الإسلام حمزة بيرقدار إن ثمن الخبز ارتفع في الغوطة.", "CLAIM"),
])
def test_quotes_act_from_cue_verb_or_content(sentence, act):
    rec = record(sentence)
    assert rec["quotes"] and rec["quotes"][0]["act"] == act


def test_quotes_mixed_when_a_quoted_clause_sits_in_reported_speech():
    rec = record("كما نفى (حمزة بيرقدار) الناطق باسم جيش الإسلام ما يتم الترويج له من عقد صفقة، "
                 "قائلاً: \"لا عقيدتنا ولا ثوريتنا تسمح ببيع دماء المجاهدين\".")
    q = only(rec, "لا عقيدتنا")
    assert q[0] == "حمزة بيرقدار" and q[1] == "mixed" and q[2] == "DENIAL"


def test_quotes_description_resolves_to_the_role_holder():
    rec = record("وكان (وائل علوان) الناطق الرسمي باسم \"فيلق الرحمن\" قد أكد أن الفيلق صامد.\n\n"
                 "وأشار الناطق الرسمي باسم فيلق الرحمن إلى أن الروس يحاولون الضغط على الفصائل.")
    q = only(rec, "الروس يحاولون الضغط")
    assert q[0] == "وائل علوان"


def test_quotes_organisation_statement_and_according_to_the_statement():
    rec = record("أكدت الفصائل العاملة ضمن غرفة عمليات دحر الغزاة خلال بيانها أنها سيطرت على البلدة.\n\n"
                 "وبحسب البيان الصادر فقد جرت اشتباكات عنيفة بين الطرفين استمرت ثلاثة أيام.")
    q = only(rec, "جرت اشتباكات عنيفة")
    assert q[0] == "غرفة عمليات دحر الغزاة"


def test_quotes_unmarked_direct_speech_after_channel():
    rec = record("من جهته قال العقيد الطيار مصطفى بكور خلال اتصال هاتفي مع الوكالة السورية للأنباء "
                 "\"سنا\" نعم تم القضاء على الجيب الاخير للتنظيم في ريف ادلب.")
    q = only(rec, "تم القضاء على الجيب")
    assert q[0] == "مصطفى بكور" and q[1] == "direct" and q[3].startswith("نعم")


def test_quotes_interview_answers_are_statements_and_questions_are_not(records):
    rec = records["002_91baa5340ac027c7"].to_record()
    qs = quotes(rec)
    assert any("لطالما حاولنا رأب الصدع" in q[3] and q[2] == "ANSWER" and q[0] == "حمزة بيرقدار" for q in qs)
    assert any("خسئ من ظن" in q[3] and q[2] == "DENIAL" for q in qs)
    # a reader's question is never the interviewee's statement
    assert not any("هل تتبعون لنظام الأسد" in q[3] for q in qs)
    assert not any("من المسؤول عن الهزيمة" in q[3] for q in qs)


def test_quotes_pull_quote_with_the_name_on_the_next_line(records):
    rec = records["002_91baa5340ac027c7"].to_record()
    pulls = [q for q in quotes(rec) if q[3] == "تحالف فيلق الرحمن وجبهة النصرة كان أحد أهم الأسباب التي أدت إلى ما وصلت إليه الغوطة"]
    assert pulls and pulls[0][0] == "حمزة بيرقدار"


def test_quotes_spans_point_at_the_text(records):
    for doc in records.values():
        rec = doc.to_record()
        for q in rec["quotes"]:
            assert rec["text"][q["span"][0]:q["span"][1]] == q["text"]


def test_quotes_a_named_subject_mid_sentence_starts_a_new_statement():
    rec = record("وأفاد ناشطون بأن الطيران الحربي قصف قرية كفر عويد في جبل الزاوية، بينما قال المدعو "
                 "\"أحمد العلي\"، أحد سكان المنطقة، إن القصف كان عنيفاً.")
    texts = {q[3]: q[0] for q in quotes(rec)}
    assert texts.get("القصف كان عنيفاً") == "أحمد العلي"
    assert any(t.endswith("جبل الزاوية") for t in texts)


def test_quotes_speaker_past_a_relative_clause_and_a_ranked_apposition():
    """The speaker is the person in apposition (after the rank), not the organisation of the
    role phrase; a relative clause after the name ("، التي قادت …،") is not the content."""
    rec = record("من جهتها، قالت القيادية في قوات سوريا الديمقراطية روجدا فلات، التي قادت حملة "
                 "\"غضب الفرات\" لاستعادة المدينة، إن \"الرقة تحررت من أخطر تنظيم إرهابي عرفه العالم\".\n\n"
                 "في المقابل، أكد رئيس هيئة أركان الجيش السوري الحر، اللواء سليم إدريس، في اتصال هاتفي، "
                 "أن انسحاب المقاتلين من القصير \"كان قراراً تكتيكياً لحماية المدنيين\".", title="خبر")
    q = only(rec, "الرقة تحررت")
    assert q[0] == "روجدا فلات" and q[1] == "direct" and "التي قادت" not in q[3]
    q = only(rec, "كان قراراً تكتيكياً")
    assert q[0] == "سليم إدريس" and q[3].startswith("انسحاب المقاتلين")


def test_quotes_speaker_after_a_title_and_group_attachments_and_speech_after_a_colon():
    """"وزير الدفاع التركي X" names X; "التابع لـ… المدعوم من …" and a rank are frame; a straight
    quote mark right after a word closes a quoted name; a colon opens the speech."""
    rec = record("وقال وزير الدفاع التركي خلوصي أكار، خلال تفقده غرفة العمليات على الحدود: \"العملية تسير "
                 "بنجاح وفق المخطط لها\".\n\nمن جهته، قال القيادي في \"اللواء الثامن\" التابع للفيلق الخامس "
                 "المدعوم من روسيا، النقيب صهيب الرحيل، للجزيرة نت: \"اللواء لم يشارك في أي عمليات عسكرية ضد "
                 "أهالي درعا البلد\".", title="خبر")
    q = only(rec, "العملية تسير بنجاح")
    assert q[0] == "خلوصي أكار" and q[1] == "direct" and q[3].startswith("العملية")
    q = only(rec, "اللواء لم يشارك")
    assert q[0] == "صهيب الرحيل" and q[1] == "direct" and q[2] == "DENIAL" and q[3].startswith("اللواء")


def test_quotes_interview_with_labelled_questions_and_answers():
    """"المنصة: سؤال؟" / "الدياب: جواب": the labels are not said; the narration after the last
    answer is not part of it."""
    body = ("أكد القائد العسكري لـ\"فيلق الشام\" في قطاع حماة، الرائد سامر الدياب، أن الفصائل أنهت سحب "
            "السلاح الثقيل من المنطقة منزوعة السلاح.\n\n"
            "وجاء ذلك في حوار خاص أجراه موقع المنصة مع الدياب تحدث فيه عن الاتفاق.\n\n"
            "المنصة: بدايةً، أين وصلت عملية سحب السلاح الثقيل من المنطقة؟\n\n"
            "الدياب: أنهينا أمس سحب آخر الدبابات والمدافع من خطوط التماس في ريف حماة الشمالي.\n\n"
            "المنصة: هناك من يتهم الفصائل بتسليم المنطقة للروس تدريجياً، ما ردكم؟\n\n"
            "الدياب: هذا الكلام عار عن الصحة تماماً، ولم نسلم شبراً واحداً ولن نسلم.\n\n"
            "يشار إلى أن الرئيسين الروسي والتركي اتفقا في مدينة سوتشي على إنشاء المنطقة منزوعة السلاح.")
    rec = record(body, title="قائد عسكري: سحبنا السلاح الثقيل")
    q = only(rec, "أنهينا أمس سحب")
    assert q[0] == "سامر الدياب" and q[2] == "ANSWER" and q[1] == "direct" and q[3].startswith("أنهينا")
    q = only(rec, "عار عن الصحة")
    assert q[0] == "سامر الدياب" and q[2] == "DENIAL" and "سوتشي" not in q[3]
    assert not [x for x in quotes(rec) if "ما ردكم" in x[3]]


def test_quotes_subjects_countries_same_speaker_and_org_names_that_start_with_a_role_word():
    rec = record("قالت هيئة تحرير الشام في بيان إن الوضع في المدينة مستقر. ونفى مسؤول التواصل الإعلامي في "
                 "الهيئة، حسام الدين الطرابلسي، في حديث لموقع تلفزيون سوريا، أن يكون الاعتقال على خلفية "
                 "الانشقاق.\n\nوقال القيادي في حركة أحرار الشام أبو عمر الشامي إن الحركة لم تبدأ القتال. "
                 "واتهم الناطق ذاته \"تحرير الشام\" بـ\"البغي على الفصائل\".\n\n"
                 "وطالبت فرنسا بعقد اجتماع طارئ لمجلس الأمن الدولي لبحث الهجوم على دوما.", title="خبر")
    assert only(rec, "الوضع في المدينة مستقر")[0] == "هيئة تحرير الشام"  # not the role holder of الهيئة
    assert only(rec, "على خلفية الانشقاق")[0] == "حسام الدين الطرابلسي"
    assert only(rec, "البغي على الفصائل")[0] == "أبو عمر الشامي"
    assert only(rec, "بعقد اجتماع طارئ")[0] == "فرنسا"


def test_quotes_kind_a_reporters_word_before_the_marks_makes_it_mixed():
    rec = record("وقال الناطق باسم جيش الإسلام حمزة بيرقدار إن الغارة \"استهدفت مواقع قواتنا في الغوطة الشرقية\". "
                 "واتهم بيرقدار النظام بـ\"ارتكاب مجازر بحق المدنيين في دوما\".\n\n"
                 "وتابع بيرقدار قائلاً: \"لن نخرج من الغوطة مهما كان الثمن\".", title="خبر")
    assert only(rec, "استهدفت مواقع قواتنا")[1] == "mixed"
    assert only(rec, "ارتكاب مجازر")[1] == "mixed"
    assert only(rec, "لن نخرج من الغوطة")[1] == "direct"


def test_quotes_a_described_spokesman_is_not_the_groups_commander():
    rec = record("وقال قائد جيش الإسلام زهران علوش إن قواته صامدة في الغوطة الشرقية رغم القصف.\n\n"
                 "ونفى الناطق باسم جيش الإسلام أن تكون قذائف الفصيل قد استهدفت أحياء سكنية في دمشق.", title="خبر")
    assert only(rec, "قذائف الفصيل")[0] != "زهران علوش"


@pytest.mark.parametrize("sentence,act", [
    ("وقال الناطق باسم جيش الإسلام حمزة بيرقدار إن الهيئة \"لن تتهاون مع أي اختراق أمني\".", "THREAT"),
    ("وقال الناطق باسم جيش الإسلام حمزة بيرقدار إن قواته سترد بحزم على أي خرق للهدنة.", "THREAT"),
    ("وقال الناطق باسم جيش الإسلام حمزة بيرقدار إن القصف استهداف متعمد للمدنيين في دوما.", "ACCUSATION"),
    ("وقال الناطق باسم جيش الإسلام حمزة بيرقدار إن الفصيل لم ينسحب من أي موقع في الغوطة.", "DENIAL"),
])
def test_quotes_threats_before_bare_negations_and_accusing_content(sentence, act):
    rec = record(sentence)
    assert [q[2] for q in quotes(rec)] == [act]


def test_quotes_an_answer_to_a_question_is_an_answer_even_when_it_starts_with_no():
    rec = record("وقالت المتحدثة باسم اللجنة الدولية للصليب الأحمر، سيلفي دوبوا، إن الوضع الإنساني كارثي.\n\n"
                 "ورداً على سؤال عن عدد من سيشملهم الإجلاء، قالت دوبوا: \"لا نملك رقماً دقيقاً حتى الآن، "
                 "لكننا نتحدث عن عشرات الآلاف من المدنيين\".")
    q = only(rec, "لا نملك رقماً دقيقاً")
    assert q[0] == "سيلفي دوبوا" and q[2] == "ANSWER" and q[1] == "direct"


def test_quotes_a_denial_word_inside_another_word_is_no_denial():
    rec = record("وقال المتحدث باسم وزارة الداخلية، نور الدين البابا، إن \"قوى الأمن الداخلي انتشرت في الريفين "
                 "لضمان تنفيذ وقف إطلاق النار وتأمين خروج المقاتلين\".")
    assert only(rec, "قوى الأمن الداخلي انتشرت")[2] == "CLAIM"


def test_quotes_a_secondary_statement_after_a_comma_does_not_make_the_quote_mixed():
    rec = record("وقال رئيس المركز الروسي للمصالحة، اللواء يفغيني شيلكوف، إن \"أكثر من 30 بلدة في ريف درعا "
                 "انضمت إلى عملية المصالحة\"، مضيفاً أن ممثلي المسلحين تعهدوا بتسليم الأسلحة الثقيلة.")
    q = only(rec, "أكثر من 30 بلدة")
    assert q[1] == "direct" and q[0] == "يفغيني شيلكوف"


def test_quotes_the_ministry_said_again_is_the_ministry_named_before():
    rec = record("وقال المتحدث باسم وزارة الداخلية السورية، نور الدين البابا، إن قوى الأمن انتشرت في الريف.\n\n"
                 "وأفاد المرصد السوري لحقوق الإنسان بمقتل عشرة أشخاص.\n\n"
                 "وقالت الوزارة إن قافلة مساعدات دخلت ظهر الأحد إلى المدينة.")
    q = only(rec, "قافلة مساعدات دخلت")
    assert q[0] is not None and q[0].startswith("وزارة الداخلية")


def test_quotes_a_labelled_exchange_after_a_private_talk_and_the_report_after_it():
    rec = record("وفي حديث خاص لـ\"سبوتنيك\"، أجاب عضو لجنة المصالحة، الشيخ عدنان الرفاعي، عن أسئلة حول الاتفاق:\n\n"
                 "سبوتنيك: ما أبرز بنود الاتفاق الذي تم التوصل إليه في بصرى الشام؟\n\n"
                 "الرفاعي: الاتفاق ينص على تسليم السلاح الثقيل والمتوسط بشكل فوري.\n\n"
                 "سبوتنيك: تحدثت وسائل إعلام معارضة عن انهيار المفاوضات، ما حقيقة ذلك؟\n\n"
                 "الرفاعي: هذا غير دقيق. المفاوضات تعثرت يوم الأربعاء لكنها لم تنهر.\n\n"
                 "في المقابل، نفى الناطق باسم غرفة العمليات في الجنوب، الرائد عصام المقداد، أن يكون ما جرى استسلاماً.")
    assert only(rec, "تسليم السلاح الثقيل")[:3] == ("عدنان الرفاعي", "direct", "ANSWER")
    assert only(rec, "المفاوضات تعثرت")[2] == "DENIAL"
    assert only(rec, "ما جرى استسلاماً")[0] != "عدنان الرفاعي"


def test_quotes_a_statement_reproduced_after_its_intro_is_quoted_point_by_point():
    rec = record("وأصدر المركز الإعلامي لعملية بركان الغضب بياناً بعد ساعات من دخول المدينة، هذا نصه:\n\n"
                 "بيان صادر عن المركز الإعلامي لعملية بركان الغضب\n\n"
                 "1- تعلن قواتنا تحرير مدينة ترهونة بالكامل من الميليشيات وبسط السيطرة على مداخلها.\n\n"
                 "2- ندعو أهالي ترهونة إلى عدم الاقتراب من المباني التي كانت تتحصن بها الميليشيات.\n\n"
                 "صادر في طرابلس بتاريخ 5 يونيو/حزيران 2020.\n\n"
                 "في المقابل، نفى المتحدث باسم قوات حفتر، اللواء أحمد المسماري، انهيار قواته في ترهونة.")
    first = only(rec, "تعلن قواتنا تحرير مدينة ترهونة")
    assert first[1:3] == ("direct", "CLAIM") and first[3].startswith("تعلن")
    assert only(rec, "ندعو أهالي ترهونة")[2] == "APPEAL"
    assert first[0] == only(rec, "ندعو أهالي ترهونة")[0] is not None
    assert only(rec, "انهيار قواته")[0] == "أحمد المسماري"


def test_quotes_the_interviewee_is_the_person_the_introduction_names():
    rec = record("وأكد القائد العام لمجلس منبج العسكري، محمد أبو عادل، في كلمة أمام الأهالي أن المدينة ستدار من أبنائها.\n\n"
                 "وفي حوار خاص، تحدث المتحدث الرسمي باسم المجلس، آزاد شيخو، عن مستقبل المدينة، وفيما يلي نص الحوار:\n\n"
                 "س: كيف تصفون الوضع في منبج بعد يومين من إعلان تحريرها؟\n\n"
                 "ج: المدينة تحت سيطرة قواتنا بالكامل وفرق الهندسة تعمل على تفكيك الألغام.\n\n"
                 "س: ما خطتكم لإدارة المدينة في المرحلة المقبلة؟\n\n"
                 "ج: سنسلم إدارة المدينة لمجلس مدني يختاره أبناؤها.")
    assert only(rec, "فرق الهندسة تعمل")[0] == "آزاد شيخو"
    assert only(rec, "سنسلم إدارة المدينة")[:3] == ("آزاد شيخو", "direct", "ANSWER")


def test_quotes_a_masculine_verb_before_a_country_makes_it_the_addressee():
    rec = record("واتهم المتحدث باسم قوات سوريا الديمقراطية، فرهاد شامي، تركيا بـ\"استغلال الصمت الدولي\"، "
                 "وطالب روسيا، بصفتها ضامناً لتفاهمات عام 2019، بـ\"تحمل مسؤولياتها ووقف الاعتداءات التركية\".")
    assert only(rec, "تحمل مسؤولياتها")[0] == "فرهاد شامي"


def test_quotes_the_speaker_of_a_relative_clause_is_the_person_before_it():
    rec = record("قتل عنصران من الفصائل، بحسب الملازم أول محمد الدغيم، القائد الميداني في \"فرقة السلطان مراد\"، "
                 "الذي قال لستيب إن \"قسد تحاول تغيير خطوط التماس\".")
    assert only(rec, "قسد تحاول تغيير")[0] == "محمد الدغيم"


def test_quotes_a_description_verb_with_its_own_subject_starts_another_statement():
    rec = record("أكد خلاله الرئيس التركي رجب طيب أردوغان أن بلاده \"ستواصل دعم حكومة الوفاق حتى يعم السلام\"، "
                 "فيما وصف رئيس المجلس الرئاسي فائز السراج المعركة بأنها \"معركة الدفاع عن الدولة المدنية\".")
    assert only(rec, "ستواصل دعم حكومة الوفاق")[0] == "رجب طيب أردوغان"
    assert only(rec, "معركة الدفاع عن الدولة المدنية")[0] == "فائز السراج"
