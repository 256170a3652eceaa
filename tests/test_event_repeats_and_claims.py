"""Event rules added after probe batches 10 and 11's first runs: what a speaker says inside
quotation marks, definite nouns that name an event again, the terms and the basis of an
agreement, a fight's means, and surrender with the subject between verb and object.

Each snippet is written for the test in the style of scraped Arabic news; none is copied from
an evaluation article.
"""
from __future__ import annotations

from helpers import name_of, record


def events_of(rec: dict) -> list[tuple[str, str | None]]:
    return [(e["type"], name_of(rec, e.get("location"))) for e in rec["events"]]


def test_a_trigger_inside_a_speakers_quotation_marks_is_a_claim() -> None:
    rec = record("وقال القيادي في حركة أحرار الشام أبو خالد الشامي إن الفصائل \"أجبرت على الخروج تحت القصف "
                 "من أحياء حلب الشرقية، ولم تسلم المدينة طوعاً\".")
    assert not any(t == "REMOTE_VIOLENCE" for t, _ in events_of(rec))
    assert any(e["type"] == "REMOTE_VIOLENCE" and e["status"] == "claimed"
               for e in rec.get("unconfirmed_events", []))


def test_the_clashes_said_again_are_one_battle() -> None:
    rec = record("واندلعت اشتباكات عنيفة، أمس الاثنين، بين الجيش ومسلحين في بلدة سنوني.\n\n"
                 "وأضاف المتحدث أن الاشتباكات أسفرت عن مقتل جندي وإصابة سبعة آخرين.")
    assert [t for t, _ in events_of(rec)].count("BATTLE") == 1


def test_the_agreement_said_again_with_another_place_is_no_new_agreement() -> None:
    rec = record("ووقعت روسيا وتركيا في موسكو، أمس الخميس، اتفاقاً لوقف إطلاق النار في إدلب.\n\n"
                 "وقتل خمسة مدنيين في غارات على بلدة معرة مصرين قبل ساعات من سريان الاتفاق.")
    kinds = events_of(rec)
    assert [t for t, _ in kinds].count("AGREEMENT") == 1
    assert ("AGREEMENT", "معرة مصرين") not in kinds


def test_what_an_agreement_provides_for_is_not_an_event() -> None:
    rec = record("وعقد اجتماع موسع، مساء أمس، في مدينة سنجار أفضى إلى اتفاق تهدئة يقضي بانسحاب المسلحين "
                 "من الأحياء السكنية.")
    assert "TERRITORY_CHANGE" not in [t for t, _ in events_of(rec)]


def test_an_evacuation_under_an_agreement_makes_no_new_agreement() -> None:
    rec = record("وغادرت آخر القوافل، فجر اليوم، الأحياء الشرقية عبر معبر الراموسة بموجب اتفاق رعته "
                 "تركيا وروسيا.")
    assert "AGREEMENT" not in [t for t, _ in events_of(rec)]


def test_the_weapons_used_in_a_fight_a_few_words_on_are_its_means() -> None:
    rec = record("واندلعت اشتباكات عنيفة، أمس، بين الجيش والمسلحين في بلدة سنوني، استخدمت فيها الأسلحة "
                 "المتوسطة وقذائف الهاون.")
    kinds = [t for t, _ in events_of(rec)]
    assert "BATTLE" in kinds and "REMOTE_VIOLENCE" not in kinds


def test_surrender_with_the_subject_between_verb_and_object() -> None:
    rec = record("وسلّم تسعة مسلحين آخرين أنفسهم إلى قطعات الجيش في بلدة سنوني ظهر اليوم.")
    assert ("SURRENDER", "سنوني") in events_of(rec)


def test_talks_about_a_place_happen_where_they_are_held() -> None:
    rec = record("واختتمت في العاصمة الأردنية عمّان، أمس الاثنين، جولة جديدة من المفاوضات بين الحكومة اليمنية "
                 "وجماعة الحوثي حول فتح الطرق في تعز، دون التوصل إلى اتفاق.")
    assert ("NEGOTIATION", "عمّان") in events_of(rec)


