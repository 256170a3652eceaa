"""Rules added for articles from outlets and layouts no list knows (probe batch 6's first run).

Each snippet is written for the test in the style of scraped Arabic news; none is copied from
an evaluation article.
"""
from __future__ import annotations

from helpers import entity_named, name_of

from rasid import extract_text

PAGE = """شبكة نهر الخابور
Khabour River Network
الرئيسية
أخبار
تقارير

اشتباكات بين مقاتلين محليين وقوات النظام في ريف دير الزور

12 آذار، 2021
شبكة نهر الخابور - خاص

صورة من أطراف البلدة - شبكة نهر الخابور (أرشيف)

وقال مراسل شبكة نهر الخابور إن اشتباكات عنيفة اندلعت فجر اليوم الجمعة في بلدة الصبحة بريف دير الزور الشرقي بين مقاتلين محليين وعناصر من قوات النظام، قتل خلالها ثلاثة عناصر.

وأضاف أن التوتر مستمر في البلدة منذ أيام، وسط انتشار أمني كثيف على الطرقات المؤدية إليها.
"""


def record(text: str) -> dict:
    return extract_text(text).to_record()


def test_an_outlet_no_list_knows_is_read_from_the_page_structure() -> None:
    rec = record(PAGE)
    assert rec["source"]["outlet"] == "شبكة نهر الخابور"
    media = entity_named(rec, "شبكة نهر الخابور")
    assert media is not None and media["type"] == "ORG" and media["subtype"] == "MEDIA"


def test_a_dateline_naming_a_place_is_not_an_outlet() -> None:
    text = PAGE.replace("شبكة نهر الخابور - خاص", "دير الزور - خاص").replace(
        "شبكة نهر الخابور\nKhabour River Network\n", "").replace(
        " - شبكة نهر الخابور (أرشيف)", "").replace("مراسل شبكة نهر الخابور", "مراسلنا")
    assert record(text)["source"]["outlet"] is None


def events_of(body: str, published: str = "2023-09-06") -> list[tuple[str, str | None, str | None]]:
    rec = extract_text(f"خبر\n\n{body}", published=published).to_record()
    return [(e["type"], name_of(rec, e["location"]), e["date"]) for e in rec["events"]]


def test_the_start_of_a_period_and_a_standing_state_are_no_events() -> None:
    evs = events_of("وبحسب المرصد، قُتل أكثر من 90 شخصاً منذ اندلاع المواجهات في بلدة ذيبان في 27 آب الماضي. "
                    "ويخشى مراقبون صراعاً مع القوات التي تسيطر على مدينة البصيرة.")
    assert evs == []


def test_fighting_over_a_period_takes_no_date_from_its_sentence() -> None:
    evs = events_of("بسطت قوات ألوية العمالقة، اليوم الأربعاء، سيطرتها على مدينة عتق، "
                    "إثر ثلاثة أيام من المواجهات مع قوات الأمن الخاصة.", published="2022-08-10")
    assert ("TERRITORY_CHANGE", "عتق", "2022-08-10") in evs
    assert ("BATTLE", "عتق", None) in evs


def test_handing_over_weapons_is_a_surrender_and_days_ago_dates_it() -> None:
    evs = events_of("وكانت الفصائل قد بدأت قبل يومين تسليم دبابات وعربات مدرعة للجانب الروسي "
                    "في الملعب البلدي بمدينة درعا.", published="2018-07-12")
    assert [e for e in evs if e[0] == "SURRENDER" and e[2] == "2018-07-10"]
    assert not [e for e in evs if e[0] == "TERRITORY_CHANGE"]


def test_where_points_back_and_a_direction_of_approach_is_no_place() -> None:
    evs = events_of("وتوتر الوضع في بلدة سرمدا شمالي إدلب، حيث اندلعت فجر اليوم اشتباكات بين عناصر "
                    "من الأمن العام ومسلحين محليين.", published="2023-08-18")
    assert ("BATTLE", "سرمدا", "2023-08-18") in evs
    evs = events_of("استعادت قوات سوريا الديمقراطية السيطرة على بلدة ذيبان. وقال مراسلنا إن اشتباكات "
                    "عنيفة دارت ليل أمس على أطراف البلدة، قبل أن تدخل الأرتال البلدة من جهة الحوايج.")
    battles = [e for e in evs if e[0] == "BATTLE"]
    assert battles and all(e[1] == "ذيبان" for e in battles)


