"""An article in a layout none of the seed articles has (written for the tests in the style of a
Syrian TV news site): byline with the outlet, a date line, share buttons and a read-also list."""
from pathlib import Path

from rasid import extract

FIXTURE = Path(__file__).parent / "fixtures" / "syria_tv_style.txt"


def _rec():
    (doc,) = list(extract([str(FIXTURE)]))
    return doc.to_record()


def test_generality_header_byline_and_footer():
    rec = _rec()
    assert rec["source"]["outlet"] == "تلفزيون سوريا"  # from the byline, not the share buttons
    assert rec["source"]["title"] == "قوات النظام تقصف ريف إدلب الجنوبي وتقتل ثلاثة مدنيين"
    assert rec["source"]["published"] == "2019-05-12"
    assert "روسيا تعلن وقف إطلاق النار" not in rec["text"] and "واتساب" not in rec["text"]


def test_generality_people_roles_and_quotes():
    rec = _rec()
    ents = {e["id"]: e for e in rec["entities"]}
    people = {e["name"]: e for e in rec["entities"] if e["type"] == "PER"}
    assert set(people) == {"مصطفى الحاج يوسف", "ناجي مصطفى"} and people["ناجي مصطفى"]["rank"] == "نقيب"
    roles = {(ents[r["person"]]["name"], r["role"], ents[r["org"]]["name"]) for r in rec["relations"]}
    assert ("ناجي مصطفى", "spokesperson", "الجبهة الوطنية للتحرير") in roles
    by_text = {q["text"][:20]: q for q in rec["quotes"]}
    q = next(q for t, q in by_text.items() if t.startswith("مقاتلي الجبهة"))
    assert q["speaker_text"] == "ناجي مصطفى" and q["kind"] == "direct" and q["channel"] == "تلفزيون سوريا"
    q = next(q for t, q in by_text.items() if t.startswith("فرق الدفاع المدني"))
    assert q["speaker_text"] == "مصطفى الحاج يوسف"


def test_generality_events_with_dates_from_today():
    rec = _rec()
    ents = {e["id"]: e for e in rec["entities"]}
    shelling = [e for e in rec["events"] if e["type"] == "REMOTE_VIOLENCE" and ents[e["location"]]["name"] == "كفرنبل"]
    assert shelling and shelling[0]["date"] == "2019-05-12" and shelling[0]["count"] == 3
    assert any(e["type"] == "TERRITORY_CHANGE" and ents[e["location"]]["name"] == "الحماميات" for e in rec["events"])


def test_generality_state_agency_html_page():
    """A state-agency style HTML page: metadata from the page, state vocabulary (الجيش العربي السوري)."""
    (doc,) = list(extract([str(Path(__file__).parent / "fixtures" / "state_agency_style.html")]))
    rec = doc.to_record()
    ents = {e["id"]: e for e in rec["entities"]}
    assert rec["source"]["outlet"] == "سانا" and rec["source"]["published"] == "2019-05-09"
    assert "أخبار ذات صلة" not in rec["text"] and "جميع الحقوق" not in rec["text"]
    regime = [e for e in rec["entities"] if e.get("kb_id") == "rasid:org:syrian-regime"]
    assert regime and "الجيش العربي السوري" in regime[0]["aliases"]
    tc = [e for e in rec["events"] if e["type"] == "TERRITORY_CHANGE"]
    assert len(tc) == 1 and ents[tc[0]["location"]]["name"] in ("كفرنبودة", "قلعة المضيق")
    assert tc[0]["date"] == "2019-05-09"
    said = {q["speaker_text"] for q in rec["quotes"]}
    assert "بشار الأسد" in said


def test_generality_monitor_report():
    """A monitor's report: numbers of dead, an arrest raid, a director quoted via a news agency."""
    (doc,) = list(extract([str(Path(__file__).parent / "fixtures" / "monitor_style.txt")]))
    rec = doc.to_record()
    ents = {e["id"]: e for e in rec["entities"]}
    assert rec["source"]["published"] == "2022-01-07"
    roles = {(ents[r["person"]]["name"], r["role"], ents[r["org"]]["name"]) for r in rec["relations"]}
    assert ("رامي عبد الرحمن", "head", "المرصد السوري لحقوق الإنسان") in roles
    (q,) = [q for q in rec["quotes"] if q["speaker_text"] == "رامي عبد الرحمن"]
    assert q["kind"] == "direct" and q["text"].startswith("خلايا التنظيم") and q["channel"] == "وكالة الصحافة الفرنسية"
    battle = [e for e in rec["events"] if e["type"] == "BATTLE"]
    assert battle and ents[battle[0]["location"]]["name"] == "ذيبان" and battle[0]["count"] == 14
    assert "المرصد السوري لحقوق الإنسان" not in {ents[a]["name"] for a in battle[0]["actors"]}
    arrest = [e for e in rec["events"] if e["type"] == "ARREST"]
    assert arrest and ents[arrest[0]["location"]]["name"] == "الحوايج" and arrest[0]["count"] == 3
