import json
import subprocess
import sys
from pathlib import Path


from rasid.cli import build_parser, main

RASID = [sys.executable, "-m", "rasid.cli"]


def run(args, **kw):
    return subprocess.run(RASID + args, capture_output=True, text=True, **kw)


def test_cli_extract_prints_one_record_per_article_with_every_field(articles):
    out = run(["extract", str(articles), "--format", "jsonl"])
    assert out.returncode == 0, out.stderr
    recs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in recs] == sorted(p.stem for p in articles.glob("*.txt"))
    for r in recs:
        assert set(r) >= {"id", "source", "text", "entities", "relations", "quotes", "events"}
        assert set(r["source"]) >= {"path", "url", "outlet", "title", "published"}
        for e in r["entities"]:
            for s, t in e["mentions"]:
                assert r["text"][s:t]


def test_cli_extract_json_and_stdin(articles):
    data = (articles / "004_b91d946e27faddc9.txt").read_bytes()
    out = subprocess.run(RASID + ["extract", "-", "--format", "json"], input=data, capture_output=True)
    assert out.returncode == 0
    (rec,) = json.loads(out.stdout.decode("utf-8"))
    assert rec["source"]["outlet"] == "أورينت نت"


def test_cli_bad_inputs_are_reported_and_the_run_continues(tmp_path, articles):
    (tmp_path / "a.txt").write_bytes((articles / "003_33dc26e51a3d6a6a.txt").read_bytes())
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (tmp_path / "c.txt").write_bytes(b"")
    out = run(["extract", str(tmp_path)])
    assert out.returncode == 1
    assert len(out.stdout.splitlines()) == 1
    assert "b.txt" in out.stderr and "c.txt" in out.stderr and "empty" in out.stderr


def test_cli_ingest_search_show_stats(tmp_path, articles):
    db = str(tmp_path / "kb.db")
    out = run(["ingest", str(articles), "--db", db])
    assert out.returncode == 0, out.stderr
    assert "5 added" in out.stdout and "articles" in out.stdout
    again = run(["ingest", str(articles), "--db", db])
    assert "5 unchanged" in again.stdout
    hits = run(["search", "السلاح", "--db", db, "--format", "jsonl"])
    rows = [json.loads(line) for line in hits.stdout.splitlines()]
    assert rows and all({"id", "sentence"} <= set(r) for r in rows)
    assert any("السـ.لاح" in r["sentence"] for r in rows)
    text = run(["search", "المحرمة", "--db", db])
    assert "【المحـ.رمة】" in text.stdout and "مدونة هادي العبد الله" in text.stdout
    show = run(["show", "004_b91d946e27faddc9", "--db", db])
    assert json.loads(show.stdout)["id"] == "004_b91d946e27faddc9"
    stats = run(["stats", "--db", db, "--format", "json"])
    st = json.loads(stats.stdout)
    assert st["articles"] == 5 and st["entities"] > 50


def test_cli_db_from_environment(tmp_path, articles, monkeypatch):
    db = tmp_path / "env.db"
    out = run(["ingest", str(articles / "000_fa03e3a715d7dd5c.txt")],
              env={**__import__("os").environ, "RASID_DB": str(db)})
    assert out.returncode == 0 and db.exists()


def test_cli_show_unknown_id_is_a_clear_error(tmp_path, capsys):
    assert main(["show", "missing", "--db", str(tmp_path / "x.db")]) == 2
    assert "no document with id 'missing'" in capsys.readouterr().err


def test_cli_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"rasid {name}" in readme, name


def test_cli_serve_with_several_worker_processes(tmp_path, articles):
    """`rasid serve --workers 2`: the processes build the app from the environment and answer."""
    import socket
    import time
    import urllib.request

    db = str(tmp_path / "w.db")
    assert main(["ingest", str(articles), "--db", db]) == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "rasid.cli", "serve", "--db", db, "--port", str(port),
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, stats = time.monotonic() + 60, None
        while stats is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=10) as r:
                    stats = json.loads(r.read())
            except OSError:
                time.sleep(0.3)
        assert stats is not None and stats["articles"] == 5
    finally:
        proc.terminate()
        proc.wait(20)
