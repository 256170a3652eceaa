"""Rules added after probe batches 15 and 16's first run: a masthead in both scripts on one line,
dates written "16/ أكتوبر/2020" or year first ("2017 الثلاثاء 17 أكتوبر"), a statement quoted
after "جاء في بيان لـX:", an interview introduced by "وحاور", a body's spokesman named
elsewhere, a second title between a role and the name, an organisation's other name in
parentheses, governments as organisations, neighbourhoods named by a common word, and
campaign names that are not events.

Each snippet is written for the test in the style of scraped Arabic news; none is copied from
an evaluation article.
"""
from __future__ import annotations

from helpers import entity_named, name_of, record

from rasid import extract_text


def quotes_of(rec: dict) -> list[tuple[str, str | None]]:
    return [(q["text"], name_of(rec, q.get("speaker"))) for q in rec["quotes"]]


def roles_of(rec: dict) -> set[tuple[str | None, str, str | None]]:
    return {(name_of(rec, r["person"]), r["role"], name_of(rec, r["org"])) for r in rec["relations"]}


ONE_LINE_MASTHEAD = """صدى الفرات | Sada Alfurat
الرئيسية | أخبار | تقارير

قصف مدفعي على قرى ريف دير الزور

الأحد 12 كانون الثاني 2025 - 10:20 صباحاً

قصفت قوات النظام، صباح اليوم الأحد، قرى في ريف دير الزور الشرقي، ما أدى إلى إصابة أربعة مدنيين، بحسب ما أفاد به مراسل الموقع.

وقال شهود عيان إن القذائف سقطت قرب مدرسة في قرية الصبحة.

© 2025 صدى الفرات - جميع الحقوق محفوظة
"""


def test_a_masthead_in_both_scripts_on_one_line_names_the_site() -> None:
    rec = extract_text(ONE_LINE_MASTHEAD).to_record()
    assert rec["source"]["outlet"] == "صدى الفرات"
    assert rec["source"]["published"] == "2025-01-12"


def test_og_site_name_in_both_scripts_keeps_the_arabic_name() -> None:
    html = ("<html><head><meta property='og:site_name' content='Nahar Alwatan | نهار الوطن'>"
            "<title>اشتباكات في ريف حلب</title></head><body><article><h1>اشتباكات في ريف حلب</h1>"
            "<p>اندلعت اشتباكات عنيفة، صباح اليوم الاثنين، بين فصائل المعارضة وقوات النظام على محور "
            "قرية الشيخ عقيل في ريف حلب الغربي، وسط قصف مدفعي متبادل بين الطرفين.</p>"
            "<p>وقال مصدر ميداني إن المواجهات أسفرت عن سقوط قتلى وجرحى من الجانبين.</p>"
            "</article></body></html>")
    from rasid.ingest import RawArticle, prepare

    doc = prepare(RawArticle(id="t", text=html, fmt="html", path="t.html"))
    assert doc.source.outlet == "نهار الوطن"


def test_dates_with_slashes_around_the_month_name_and_with_the_year_first() -> None:
    slashed = "صنعاء نيوز\n\nتبادل أسرى في مطار صنعاء\n\n[16/ أكتوبر/2020]\n\n" + \
        "وصلت إلى مطار صنعاء، ظهر اليوم الجمعة، طائرة تقل عشرات الأسرى المحررين في إطار صفقة التبادل.\n"
    assert extract_text(slashed).to_record()["source"]["published"] == "2020-10-16"
    year_first = "الأخبار\n\nالقوات العراقية تدخل سنجار\n\nGMT 14:32 2017 الثلاثاء 17 أكتوبر\n\n" + \
        "بسطت القوات العراقية، اليوم الثلاثاء، سيطرتها على قضاء سنجار بعد انسحاب قوات البيشمركة.\n"
    assert extract_text(year_first).to_record()["source"]["published"] == "2017-10-17"


