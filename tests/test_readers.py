import json

from rasid.ingest import RawArticle, Rejected, read_inputs, prepare

HTML = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>فيلق الرحمن ينفي التفاوض مع روسيا - أورينت نت</title>
<meta property="og:site_name" content="أورينت نت">
<meta property="article:published_time" content="2018-03-09T12:00:00+02:00">
<link rel="canonical" href="https://orient-news.net/ar/news_show/146789"></head>
<body><nav><a href="/">الرئيسية</a> <a href="/news">أخبار</a></nav>
<article><h1>فيلق الرحمن ينفي التفاوض مع روسيا</h1>
<p>أكد وائل علوان الناطق الرسمي باسم فيلق الرحمن أن الفيلق لم يجرِ أي مفاوضات مع الجانب الروسي أو النظام حول خروج المقاتلين من الغوطة الشرقية.</p>
<p>وقال علوان في تصريح لأورينت نت إن روسيا تعمل في الوقت الراهن على عزل مدينة دوما بالكامل عن باقي قطاعات الغوطة الشرقية كمرحلة ثانية.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


def test_readers_plain_text_file_gets_its_stem_as_id(articles):
    items = list(read_inputs([str(articles / "004_b91d946e27faddc9.txt")]))
    assert len(items) == 1 and isinstance(items[0], RawArticle)
    assert items[0].id == "004_b91d946e27faddc9" and items[0].fmt == "text"


def test_readers_directory_is_walked_in_order(articles):
    ids = [i.id for i in read_inputs([str(articles)])]
    assert ids == sorted(ids) and len(ids) == 5


def test_readers_html_goes_through_main_content_extraction(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    (raw,) = read_inputs([str(f)])
    assert raw.fmt == "html"
    doc = prepare(raw)
    assert "لم يجرِ أي مفاوضات" in doc.text
    assert "الرئيسية" not in doc.text and "جميع الحقوق محفوظة" not in doc.text
    assert doc.source.outlet == "أورينت نت"
    assert doc.source.published == "2018-03-09"
    assert doc.source.title.startswith("فيلق الرحمن ينفي")


def test_readers_jsonl_with_metadata_and_broken_lines(tmp_path):
    f = tmp_path / "scrape.jsonl"
    good = {"id": "a1", "text": "نفى جيش الإسلام ما تروج له وسائل إعلام نظام الأسد من شائعات حول خروج مقاتليه من الغوطة الشرقية.",
            "url": "https://www.enabbaladi.net/archives/1", "title": "جيش الإسلام ينفي", "published": "2018-03-01"}
    f.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n" + json.dumps({"id": "a2"}) + "\n"
                 + json.dumps({"id": "a3", "html": HTML}, ensure_ascii=False) + "\n", encoding="utf-8")
    items = list(read_inputs([str(f)]))
    assert [type(i).__name__ for i in items] == ["RawArticle", "Rejected", "Rejected", "RawArticle"]
    assert items[1].source.endswith("scrape.jsonl:2") and "JSON" in items[1].reason
    doc = prepare(items[0])
    assert doc.id == "a1" and doc.source.published == "2018-03-01"
    assert doc.source.outlet == "عنب بلدي"  # from the URL
    assert items[3].fmt == "html"


def test_readers_reject_missing_binary_and_empty(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    items = list(read_inputs([str(tmp_path), str(tmp_path / "nope.txt")]))
    assert all(isinstance(i, Rejected) for i in items) and len(items) == 3
    reasons = " | ".join(i.reason for i in items)
    assert "empty" in reasons and "PNG" in reasons and "no such file" in reasons


def test_readers_windows_1256_article(tmp_path, articles):
    text = (articles / "003_33dc26e51a3d6a6a.txt").read_text(encoding="utf-8")
    f = tmp_path / "old_site.txt"
    f.write_bytes(text.encode("cp1256", errors="ignore"))
    (raw,) = read_inputs([str(f)])
    assert raw.encoding == "cp1256"
    assert "غرفة عمليات دحر الغزاة" in raw.text