def test_a_road_named_by_two_cities_is_one_place() -> None:
    rec = extract_text("خبر\n\nقُتل ثلاثة أشخاص في كمين على طريق دمشق – السويداء فجر اليوم.").to_record()
    road = entity_named(rec, "طريق دمشق – السويداء")
    assert road is not None and road["type"] == "LOC"
    assert entity_named(rec, "دمشق") is None


def test_compound_given_names_and_a_third_name_closed_by_a_comma() -> None:
    rec = extract_text("خبر\n\nأعلن قائد عمليات \"فجر الجزيرة\"، الفريق الركن عبد الأمير رشيد يارالله، "
                       "تحرير البلدة. وكان قائد قوات الدعم السريع، الفريق أول محمد حمدان دقلو (حميدتي)، "
                       "قد توعد بالرد.").to_record()
    names = {e["name"] for e in rec["entities"] if e["type"] == "PER"}
    assert "عبد الأمير رشيد يارالله" in names and "محمد حمدان دقلو" in names


def test_a_role_phrase_may_end_on_the_first_word_of_the_organisation() -> None:
    rec = extract_text("خبر\n\nواتهم قائد قوات الأمن الخاصة المقال، العميد الركن ناصر الحارثي، "
                       "جهات خارجية بإدارة المعركة. وقال المستشار السياسي لقائد قوات الدعم السريع، "
                       "يوسف عزت، إن قواته لم تبدأ القتال.").to_record()
    roles = {(name_of(rec, r["person"]), r["role"], name_of(rec, r["org"])) for r in rec["relations"]}
    assert ("ناصر الحارثي", "commander", "قوات الأمن الخاصة") in roles
    assert not [r for r in roles if r[0] == "يوسف عزت"]


def test_a_head_noun_inside_a_known_name_starts_no_institution() -> None:
    rec = extract_text("خبر\n\nوقالت الألوية إنها أنهت تمرد القوات الخارجة عن قرارات مجلس القيادة الرئاسي "
                       "في محافظة شبوة.").to_record()
    assert entity_named(rec, "مجلس القيادة الرئاسي") is not None
    assert not [e for e in rec["entities"] if e["name"].startswith("القيادة")]


def quotes_of(body: str) -> list[tuple[str, str | None, str]]:
    rec = extract_text(f"خبر\n\n{body}").to_record()
    return [(q["text"], name_of(rec, q["speaker"]), q["act"]) for q in rec["quotes"]]


def test_announced_with_a_channel_aside_is_a_statement_and_cautious_calm_is_not() -> None:
    qs = quotes_of("أعلنت وزارة الداخلية، في بيان، أن قوات الأمن العام «بدأت الانتشار في المدينة». "
                   "ويسود هدوء حذر مدينة جرمانا بعد اتفاق توصل إليه وجهاء المدينة.")
    assert [q[1] for q in qs] == ["وزارة الداخلية"]


def test_a_role_said_again_with_a_name_names_the_earlier_speaker() -> None:
    qs = quotes_of("وقال المتحدث العسكري باسم غرفة عمليات \"الفتح المبين\"، في تصريح خاص، إن \"الانسحاب "
                   "من المدينة جاء لحماية المقاتلين\". وأضاف المتحدث العسكري، المقدم أحمد العبود، أن "
                   "\"الفصائل أعادت تموضعها\".")
    assert [q[1] for q in qs] == ["أحمد العبود", "أحمد العبود"]


def test_a_two_word_religious_title_opens_a_name_and_a_common_word_ends_it() -> None:
    qs = quotes_of("وقال شيخ العقل يوسف جربوع عقب الاجتماع إن «السويداء جزء من الدولة». وتوعد وزير الدفاع "
                   "الإسرائيلي يسرائيل كاتس السلطات في دمشق بأنها «ستدفع ثمناً باهظاً».")
    assert [q[1] for q in qs] == ["يوسف جربوع", "يسرائيل كاتس"]


def test_a_known_town_with_a_naming_adjective_is_another_place() -> None:
    rec = extract_text("خبر\n\nسيطرت القوات على آخر المباني في منطقة الجيزة البحرية بمدينة سرت.").to_record()
    assert entity_named(rec, "الجيزة البحرية") is not None and entity_named(rec, "الجيزة") is None