def test_a_statement_quoted_after_its_issuer_and_a_colon_is_the_issuers() -> None:
    rec = record('ورحبت عمّان بالاتفاق، وجاء في بيان لوزارة الخارجية الأردنية: "تعرب المملكة عن ترحيبها '
                 'بتوقيع الاتفاق وتدعو الطرفين إلى الالتزام به".\n\nميدانياً، تواصلت الاشتباكات في محيط المدينة.')
    assert ("تعرب المملكة عن ترحيبها بتوقيع الاتفاق وتدعو الطرفين إلى الالتزام به",
            "وزارة الخارجية الأردنية") in [(t.rstrip('".'), s) for t, s in quotes_of(rec)]


INTERVIEW = """تواصلت المعارك في محيط المدينة لليوم الثالث على التوالي، وسط تقدم للقوات الحكومية.

وحاور "الموقع" العقيد سامر الحمدي، قائد جبهة الساحل في القوات المشتركة، حول سير المعارك:

الموقع: ما الذي تحقق خلال الأيام الماضية؟

الحمدي: سيطرنا على المستشفى والمدرسة، وقواتنا على بعد كيلومترين من الميناء.

الموقع: يتهمكم الطرف الآخر بقصف الأحياء السكنية، ما ردكم؟

الحمدي: هذا كذب، لم نطلق قذيفة واحدة على الأحياء السكنية.
"""


def test_an_interview_introduced_by_wahawar_has_its_answers_quoted() -> None:
    rec = record(INTERVIEW)
    said = quotes_of(rec)
    assert any(t.startswith("سيطرنا على المستشفى") and s == "سامر الحمدي" for t, s in said)
    assert any(t.startswith("هذا كذب") and s == "سامر الحمدي" for t, s in said)


def test_a_spokesman_named_later_speaks_for_himself_not_for_his_body() -> None:
    rec = record('غير أن المتحدث باسم قيادة العمليات المشتركة نفى، في مؤتمر صحفي ببغداد، وقوع معارك مع '
                 'البيشمركة، وقال إن "القطعات دخلت المدينة وفق خطة إعادة الانتشار".\n\n'
                 'وكان المتحدث نفسه، العميد يحيى رسول، قد أعلن فجر أمس انطلاق العملية.')
    assert ("يحيى رسول", "spokesperson", "قيادة العمليات المشتركة العراقية") in roles_of(rec)
    speakers = {s for t, s in quotes_of(rec)}
    assert speakers == {"يحيى رسول"}


def test_a_role_reaches_the_name_past_a_parenthesised_alias_and_past_a_second_title() -> None:
    rec = record('وفي واشنطن، قال المتحدث باسم وزارة الدفاع الأمريكية (البنتاغون)، العميد بات رايدر، إن بلاده '
                 '"لا تسعى إلى حرب".\n\nوقال الناطق الرسمي باسم الحكومة الأردنية، وزير الدولة لشؤون الإعلام '
                 'محمد المومني، إن الأردن "يرحب بأي جهد يضعف التنظيم".')
    roles = roles_of(rec)
    assert ("بات رايدر", "spokesperson", "وزارة الدفاع الأمريكية") in roles
    assert ("محمد المومني", "spokesperson", "الحكومة الأردنية") in roles


def test_a_government_named_by_nationality_is_an_organisation_and_listed_ones_keep_their_entry() -> None:
    rec = record("قال مسؤول إن الحكومة الأردنية تتابع التطورات، فيما اتهمت المعارضة قوات الحكومة السورية "
                 "بقصف القرى، ودعت الحكومة التركية إلى التهدئة.")
    jordan = entity_named(rec, "الحكومة الأردنية")
    assert jordan is not None and jordan["type"] == "ORG" and jordan["kb_id"] == "rasid:org:gov-jo"
    assert entity_named(rec, "الحكومة التركية")["kb_id"] == "rasid:org:gov-tr"
    assert not any(e["kb_id"] == "rasid:org:gov-sy" for e in rec["entities"])  # listed: النظام السوري


def test_a_neighbourhood_named_by_a_common_word() -> None:
    rec = record("سقطت قذائف هاون على حي الشهداء جنوبي المدينة، فيما تواصلت الاشتباكات في أحياء المدينة الشرقية.")
    assert entity_named(rec, "الشهداء") is not None or entity_named(rec, "حي الشهداء") is not None
    assert entity_named(rec, "المدينة") is None


