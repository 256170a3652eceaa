import pytest

from rasid.ingest import prepare, read_inputs
from rasid.ingest.boilerplate import classify


def _doc(articles, name):
    (raw,) = read_inputs([str(articles / name)])
    return prepare(raw)


@pytest.mark.parametrize("name,keep,drop", [
    ("000_fa03e3a715d7dd5c.txt", ["ونفى البكور وجود قنوات تواصل"], ["تخطى إلى المحتوى", "يتصدى لحملة إعلامية"]),
    ("001_67afc023dd4f8fc2.txt", ["حسب الإمكانيات المتاحة"],
     ["camera icon", "tag icon", "ادعم عنب بلدي", "اضغط هنا للمساهمة", "الإعلام الموجّه يشوه"]),
    ("002_91baa5340ac027c7.txt", ["وقد أمَّن طريقها للبادية", "في حوارٍ أجاب خلاله"],
     ["ميشيل عون", "حجم الخط", "مشاهدة", "اقرأ أيضًا", "http://"]),
    ("004_b91d946e27faddc9.txt", ["رغم صدور قرار بمجلس الأمن"], ["التعليقات (0)", "الأكثر قراءة", "أهم التصنيفات"]),
])
def test_boilerplate_removed_and_body_kept(articles, name, keep, drop):
    doc = _doc(articles, name)
    for s in keep:
        assert s in doc.text
    for s in drop:
        assert s not in doc.text


def test_boilerplate_title_is_first_line_and_not_repeated(articles):
    doc = _doc(articles, "004_b91d946e27faddc9.txt")
    title = 'هكذا رد "جيش الإسلام" على شائعات خروجه من الغوطة'
    assert doc.text.startswith(title + "\n\n")
    assert doc.text.count(title) == 1
    assert doc.source.title == title


def test_boilerplate_headline_list_is_not_the_title(articles):
    doc = _doc(articles, "002_91baa5340ac027c7.txt")
    assert doc.source.title.startswith("جيش الإسلام في حوار المكاشفة")


def test_boilerplate_repeated_caption_dropped():
    page = ("عنوان طويل عن معارك الفصائل في ريف حماة\n\n"
            + "قال القيادي إن الفصائل استعادت السيطرة على عدة قرى في ريف حماة الشمالي بعد معارك عنيفة استمرت أياماً.\n\n"
            + "العقيد مصطفى البكور\nالعقيد مصطفى البكور\n\n"
            + "وأضاف أن المعارك ما زالت مستمرة على عدة محاور في المنطقة، وأن الفصائل تتقدم ببطء.\n")
    kinds = [ln.kind for ln in classify(page).lines if ln.text.strip()]
    assert kinds == ["title", "body", "caption", "caption", "body"]


@pytest.mark.parametrize("name,outlet,published", [
    ("000_fa03e3a715d7dd5c.txt", "مدونة هادي العبد الله", None),
    ("001_67afc023dd4f8fc2.txt", "عنب بلدي", "2020-03-25"),
    ("002_91baa5340ac027c7.txt", "أنا برس", None),
    ("003_33dc26e51a3d6a6a.txt", "الوكالة السورية للأنباء", "2018-02-13"),
    ("004_b91d946e27faddc9.txt", "أورينت نت", None),
])
def test_boilerplate_outlet_and_date_from_the_page(articles, name, outlet, published):
    doc = _doc(articles, name)
    assert doc.source.outlet == outlet
    assert doc.source.published == published