def test_an_ambush_happens_near_the_town_not_where_the_convoy_was_heading() -> None:
    evs = events_of("قُتل 14 شاباً ظهر اليوم في كمين نصبه مسلحون لرتل كان متجهاً نحو بلدة صحنايا، قرب بلدة "
                    "براق. وتتواصل اشتباكات في بلدة جرمانا تستخدم فيها قذائف الهاون.", published="2025-04-30")
    assert ("BATTLE", "براق", "2025-04-30") in evs
    assert not [e for e in evs if e[0] == "REMOTE_VIOLENCE"]


def test_a_page_naming_its_site_is_not_overruled_by_a_wire_it_cites() -> None:
    page = ("<html><head><title>هجوم في ريف حلب | صحيفة الضفة</title>"
            "<meta property=\"og:site_name\" content=\"صحيفة الضفة\"></head><body><article>"
            "<h1>هجوم في ريف حلب</h1><p>قالت وكالة رويترز إن فصائل المعارضة شنت هجوماً واسعاً على مواقع "
            "قوات النظام في ريف حلب الغربي فجر اليوم، وإن الاشتباكات ما زالت مستمرة حتى ساعات المساء. "
            "ونقلت رويترز عن مصدر عسكري أن الفصائل تقدمت في ثلاث قرى.</p></article></body></html>")
    assert record(page)["source"]["outlet"] == "صحيفة الضفة"


def test_a_forces_head_with_a_nationality_is_that_countrys_forces() -> None:
    rec = extract_text("خبر\n\nبدأت القوات العراقية عملية عسكرية في مدينة الفلوجة، وقال مصدر للقوات "
                       "العراقية إن التقدم مستمر.").to_record()
    forces = entity_named(rec, "القوات العراقية")
    assert forces is not None and forces["type"] == "ORG" and len(forces["mentions"]) == 2


def test_a_whole_group_name_in_quotation_marks_and_a_kurdish_spelling() -> None:
    rec = extract_text("خبر\n\nقال القيادي في «تجمع ثوار الوعر» أبو سليمان الوعري إن المقاتلين غادروا الحي، "
                       "واتهمت «مجموعات خارجة عن القانون» بالهجوم. وأعلن الاتحاد الوطني الكوردستاني "
                       "انسحابه.").to_record()
    assert entity_named(rec, "تجمع ثوار الوعر") is not None
    assert not [e for e in rec["entities"] if e["name"].startswith("مجموعات")]
    assert entity_named(rec, "الاتحاد الوطني الكردستاني") is not None


def test_a_statement_quoted_point_by_point_on_adjacent_lines() -> None:
    rec = extract_text("خبر\n\nوأصدرت القيادة العامة لقوات البيشمركة بياناً شديد اللهجة، هذا أبرز ما جاء فيه:\n"
                       "أولاً: إن ما حدث في كركوك جاء نتيجة اتفاق بين بعض المسؤولين والحكومة العراقية.\n"
                       "ثانياً: ندعو التحالف الدولي إلى التدخل لوقف الهجوم على الإقليم.\n"
                       "وتأتي هذه التطورات بعد أقل من أسبوعين على استعادة الحويجة.").to_record()
    qs = [(q["text"][:6], name_of(rec, q["speaker"]), q["act"]) for q in rec["quotes"]]
    assert [q[1] for q in qs] == ["القيادة العامة لقوات البيشمركة"] * 2
    assert qs[1][2] == "APPEAL"


def test_an_ambiguous_cue_with_its_complement_past_a_long_subject() -> None:
    qs = quotes_of("من جهته، وصف الناطق باسم التحالف الدولي العقيد ريان ديلون ما جرى بأنه \"تحركات منسقة "
                   "وليست هجوماً\". وحمّل المتحدث باسم الجيش العميد نبيل عبد الله الميليشيا المسؤولية "
                   "الكاملة عن \"اختطاف الوالي واغتياله\".")
    assert [q[1] for q in qs] == ["ريان ديلون", "نبيل عبد الله"]


def test_suffered_shelling_breached_truces_found_drones_and_mediated_exchanges() -> None:
    evs = events_of("وكانت أحياء مدينة الجنينة قد تعرضت قبل ثلاثة أيام لقصف مدفعي عنيف. وقال المتحدث إن قيادة "
                    "التحالف ستتصدى لكل من يخرق وقف إطلاق النار في مدينة عدن. وعثرت القوات داخل مدينة غريان على "
                    "مخازن ذخيرة وطائرات مسيّرة. وجرت أمس عملية تبادل للأسرى في مدينة الزنتان بوساطة من أعيان "
                    "المدينة.", published="2023-06-15")
    types = sorted(e[0] for e in evs)
    assert ("REMOTE_VIOLENCE", "الجنينة", "2023-06-12") in evs
    assert types == ["PRISONER_EXCHANGE", "REMOTE_VIOLENCE"]