def test_a_campaign_name_is_not_a_territory_change() -> None:
    rec = record('وقال قائد عمليات تحرير الفلوجة، الفريق الركن عبد الوهاب الساعدي، إن قواته "تتقدم بحذر '
                 'لتجنب إيقاع خسائر بين المدنيين".')
    assert not [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]


def test_the_spokesman_said_again_with_his_name_after_a_longer_first_phrase() -> None:
    rec = record('وقال المتحدث الرسمي باسم القوات المسلحة السودانية، في بيان، إن الجيش "صد الهجوم وكبد '
                 'المهاجمين خسائر فادحة".\n\nوأضاف المتحدث، العميد نبيل عبد الله، أن "القوات تلاحق فلول المهاجمين".')
    assert ("نبيل عبد الله", "spokesperson", "القوات المسلحة السودانية") in roles_of(rec)
    assert {s for _, s in quotes_of(rec)} == {"نبيل عبد الله"}


def test_a_name_after_a_long_aside_opened_by_wahuwa() -> None:
    rec = record('قال المتحدث باسم الإطار الاستراتيجي الدائم للسلام والأمن والتنمية، وهو تحالف يضم الحركات '
                 'المسلحة التي يهيمن عليها الطوارق، محمد المولود رمضان، إن مقاتليه "انسحبوا تكتيكياً" من المدينة.')
    assert ("محمد المولود رمضان", "spokesperson", "الإطار الاستراتيجي الدائم للسلام والأمن والتنمية") in roles_of(rec)


def test_a_role_in_it_belongs_to_the_body_named_before() -> None:
    rec = record('ونفت حركة "أحرار الشام" أي علاقة لها بالهجوم، وقال القيادي فيها، الفاروق أبو بكر، الذي شارك '
                 'في المفاوضات، إن "من أحرق الحافلات يريد إفشال الاتفاق".')
    assert ("الفاروق أبو بكر", "official", "حركة أحرار الشام الإسلامية") in roles_of(rec)
    assert ("من أحرق الحافلات يريد إفشال الاتفاق", "الفاروق أبو بكر") in [
        (t.strip('".'), s) for t, s in quotes_of(rec)]


def test_said_in_it_is_said_by_the_subject_named_before() -> None:
    rec = record('وظهر قائد "هيئة تحرير الشام"، أبو محمد الجولاني، في تسجيل مصور من داخل المدينة قال فيه: '
                 '"دخلنا المدينة ولا انتقام من أحد".')
    assert [s for t, s in quotes_of(rec) if t.startswith("دخلنا")] == ["أبو محمد الجولاني"]


def _events(rec: dict) -> list[tuple[str, str | None]]:
    return [(e["type"], name_of(rec, e.get("location"))) for e in rec["events"]]


def test_victims_falling_and_a_bridge_out_of_service_are_no_territory_change() -> None:
    rec = record("وتحدثت مصادر محلية عن اشتباكات وقعت فجر أمس جنوب غربي مدينة كركوك وأسفرت عن سقوط قتلى من الطرفين.\n\n"
                 "واستهدفت غارات جوية فجر اليوم جسر الرستن على الطريق الدولي، ما أدى إلى خروجه عن الخدمة.")
    types = [t for t, _ in _events(rec)]
    assert "TERRITORY_CHANGE" not in types
    assert "BATTLE" in types and "REMOTE_VIOLENCE" in types


def test_an_agreements_topic_and_past_battles_are_not_events() -> None:
    rec = record("وتقول مصادر مطلعة إن اتفاق الانسحاب من مدينة كركوك أُبرم مساء السبت في السليمانية.\n\n"
                 "وحاور الموقع قائداً ميدانياً في محافظة شبوة قاد مجموعات من أبناء المنطقة في معارك سابقة.")
    types = [t for t, _ in _events(rec)]
    assert "TERRITORY_CHANGE" not in types and "BATTLE" not in types


