from helpers import name_of, record


def events(rec, key="events"):
    return [(e["type"], name_of(rec, e["location"]), e["date"], e["count"], e.get("status")) for e in rec[key]]


def test_events_territory_change_with_place_and_month_date():
    rec = record("وكان نفوذ جيش العزة يتركز في ريف حماة منذ بداية الثورة، إلى أن انسحب منها في آب 2019، "
                 "إثر عملية عسكرية لقوات النظام.")
    assert ("TERRITORY_CHANGE", "ريف حماة", "2019-08", None, "asserted") in events(rec)


def test_events_surrender_with_count_and_two_towns():
    rec = record("وبلغ عدد مقاتلي التنظيم الذين سلموا أنفسهم في كل من بلدة الخوين وأم خلاخيل ما يقارب 380 مقاتل.")
    (ev,) = [e for e in events(rec) if e[0] == "SURRENDER"]
    assert ev[1] == "الخوين" and ev[3] == 380


def test_events_battle_date_with_gregorian_and_levantine_month():
    rec = record("لكن ما حصل أنه في 28 أبريل (نيسان) 2016 شن تحالف فيلق الرحمن وجبهة النصرة هجوماً على "
                 "جيش الإسلام بهدف إنهاء وجوده في الغوطة الشرقية.")
    battle = [e for e in rec["events"] if e["type"] == "BATTLE"]
    assert battle and battle[0]["date"] == "2016-04-28" and name_of(rec, battle[0]["location"]) == "الغوطة الشرقية"
    assert {"فيلق الرحمن", "جبهة النصرة", "جيش الإسلام"} <= {name_of(rec, a) for a in battle[0]["actors"]}


def test_events_relative_date_resolved_against_publication():
    rec = record("قصفت طائرات النظام أمس بلدة كفرنبل بريف إدلب الجنوبي.", published="2019-05-10")
    (ev,) = [e for e in rec["events"] if e["type"] == "REMOTE_VIOLENCE"]
    assert ev["date"] == "2019-05-09"


def test_events_written_numbers_are_counts():
    rec = record("قتل أكثر من ثلاثة آلاف مدني في غارات على مدينة حلب.")
    assert any(e["count"] == 3000 for e in rec["events"])


def test_events_denied_and_hypothetical_are_not_reported_as_happened():
    rec = record("نفى جيش الإسلام ما تروج له وسائل إعلام النظام من شائعات حول خروج مقاتليه من الغوطة الشرقية.")
    assert not rec["events"]
    assert any(e[4] == "denied" for e in events(rec, "unconfirmed_events"))


def test_events_possible_prisoners_are_not_an_exchange():
    rec = record("قال بكور “ما دامت الحرب قائمة، يمكن أن يكون هنالك أسرى من الطرفين”.\n\n"
                 "وأكد أن الفصيل يسعى لتبادل الأسرى مع النظام في ريف حماة.")
    assert not [e for e in rec["events"] if e["type"] == "PRISONER_EXCHANGE"]


def test_events_in_questions_are_not_asserted():
    rec = record("لماذا لم تقاتلوا النظام لتحرير دمشق من أول الثورة؟")
    assert not rec["events"]


def test_events_one_per_happening(records):
    rec = records["001_67afc023dd4f8fc2"].to_record()
    tc = [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]
    assert len(tc) == 1 and tc[0]["date"] == "2019-08"


def test_events_a_trigger_word_inside_a_group_name_is_no_event():
    """"تحرير" in هيئة تحرير الشام is part of a name, not a capture."""
    from helpers import record

    rec = record("اتهمت غرفة عمليات فاثبتوا في بيان هيئة تحرير الشام بملاحقة المهاجرين في مدينة إدلب، "
                 "وقالت إن الهيئة تعتقل قادتها منذ أسابيع.")
    assert not [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]


def test_events_happen_at_the_place_left_not_the_destination():
    from helpers import record

    rec = record("وأعلن الإعلام الرسمي السوري اليوم التوصل إلى اتفاق يقضي بخروج مقاتلي جيش الإسلام من "
                 "مدينة دوما إلى جرابلس في ريف حلب الشمالي، بعد أسابيع من المعارك.")
    names = {e["id"]: e["name"] for e in rec["entities"]}
    places = {(ev["type"], names.get(ev["location"])) for ev in rec["events"]}
    # the exit the agreement provides for ("يقضي بخروج") is planned, so it is not asserted
    planned = {(ev["type"], names.get(ev["location"])) for ev in rec["unconfirmed_events"]}
    assert ("AGREEMENT", "دوما") in places and ("TERRITORY_CHANGE", "دوما") in planned
    assert not [p for p in places | planned if p[1] in ("جرابلس", "ريف حلب الشمالي")]


