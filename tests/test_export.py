import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from rasid import extract
from rasid.kb.export import export


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    from rasid.kb.store import KnowledgeBase
    from tests_paths import ARTICLES

    kb = KnowledgeBase(str(tmp_path_factory.mktemp("kb") / "kb.db"))
    for d in extract([str(ARTICLES)]):
        kb.store(d)
    yield list(kb.records())
    kb.close()


def _run(records, fmt):
    buf = io.StringIO()
    n = export(records, fmt, buf)
    return n, buf.getvalue()


def test_export_acled_csv_round_trip(stored):
    n, text = _run(stored, "acled-csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == n == sum(len(r["events"]) for r in stored)
    surrender = [r for r in rows if r["event_type"] == "SURRENDER"]
    assert surrender and surrender[0]["count"] == "380" and surrender[0]["admin1"] == "إدلب"
    assert float(surrender[0]["latitude"]) > 32 and surrender[0]["evidence"]


def test_export_jsonl_is_the_records(stored):
    n, text = _run(stored, "jsonl")
    back = [json.loads(line) for line in text.splitlines()]
    assert back == stored and n == 5


def test_export_entities_csv_one_row_per_identity(stored):
    n, text = _run(stored, "entities-csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == n == len({r["kb_id"] for r in rows})
    bakour = [r for r in rows if "بكور" in r["name"] and r["type"] == "PER"]
    assert len(bakour) == 1 and bakour[0]["articles"] == "3" and bakour[0]["rank"] == "عقيد"


def test_export_quotes_csv(stored):
    n, text = _run(stored, "quotes-csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == n == sum(len(r["quotes"]) for r in stored)
    assert {"DENIAL", "ANSWER", "CLAIM"} <= {r["act"] for r in rows}


def test_export_geojson_points(stored):
    n, text = _run(stored, "geojson")
    fc = json.loads(text)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == n > 0
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert 35 < lon < 43 and 32 < lat < 38


def test_export_graphml_parses_with_role_edges(stored):
    n, text = _run(stored, "graphml")
    root = ET.fromstring(text)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = root.findall(".//g:node", ns)
    edges = root.findall(".//g:edge", ns)
    assert len(nodes) == n and edges
    kinds = {d.text for e in edges for d in e.findall("g:data", ns) if d.get("key") == "kind"}
    assert {"cooccurs", "role", "quote_about"} <= kinds