def test_the_place_where_a_statement_was_made_is_not_the_town_it_mentions() -> None:
    rec = record("أحكم التنظيم سيطرته على مدينة الرمادي أمس الأحد بعد انسحاب القوات الأمنية.\n\n"
                 'وفي واشنطن، قال المتحدث باسم وزارة الدفاع الأمريكية إن سقوط المدينة يمثل "انتكاسة".')
    assert ("TERRITORY_CHANGE", "واشنطن") not in _events(rec)
    assert ("TERRITORY_CHANGE", "الرمادي") in _events(rec)


def test_a_date_inside_a_name_is_no_time() -> None:
    from rasid.stages.dates import find_dates

    assert find_dates("سيطرت القوات على مستشفى 22 مايو وشارع 26 سبتمبر", None, (2018,)) == []
    assert [d.iso for d in find_dates("في 22 مايو 2018 سيطرت القوات على المستشفى")] == ["2018-05-22"]


def test_a_new_sentence_opens_a_new_statement_and_a_feminine_body_after_a_masculine_verb_is_its_object() -> None:
    rec = record('اتهم عضو مجلس المحافظة سعدون الفهد فصائل مسلحة باحتجاز أكثر من 600 رجل، وطالب الحكومة '
                 'الاتحادية بـ"فتح تحقيق عاجل والكشف عن مصير المفقودين". في المقابل، نفى نائب رئيس هيئة الحشد '
                 'الشعبي أبو مهدي المهندس أن تكون فصائل الحشد قد احتجزت أي مدني.')
    said = quotes_of(rec)
    assert ("فتح تحقيق عاجل والكشف عن مصير المفقودين", "سعدون الفهد") in [(t.strip('بـ"'), s) for t, s in said]
    denial = [q for q in rec["quotes"] if "احتجزت أي مدني" in q["text"]]
    assert denial and denial[0]["act"] == "DENIAL" and name_of(rec, denial[0]["speaker"]) == "أبو مهدي المهندس"


def test_a_representative_and_a_military_leader_in_a_group_hold_roles() -> None:
    rec = record('وفي الخرطوم، قال ممثل حركة حماس في السودان، أبو بلال الحلو، إن المقاومة "لن تسمح '
                 'للاحتلال بأن يحقق ما عجز عنه".\n\nمن جهته، قال القيادي العسكري في «هيئة تحرير الشام» أبو حمزة '
                 'الحموي إن مقاتلي الهيئة «انسحبوا من الجيب بشكل منظم».')
    roles = roles_of(rec)
    assert ("أبو بلال الحلو", "official", "حركة المقاومة الإسلامية") in roles
    assert ("أبو حمزة الحموي", "official", "هيئة تحرير الشام") in roles


def test_a_second_speaker_after_fima_with_his_role() -> None:
    rec = record('وزعم المتحدث باسم جيش الاحتلال، أفيخاي أدرعي، أن الغارات جاءت رداً على إطلاق صواريخ، فيما نفى '
                 'الناطق باسم حركة حماس، سامي أبو زهري، أن تكون الحركة قد أطلقت أي صاروخ منذ بدء التهدئة.')
    denial = [q for q in rec["quotes"] if "أطلقت أي صاروخ" in q["text"]]
    assert denial and denial[0]["act"] == "DENIAL" and name_of(rec, denial[0]["speaker"]) == "سامي أبو زهري"


def test_a_place_in_the_reporting_clause_is_not_where_the_reported_strike_was() -> None:
    rec = record("وفي واشنطن، أعلنت القيادة العسكرية الأمريكية في إفريقيا (أفريكوم) أن طائراتها نفذت، فجر اليوم، "
                 "غارات على مواقع للتنظيم في الحي رقم 3.")
    places = {p for t, p in _events(rec) if t == "REMOTE_VIOLENCE"}
    assert "واشنطن" not in places


def test_maghreb_month_names() -> None:
    from rasid.stages.dates import find_dates

    assert [d.iso for d in find_dates("الخميس 11 غشت 2016")] == ["2016-08-11"]
    assert [d.iso for d in find_dates("3 شتنبر 2007، 12 يوليوز 2019")] == ["2007-09-03", "2019-07-12"]