def test_events_topics_and_denials_are_not_events():
    """"مكافحة انتشار الأسلحة الكيميائية" and "وقف القصف" name a topic; "نافياً تسليم" denies."""
    from helpers import record

    rec = record("وقال وزير الخارجية الفرنسي في باريس إن بلاده ستتحمل مسؤولياتها في مكافحة انتشار الأسلحة "
                 "الكيميائية، ودعا إلى وقف القصف على المدنيين. وأكد القائد العسكري أن الفصائل سحبت السلاح "
                 "الثقيل من ريف حماة الشمالي، نافياً تسليم أي موقع للقوات الروسية.")
    assert not [e for e in rec["events"] if e["type"] in ("REMOTE_VIOLENCE", "TERRITORY_CHANGE")], rec["events"]


def test_events_a_town_inside_the_area_near_the_trigger_and_full_control_phrasing():
    from helpers import record

    rec = record("أعلنت قوات سوريا الديمقراطية اليوم السيطرة الكاملة على بلدة الباغوز في ريف دير الزور الشرقي، "
                 "آخر جيب لتنظيم داعش في سوريا، بعد معارك استمرت أكثر من شهر. وشنت الهيئة حملة اعتقالات "
                 "واسعة في مدينة سرمدا طالت عشرات الأشخاص.")
    names = {e["id"]: e["name"] for e in rec["entities"]}
    got = {(ev["type"], names.get(ev["location"])) for ev in rec["events"]}
    assert ("TERRITORY_CHANGE", "الباغوز") in got and ("BATTLE", "الباغوز") in got
    assert ("ARREST", "سرمدا") in got and ("BATTLE", "سرمدا") not in got


def test_events_a_country_named_as_a_party_is_not_the_place():
    from helpers import record

    rec = record("وشهدت الجلسة الختامية للجولة الرابعة من المحادثات في أستانا انسحاب وفد المعارضة احتجاجاً "
                 "على دور إيران، فيما وقعت روسيا وتركيا مذكرة تفاهم في أستانا.")
    names = {e["id"]: e["name"] for e in rec["entities"]}
    assert {names.get(ev["location"]) for ev in rec["events"] if ev["type"] in ("NEGOTIATION", "AGREEMENT")} == {"أستانا"}


def test_events_verb_first_control_with_subject_between_verb_and_object():
    rec = record("سيطرت قوات النظام أمس على بلدة عتيل في ريف السويداء بعد اشتباكات مع فصائل محلية.",
                 published="2025-07-20")
    (ev,) = [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]
    assert name_of(rec, ev["location"]) == "عتيل" and ev["date"] == "2025-07-19"
    assert [name_of(rec, a) for a in ev["actors"]] == ["النظام السوري"]
    assert rec["text"][ev["evidence"][0]:ev["evidence"][1]].startswith("سيطرت")


def test_events_gapped_trigger_stops_at_the_sentence_end():
    rec = record("سيطرت الفصائل. وقال القائد إن القوات على أهبة الاستعداد في مدينة درعا.")
    assert not [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]


def test_events_a_village_after_a_broad_region_is_the_place_even_beyond_the_window():
    rec = record("شهدت محافظة السويداء جنوبي سوريا، أمس الثلاثاء، اشتباكات عنيفة بين فصائل محلية مسلحة "
                 "أبرزها حركة رجال الكرامة ومجموعة تتبع لشعبة المخابرات العسكرية في نظام الأسد، "
                 "في بلدتي عتيل وسليم شمالي مدينة السويداء.", published="2022-07-27")
    (ev,) = [e for e in rec["events"] if e["type"] == "BATTLE"]
    assert name_of(rec, ev["location"]) == "عتيل" and ev["date"] == "2022-07-26"


def test_events_an_attack_with_drones_is_remote_violence_and_the_attack_said_again_too():
    rec = record("وأعلن التحالف اعتراض وتدمير طائرتين مسيّرتين أطلقتهما الجماعة صباح أمس باتجاه مدينة خميس مشيط. "
                 "وقالت الجماعة إنها نفذت هجوماً بطائرات مسيرة على مطار أبها، مدعية أن الهجوم أصاب أهدافه.",
                 published="2021-02-15")
    types = {e["type"] for e in rec["events"]}
    assert "REMOTE_VIOLENCE" in types and "BATTLE" not in types
    places = {name_of(rec, e["location"]) for e in rec["events"]}
    assert "خميس مشيط" in places


def test_events_the_attack_after_a_clash_stays_a_battle():
    rec = record("اندلعت اشتباكات عنيفة بين الفصائل وقوات النظام في بلدة كفرنبل، وأسفر الهجوم عن مقتل خمسة عناصر.")
    assert {e["type"] for e in rec["events"]} == {"BATTLE"}


def test_events_a_backer_is_not_the_place():
    rec = record("وسيطر تنظيم داعش على الرقة في يناير 2014، قبل أن تبدأ قوات سوريا الديمقراطية، "
                 "المدعومة من واشنطن، حملة لاستعادتها.")
    assert "واشنطن" not in {name_of(rec, e["location"]) for e in rec["events"]}


