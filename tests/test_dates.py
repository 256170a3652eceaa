import datetime as dt

import pytest

from rasid.stages.dates import find_dates


@pytest.mark.parametrize("text,ref,years,iso", [
    ("سنا تقارير 13 فبراير،2018", None, (), "2018-02-13"),
    ("في 28 أبريل (نيسان) 2016 شن تحالف فيلق الرحمن", None, (), "2016-04-28"),
    ("ثم بتاريخ 3 مارس (آذار) 2017 جهز جيش الإسلام", None, (), "2017-03-03"),
    ("إلى أن انسحب منها في آب 2019، إثر عملية عسكرية", None, (), "2019-08"),
    ("لعنب بلدي اليوم، الأربعاء 25 من آذار، أنه حصلت", None, (2019,), "2020-03-25"),
    ("أمس الأثنين الثاني عشر من فبراير/شباط الجاري", dt.date(2018, 2, 13), (), "2018-02-12"),
    ("يوم ١٥ تشرين الثاني ٢٠١٩ قصفت الطائرات", None, (), "2019-11-15"),
])
def test_dates_normalised_to_iso(text, ref, years, iso):
    found = find_dates(text, ref, years)
    assert found and found[0].iso == iso


def test_dates_weekday_decides_the_year():
    (d,) = find_dates("الثلاثاء 24 من آذار", None, (2019,))
    assert d.iso == "2020-03-24"


def test_dates_without_any_year_hint_are_skipped():
    assert find_dates("في 24 من آذار", None, ()) == []


@pytest.mark.parametrize("text,iso", [
    ("تاريخ النشر: 2019-05-12 10:30", "2019-05-12"),
    ("نشر في 12/05/2019", "2019-05-12"),
    ("آخر تحديث ٣١.١٢.٢٠٢٠", "2020-12-31"),
])
def test_dates_numeric_forms(text, iso):
    from rasid.stages.dates import find_numeric_dates

    assert find_numeric_dates(text)[0].iso == iso


def test_dates_publication_from_a_numeric_header_line():
    from rasid import extract_text

    doc = extract_text("قصف على ريف إدلب\nتاريخ النشر: 12/05/2019\n\n"
                       "قصفت طائرات النظام أمس بلدة كفرنبل في ريف إدلب الجنوبي، ما أدى إلى مقتل ثلاثة مدنيين وإصابة آخرين.")
    assert doc.source.published == "2019-05-12"
    assert any(iso == "2019-05-11" for _, iso in doc.dates)


@pytest.mark.parametrize("text,iso", [
    # wire style: a bare weekday between commas is the latest such day up to publication
    ("أعلنت قوات سوريا الديمقراطية، الثلاثاء، السيطرة الكاملة على مدينة الرقة", "2017-10-17"),
    ("قال الجيش، الأحد، إن قواته تقدمت", "2017-10-15"),
    # marked past: strictly before the publication day, also after a part of the day
    ("وكان اتفاق رعاه وجهاء المنطقة، الأحد الماضي، قد سمح بخروج المسلحين", "2017-10-15"),
    ("شنت الطائرات غارات فجر الثلاثاء الماضي على البلدة", "2017-10-10"),
    ("واستمرت الاشتباكات حتى مساء الاثنين", "2017-10-16"),
])
def test_dates_relative_weekdays(text, iso):
    from rasid.stages.dates import find_relative

    found = find_relative(text, dt.date(2017, 10, 17))  # a Tuesday
    assert [d.iso for d in found] == [iso]


def test_dates_a_weekday_with_a_day_number_is_left_to_the_absolute_grammar():
    from rasid.stages.dates import find_relative

    assert find_relative("يوم الخميس 12 تشرين الأول", dt.date(2017, 10, 17)) == []


def test_dates_with_dashes_between_day_month_and_year():
    assert [d.iso for d in find_dates("5 - مايو - 2017", None, ())] == ["2017-05-05"]