def test_family_names_a_compound_with_aldin_and_alsayyid() -> None:
    rec = record("حاور الموقع المحامي حامد بشارة تاج الدين، عضو هيئة محامي دارفور.\n\n"
                 'وقال قائد قوات الحزام الأمني في محافظة أبين، العقيد عبد اللطيف السيد، إن قواته "صدت هجوماً".')
    assert entity_named(rec, "حامد بشارة تاج الدين")["type"] == "PER"
    assert ("عبد اللطيف السيد", "commander", "قوات الحزام الأمني") in roles_of(rec)


def test_a_numbered_military_region_or_division_is_an_organisation() -> None:
    rec = record("أعلنت قيادة المنطقة العسكرية الخامسة، أمس الأربعاء، سيطرة قوات الجيش على سلسلة مرتفعات، "
                 "فيما انسحبت الفرقة الأولى مشاة من المدينة وتقدمت الفرقة 15 مشاة نحو الجنينة.")
    for name in ("المنطقة العسكرية الخامسة", "الفرقة الأولى مشاة", "الفرقة 15 مشاة"):
        unit = entity_named(rec, name)
        assert unit is not None and unit["type"] == "ORG", name


def test_a_kunya_set_off_by_commas_is_a_person_even_when_a_place_has_its_name() -> None:
    rec = record('في المقابل، نفى المتحدث باسم "فتح الإسلام"، أبو سليم طه، في اتصال هاتفي، أن يكون قائد التنظيم '
                 "قد قُتل.\n\nواندلعت اشتباكات في حي أبو سليم جنوب طرابلس.")
    assert ("أبو سليم طه", "spokesperson", "فتح الإسلام") in roles_of(rec)
    assert entity_named(rec, "أبو سليم")["type"] == "LOC"  # the Tripoli district, said as a place


def test_a_one_word_outlet_in_its_own_dateline_is_that_media_organisation() -> None:
    page = ("الزمان\nالرئيسية | عراقية | عربية ودولية\n\nالقوات العراقية تقتحم الحويجة\n\n"
            "بغداد - الزمان: أعلن رئيس الوزراء حيدر العبادي، اليوم الخميس، تحرير قضاء الحويجة من تنظيم داعش.\n\n"
            "© 2017 الزمان - جميع الحقوق محفوظة\n")
    rec = extract_text(page).to_record()
    assert rec["source"]["outlet"] == "الزمان"
    media = [e for e in rec["entities"] if e.get("subtype") == "MEDIA"]
    assert [e["name"] for e in media] == ["الزمان"]


def test_a_yemeni_hill_named_by_a_common_word() -> None:
    rec = record("تمكنت القوات من تحرير تبة المشرفة الاستراتيجية بعد معارك عنيفة.")
    hill = entity_named(rec, "تبة المشرفة")
    assert hill is not None and hill["type"] == "LOC"


def test_titles_battle_names_and_demands_are_not_events() -> None:
    rec = record('وقالت قائدة حملة "غضب الفرات"، روجدا فلات، إن مقاتليها "يتقدمون ببطء" في مدينة الرقة.\n\n'
                 "يذكر أن القوات أطلقت معركة السيطرة على مدينة الرقة في السادس من حزيران الماضي.\n\n"
                 "وطالب مكتب الأمم المتحدة جميع الأطراف بضمان خروجهم الآمن من مدينة الرقة.")
    types = [t for t, _ in _events(rec)]
    assert "TERRITORY_CHANGE" not in types
    assert types.count("BATTLE") <= 1  # "معركة السيطرة" is one battle, the campaign title none


def test_armed_forces_with_a_nationality_are_that_countrys_army_not_another_named_nearby() -> None:
    rec = record("مؤكداً حرص القوات المسلحة الليبية على حماية المدنيين، فيما قالت القوات المسلحة الأردنية "
                 "إنها تراقب الحدود.")
    names = {e["name"] for e in rec["entities"] if e["type"] == "ORG"}
    assert {"الجيش الوطني الليبي", "الجيش الأردني"} <= names
    assert "القوات المسلحة" not in names