def test_events_a_place_in_another_clause_gives_way_to_the_article_place():
    rec = record("أعلنت قوات سوريا الديمقراطية السيطرة على بلدة الباغوز. وقال مسؤول إن الباغوز كانت آخر جيب "
                 "للتنظيم، وإن القوات مشطت الباغوز بالكامل.\n\n"
                 "وقال مسؤول آخر إن الوضع هادئ الآن.\n\n"
                 "وكان أكثر من ألف عنصر قد سلموا أنفسهم للقوات الثلاثاء الماضي، فيما نقلت آلاف "
                 "النساء إلى مخيم الهول في ريف الحسكة.")
    (ev,) = [e for e in rec["events"] if e["type"] == "SURRENDER"]
    assert name_of(rec, ev["location"]) == "الباغوز"


def test_events_freeing_people_is_not_a_territory_change():
    rec = record("وزعمت وكالة سانا أن وحدات الجيش حررت 18 مختطفاً من قبضة المجموعات الإرهابية في ريف حلب.")
    assert not [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]


def test_events_the_place_where_it_was_said_is_not_the_event_place():
    rec = record("وقال الناطق باسم الجيش الوطني الليبي، اللواء أحمد المسماري، في مؤتمر صحفي عقده في بنغازي، "
                 "إن الغارة \"استهدفت طائرة حربية كانت تستعد للإقلاع من مطار معيتيقة في طرابلس\".")
    # the strike is in the spokesman's quoted words, so it is his claim (an unconfirmed event)
    places = {name_of(rec, e["location"]) for e in rec["events"] + rec["unconfirmed_events"]
              if e["type"] == "REMOTE_VIOLENCE"}
    assert "بنغازي" not in places and places


def test_events_an_agreement_being_carried_out_is_not_a_purpose():
    rec = record("بدأت صباح اليوم الخميس عملية إجلاء المدنيين من الأحياء الشرقية المحاصرة في مدينة حلب، "
                 "تنفيذاً لاتفاق جرى التوصل إليه ليل أمس الأربعاء برعاية روسية تركية.", published="2016-12-15")
    (ev,) = [e for e in rec["events"] if e["type"] == "AGREEMENT"]
    assert ev["date"] == "2016-12-14"


def test_events_a_sentence_without_a_date_takes_its_paragraph_date():
    rec = record("بدأت صباح اليوم الخميس عملية إجلاء المدنيين من الأحياء الشرقية المحاصرة في مدينة حلب. "
                 "وخرجت القافلة الأولى من حي العامرية باتجاه بلدة الراشدين في ريف حلب الغربي.",
                 published="2016-12-15")
    (ev,) = [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]
    assert name_of(rec, ev["location"]) == "العامرية" and ev["date"] == "2016-12-15"


def test_events_a_day_after_moves_the_date_back():
    rec = record("أعلن رئيس الوزراء العراقي حيدر العبادي، اليوم الإثنين، النصر على تنظيم الدولة في مدينة الموصل، "
                 "بعد يوم من إعلان القوات العراقية استعادة السيطرة على المدينة القديمة.", published="2017-07-10")
    (ev,) = [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]
    assert ev["date"] == "2017-07-09"


def test_events_the_area_of_a_destination_is_a_destination_too():
    rec = record("بدأت حافلات بنقل مسلحي التنظيم من جرود القلمون الغربي باتجاه مدينة البوكمال في ريف دير الزور "
                 "الشرقي، تنفيذاً لاتفاق جرى التوصل إليه أمس الأحد.", published="2017-08-28")
    (ev,) = [e for e in rec["events"] if e["type"] == "AGREEMENT"]
    assert name_of(rec, ev["location"]) == "القلمون الغربي" and ev["date"] == "2017-08-27"


def test_events_a_ceasefire_phrased_with_its_adjective_and_a_backed_capital_that_is_no_place():
    rec = record("ويسري في إدلب ومحيطها وقف لإطلاق النار أعلنته روسيا، الداعمة لدمشق، وتركيا، الداعمة لفصائل "
                 "المعارضة، في الخامس من آذار/ مارس 2020.", published="2021-06-10")
    (ev,) = [e for e in rec["events"] if e["type"] == "AGREEMENT"]
    assert name_of(rec, ev["location"]) != "دمشق" and ev["date"] == "2020-03-05"


def test_events_the_day_before_yesterday_and_the_day_after_a_later_date():
    rec = record("كما ألقت الجهات المختصة أول من أمس القبض على 12 مسلحاً حاولوا الفرار باتجاه مدينة القصير.",
                 published="2012-03-02")
    assert [e["date"] for e in rec["events"] if e["type"] == "ARREST"] == ["2012-02-29"]
    rec = record("وشن طيران الجيش السوداني غارات على مواقع للدعم السريع في مدينة مليط شمالي الفاشر، غداة تبني "
                 "مجلس الأمن الدولي، الخميس الماضي، القرار 2736.", published="2024-06-16")
    assert [e["date"] for e in rec["events"] if e["type"] == "REMOTE_VIOLENCE"] == ["2024-06-14"]