def test_boilerplate_title_is_not_a_menu_item_or_language_switcher_and_trailing_sections_go():
    page = ("وكالة الأنباء\nالرئيسية\nأخبار العالم العربي\nاقتصاد\nرياضة\nEnglish | Türkçe | Français\n\n"
            "العالم العربي, سوريا\n\n"
            "الجيش الوطني يسيطر على مركز مدينة تل أبيض بعد معارك عنيفة\n\n"
            "أعلن الجيش الوطني السوري، الأحد، سيطرته على مركز مدينة تل أبيض شمالي محافظة الرقة، بعد "
            "اشتباكات عنيفة استمرت يومين مع مقاتلي التنظيم في محيط المدينة وأحيائها الجنوبية.\n\n"
            "وقال المتحدث باسم الجيش الوطني إن قواته بدأت تمشيط الأحياء من الألغام والعبوات الناسفة.\n\n"
            "الأخبار ذات الصلة\nأردوغان: العملية ستستمر حتى تحقيق أهدافها\n"
            "الجيش التركي يدفع بتعزيزات جديدة إلى الحدود\n\nشارك هذا الخبر\n\n"
            "على موقع الوكالة، يتم نشر جزء من الأخبار المقدمة للمشتركين عبر نظام تدفق الأخبار بشكل ملخص.\n")
    c = classify(page)
    assert c.lines[c.title_index].text == "الجيش الوطني يسيطر على مركز مدينة تل أبيض بعد معارك عنيفة"
    body = "\n".join(ln.kept for ln in c.body_lines())
    assert "سيطرته على مركز مدينة تل أبيض" in body and "بدأت تمشيط الأحياء" in body
    for gone in ("ذات الصلة", "تحقيق أهدافها", "شارك هذا الخبر", "للمشتركين", "English", "أخبار العالم العربي"):
        assert gone not in body, gone


def test_boilerplate_related_headlines_between_paragraphs_go_and_the_article_goes_on():
    page = ("الجيش يعلن استعادة مخيم اليرموك بعد شهر من المعارك مع التنظيم\n\n"
            "أعلنت القيادة العامة للجيش، الاثنين، استعادة السيطرة الكاملة على مخيم اليرموك جنوبي "
            "العاصمة دمشق، بعد نحو شهر من المعارك مع مسلحي التنظيم في المخيم والأحياء المجاورة له.\n\n"
            "قصص ذات صلة\nما الذي تبقى من مخيم اليرموك؟\nإسرائيل تقصف مواقع إيرانية في سوريا\n\n"
            "وقال المتحدث باسم الوكالة إن الوكالة تشعر بقلق بالغ على مصير المدنيين القلائل في المخيم.\n\n"
            "وكان التنظيم قد سيطر على معظم المخيم في عام 2015، بعد سنوات من الحصار الذي فرض عليه.\n\n"
            "الأكثر قراءة\nأسعار النفط تقفز إلى أعلى مستوى منذ سنوات\n")
    body = "\n".join(ln.kept for ln in classify(page).body_lines())
    assert "تشعر بقلق بالغ" in body and "سيطر على معظم المخيم" in body
    for gone in ("قصص ذات صلة", "إسرائيل تقصف", "ما الذي تبقى", "الأكثر قراءة", "أسعار النفط"):
        assert gone not in body, gone


def test_boilerplate_a_long_date_line_with_hijri_date_and_clock_time_gives_the_date(tmp_path):
    page = ("عربي21\nالرئيسية\nسياسة\n\n"
            "العبادي يعلن من الموصل النصر على تنظيم الدولة وجيوب مقاومة قرب دجلة\n\n"
            "الإثنين، 16 شوال 1438 هـ - 10 يوليو 2017 04:12 م بتوقيت غرينتش\n\n"
            "أعلن رئيس الوزراء العراقي حيدر العبادي، اليوم الإثنين، النصر على تنظيم الدولة في مدينة الموصل، "
            "بعد يوم من إعلان القوات العراقية استعادة السيطرة على المدينة القديمة آخر معاقل التنظيم.\n\n"
            "وقال العبادي في كلمة متلفزة إن هذا النصر هو لكل العراقيين وإن المعركة المقبلة ستكون ضد الخلايا.\n")
    f = tmp_path / "mosul.txt"
    f.write_text(page, encoding="utf-8")
    (raw,) = list(read_inputs([str(f)]))
    assert prepare(raw).source.published == "2017-07-10"