def test_a_day_dates_the_event_not_a_bare_year_near_the_trigger() -> None:
    rec = record("عاد الهدوء الحذر إلى مدينة الزاوية، صباح اليوم الأربعاء، بعد يومين من أعنف اشتباكات تشهدها "
                 "المدينة هذا العام بين مجموعتين مسلحتين.", published="2023-08-16")
    dates = [e["date"] for e in rec["events"] if e["type"] == "BATTLE"]
    assert dates == ["2023-08-14"]


def test_one_of_the_strikes_said_again_in_their_town_is_no_new_event() -> None:
    rec = record("وقتل ستة مدنيين، أمس الأربعاء، جراء غارات روسية على الأحياء السكنية في مدينة كفرزيتا.\n\n"
                 "وقال الدفاع المدني اليوم إن فرقه انتشلت الجثث في كفرزيتا، وإن إحدى الغارات أصابت سيارة إسعاف.",
                 published="2019-06-13")
    assert [t for t, _ in events_of(rec)].count("REMOTE_VIOLENCE") == 1


def test_strikes_accompanying_a_battle_are_its_means() -> None:
    rec = record("وسيطرت قوات النظام، فجر اليوم، على قرية الجبين بعد معارك عنيفة مع الفصائل، وترافقت مع "
                 "غارات مكثفة على خطوط التماس.")
    kinds = [t for t, _ in events_of(rec)]
    assert "TERRITORY_CHANGE" in kinds and "REMOTE_VIOLENCE" not in kinds


def test_what_an_attack_answers_and_what_talks_seek_are_not_events() -> None:
    rec = record("وشن الطيران الحربي فجر اليوم غارات على بلدة الخيام، في ما وصفه الجيش بالرد على اغتيال "
                 "قيادي في بلدة عيتا الشعب.\n\nويأتي التصعيد فيما تتواصل في القاهرة اليوم محادثات بوساطة "
                 "مصرية وقطرية للتوصل إلى وقف لإطلاق النار في قطاع غزة.")
    kinds = events_of(rec)
    assert any(t == "REMOTE_VIOLENCE" and "الخيام" in (place or "") for t, place in kinds)
    assert not any(t in ("VIOLENCE_AGAINST_CIVILIANS", "AGREEMENT") for t, _ in kinds)


def test_the_strikes_said_again_in_one_of_their_towns_and_a_collapsed_truce() -> None:
    rec = record("وشنت طائرات حربية، فجر اليوم، أكثر من عشرين غارة على مدينة أريحا وبلدتي سرمين والنيرب.\n\n"
                 "وقال الدفاع المدني إن فرقه انتشلت جثث تسعة مدنيين من تحت أنقاض منازل دمرتها الغارات في أريحا.\n\n"
                 "وكانت القوات قد صعدت هجومها بعد انهيار وقف لإطلاق النار أعلنته روسيا وتركيا.")
    kinds = [t for t, _ in events_of(rec)]
    assert kinds.count("REMOTE_VIOLENCE") == 1 and "AGREEMENT" not in kinds


def test_what_an_envoy_tries_to_obtain_or_avoid_and_areas_of_fighting_are_not_events() -> None:
    rec = record("والتقى المبعوث الأممي أمس في صنعاء زعيم الجماعة، في إطار مساعيه لإقناعها بتسليم ميناء الحديدة "
                 "إلى إدارة أممية وتجنيب المدينة معركة شاملة.\n\nوأعلن مركز إغاثي تسيير قافلة إلى الأسر النازحة "
                 "من مناطق المواجهات جنوب الحديدة.")
    kinds = [t for t, _ in events_of(rec)]
    assert "TERRITORY_CHANGE" not in kinds and "BATTLE" not in kinds


def test_buses_leaving_a_besieged_town_is_a_territory_change() -> None:
    rec = record("بدأ، فجر اليوم الجمعة، تنفيذ المرحلة الأولى من الاتفاق، إذ غادرت 60 حافلة تقل نحو 2200 شخص "
                 "بلدة مضايا في ريف دمشق باتجاه الشمال السوري.", published="2017-04-14")
    assert ("TERRITORY_CHANGE", "مضايا") in events_of(rec)