def test_a_facility_named_after_a_known_place_is_its_own_place() -> None:
    rec = extract_text("خبر\n\nاستهدف صاروخ معسكر الجلاء في مدينة عدن، وأغلق مطار حلب الدولي.").to_record()
    assert entity_named(rec, "معسكر الجلاء") is not None and entity_named(rec, "مطار حلب الدولي") is not None
    assert entity_named(rec, "الجلاء") is None and entity_named(rec, "حلب") is None


def test_the_accused_after_an_object_first_cue_is_not_the_speaker() -> None:
    qs = quotes_of("وقال القيادي في «تجمع ثوار الوعر» أبو سليمان الوعري إن المقاتلين «لم يخرجوا مهزومين». واتهم قوات الأسد "
                   "بـ«قنص المدنيين داخل الحي حتى الساعات الأخيرة».")
    assert [q[1] for q in qs] == ["أبو سليمان الوعري", "أبو سليمان الوعري"]
    assert qs[1][2] == "ACCUSATION"


def test_its_director_after_a_relative_clause_speaks() -> None:
    qs = quotes_of("وقتل 12 مدنياً وفق الدفاع المدني السوري، الذي قال مديره رائد الصالح إن فرقه \"تعمل منذ "
                   "ساعات الفجر\".")
    assert [q[1] for q in qs] == ["رائد الصالح"]


def test_a_given_name_with_a_compound_family_name_stays_whole() -> None:
    rec = extract_text("خبر\n\nواندلعت اشتباكات في حي الجمارك غربي الجنينة، فيما ناشد سلطان دار مساليت سعد بحر "
                       "الدين المجتمع الدولي التدخل.").to_record()
    assert "سعد بحر الدين" in {e["name"] for e in rec["entities"] if e["type"] == "PER"}


def test_ordinary_words_the_tagger_calls_a_place_are_not_one() -> None:
    rec = extract_text("خبر\n\nوقالت القيادة إن ما حدث في المدينة خيانة تاريخية بحق دماء الشهداء، وإن "
                       "المقاتلين انسحبوا من قصر معاشيق.").to_record()
    places = {e["name"] for e in rec["entities"] if e["type"] == "LOC"}
    assert "خيانة تاريخية" not in places and "قصر معاشيق" in places


def test_the_page_structure_beats_a_cited_wire_and_site_names_may_hold_digits() -> None:
    page = PAGE.replace("شبكة نهر الخابور", "درعا 24").replace("Khabour River Network", "Daraa 24").replace(
        "وقال مراسل درعا 24 إن", "وقالت وكالة رويترز إن")
    assert record(page)["source"]["outlet"] == "درعا 24"


def test_shells_that_fell_raised_flags_and_executions() -> None:
    evs = events_of("وكانت قذائف صاروخية قد سقطت قبل يومين على مدينة كلس التركية. ورفعت القوات العراقية اليوم "
                    "العلم فوق المجمع الحكومي في مدينة الرمادي. وأعدم عناصر التنظيم 12 مدنياً في حي البكر.",
                    published="2015-12-28")
    types = {e[0] for e in evs}
    assert ("REMOTE_VIOLENCE", "كلس", "2015-12-26") in evs
    assert "TERRITORY_CHANGE" in types and "VIOLENCE_AGAINST_CIVILIANS" in types


def test_an_area_head_names_a_place_only_with_a_definite_name() -> None:
    rec = extract_text("خبر\n\nنفذت الطائرات غارات على منطقة الصوفية شرقي الرمادي، وطالب الأهالي بإقامة منطقة "
                       "آمنة.").to_record()
    places = {e["name"] for e in rec["entities"] if e["type"] == "LOC"}
    assert "الصوفية" in places and "آمنة" not in places