def test_a_body_said_again_by_its_generic_word_is_the_one_named_before() -> None:
    rec = record("أعلنت قيادة المنطقة العسكرية الخامسة، أمس، سيطرة قوات الجيش على مرتفعات في مديرية حيران، "
                 "بعد معارك مع جماعة أنصار الله.\n\n"
                 'وقالت قيادة المنطقة في بيان هذا نصه: "تمكنت قواتنا من تحرير التبة الاستراتيجية".')
    said = [s for t, s in quotes_of(rec) if t.startswith("تمكنت")]
    assert said == ["المنطقة العسكرية الخامسة"]


def test_a_name_set_off_by_commas_after_a_role_of_a_body_no_list_knows() -> None:
    rec = record("قالت المتحدثة باسم مفوضية الأمم المتحدة السامية لحقوق الإنسان، رافينا شمداساني، إن مسلحي "
                 "التنظيم أعدموا أربعين مدنياً في المدينة.")
    assert entity_named(rec, "رافينا شمداساني")["type"] == "PER"
    assert [s for _, s in quotes_of(rec)] == ["رافينا شمداساني"]


def test_the_same_spokesman_is_not_the_paper_he_denies() -> None:
    rec = record('وقال المتحدث باسم الجيش الوطني الليبي، أحمد المسماري، إن القوات "تتقدم نحو العاصمة".\n\n'
                 'ونفى المتحدث ذاته ما أوردته صحيفة «واشنطن بوست» الأمريكية عن مشاركة قوات أجنبية في المعارك.')
    denial = [q for q in rec["quotes"] if "قوات أجنبية" in q["text"]]
    assert denial and name_of(rec, denial[0]["speaker"]) == "أحمد المسماري"


def test_a_capital_right_after_an_accusing_verb_is_a_government_not_the_place_of_the_attack() -> None:
    rec = record('وكانت الفصائل قد أعلنت تعليق عملياتها، بعد يومين من هجوم بطائرة مسيرة قُتل فيه ثلاثة جنود، '
                 'واتهمت واشنطن فصائل مدعومة من إيران بتنفيذه.')
    assert ("REMOTE_VIOLENCE", "واشنطن") not in _events(rec)
    rec = record("وقصفت طائرات مسيرة مواقع في مدينة الرقة، وقالت موسكو إنها لم تشارك في الغارات.")
    assert ("REMOTE_VIOLENCE", "الرقة") in _events(rec)
    assert ("REMOTE_VIOLENCE", "موسكو") not in _events(rec)


def test_the_commander_of_an_operations_command_said_without_its_head_word() -> None:
    rec = record("وقال قائد عمليات تحرير الفلوجة، الفريق الركن عبد الوهاب الساعدي، إن قواته تتقدم بحذر.\n\n"
                 "وقال قائد عمليات بغداد، الفريق الركن جليل الربيعي، إن قواته اعتقلت خمسة مسلحين.")
    roles = roles_of(rec)
    assert ("عبد الوهاب الساعدي", "commander", "قيادة عمليات تحرير الفلوجة") in roles
    assert ("جليل الربيعي", "commander", "قيادة عمليات بغداد") in roles
    baghdad = [e for e in rec["entities"] if e["name"] == "بغداد"]
    assert all(e["type"] == "LOC" for e in baghdad)  # the command is not the city
    assert not roles_of(record("وقال قائد عمليات عسكرية في المنطقة إن قواته تتقدم."))


def test_forces_named_between_a_commanders_title_and_his_name_are_an_organisation() -> None:
    rec = record("وقال آمر قوات الصاعقة، اللواء ونيس بوخمادة، إن مقاتليه يتقدمون في الصابري.")
    assert ("ونيس بوخمادة", "commander", "قوات الصاعقة") in roles_of(rec)
    rec = record("وقال قائد قوات خاصة، العقيد سامر، إن قواته تتقدم.")  # a description, not a name
    assert not [e for e in rec["entities"] if e["type"] == "ORG"]