def test_the_armed_forces_are_the_national_army_not_a_group_said_again() -> None:
    rec = extract_text("خبر\n\nوقالت قوات الدعم السريع إن قواتها أعادت تموضعها. وقال المتحدث الرسمي باسم القوات "
                       "المسلحة، العميد نبيل عبد الله، إن الجيش السوداني استعاد مقر الإذاعة.").to_record()
    roles = {(name_of(rec, r["person"]), r["role"], name_of(rec, r["org"])) for r in rec["relations"]}
    assert ("نبيل عبد الله", "spokesperson", "القوات المسلحة السودانية") in roles
    assert not [r for r in roles if r[2] == "قوات الدعم السريع"]


def test_a_place_introduced_by_its_head_noun_keeps_the_headed_name_as_an_alias() -> None:
    rec = extract_text("خبر\n\nوأعدم عناصر التنظيم قبل يومين 12 مدنياً في حي البكر بالرمادي.").to_record()
    place = entity_named(rec, "البكر")
    assert place is not None and "حي البكر" in place["aliases"]


def test_a_country_bound_alias_names_the_body_of_the_articles_country() -> None:
    rec = extract_text("خبر\n\nأعلن الجيش الوطني سيطرته على مديرية ذباب غربي تعز، وتقدمت قواته نحو مدينة المخا "
                       "على ساحل البحر الأحمر، فيما قصفت الطائرات مدينة الحديدة.").to_record()
    assert not [e for e in rec["entities"] if e["name"] == "الجيش الوطني السوري"]
    rec = extract_text("خبر\n\nسيطر الجيش الوطني على قرى في ريف حلب الشمالي قرب مدينة اعزاز، وقصف مدينة "
                       "منبج.").to_record()
    assert entity_named(rec, "الجيش الوطني السوري") is not None


def test_announced_past_a_named_speaker_and_a_briefing_set_off_by_commas() -> None:
    qs = quotes_of("وفي بغداد، أعلن المتحدث باسم التحالف الدولي، العقيد ستيف وارن، في إيجاز صحفي، أن طائرات "
                   "التحالف نفذت منذ فجر اليوم 9 غارات على مواقع التنظيم. وتحمّل القيادة العامة الدول الداعمة "
                   "للإرهاب مسؤولية الدمار.")
    assert [q[1] for q in qs][:1] == ["ستيف وارن"]


def test_holding_ground_since_rules_falling_and_missiles_launched_from_the_sea() -> None:
    evs = events_of("ويسيطر التنظيم على معظم محافظة دير الزور منذ عام 2014. ويرى الباحث أن غارة النبطية رسالة "
                    "بأن قواعد الاشتباك القديمة سقطت. وأطلقت الفرقاطة صواريخ من شرق البحر المتوسط على مواقع "
                    "للتنظيم قرب مدينة دير الزور.", published="2017-09-05")
    assert not [e for e in evs if e[0] == "TERRITORY_CHANGE"]
    assert [e for e in evs if e[0] == "REMOTE_VIOLENCE" and e[1] == "دير الزور"]


def test_a_year_glued_to_the_clock_still_dates_the_page() -> None:
    from rasid.stages.dates import find_dates

    assert [d.iso for d in find_dates("الخميس 15 فبراير 202410:42 ص")] == ["2024-02-15"]


KNOWN_OUTLET_PAGE = """موقع قناة المنار
الرئيسية
أخبار

القوات العراقية تقترب من مركز مدينة تكريت

11 آذار 2015

واصلت القوات العراقية وفصائل الحشد الشعبي، اليوم الأربعاء، تقدمها نحو مركز مدينة تكريت في محافظة صلاح الدين، بعد أيام من المعارك مع عناصر تنظيم داعش في الأحياء الجنوبية للمدينة.

وقال أحد الضباط الميدانيين لمراسل المنار إن القوات باتت على بعد كيلومترين من مركز المدينة، وإن الاشتباكات مستمرة منذ الصباح في الأحياء الجنوبية وسط انهيار في صفوف المسلحين.

جميع الحقوق محفوظة © موقع قناة المنار
"""


def test_a_listed_outlet_named_after_a_site_word_is_that_outlet() -> None:
    rec = record(KNOWN_OUTLET_PAGE)
    assert rec["source"]["outlet"] == "المنار"


def test_the_page_outlets_own_name_in_the_body_is_a_media_entity_even_when_a_word() -> None:
    rec = record(KNOWN_OUTLET_PAGE)
    media = entity_named(rec, "المنار")
    assert media is not None and media["subtype"] == "MEDIA" and len(media["mentions"]) == 1
