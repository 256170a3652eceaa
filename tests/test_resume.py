"""Crash safety: kill -9 an ingest half-way, restart it, and get exactly the uninterrupted result."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests_paths import ARTICLES


def _corpus(tmp_path, n=30):
    src = sorted(ARTICLES.glob("*.txt"))
    d = tmp_path / "corpus"
    d.mkdir()
    for i in range(n):
        p = src[i % len(src)]
        # each copy differs (a dateline), so none is a duplicate of another
        (d / f"{i:03d}_{p.stem}.txt").write_text(p.read_text(encoding="utf-8") + f"\n\nنسخة {i}.",
                                                 encoding="utf-8")
    return d


def _dump(db):
    con = sqlite3.connect(db)
    docs = con.execute("SELECT id, content_hash, record FROM documents ORDER BY id").fetchall()
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("sentences", "sentences_fts", "sentence_vectors", "doc_entities", "quotes", "events")]
    con.close()
    return docs, counts


def test_resume_after_kill_9_equals_an_uninterrupted_run(tmp_path):
    corpus = _corpus(tmp_path)
    rasid = [sys.executable, "-m", "rasid.cli", "ingest", str(corpus), "--no-progress"]
    full = str(tmp_path / "full.db")
    assert subprocess.run(rasid + ["--db", full], capture_output=True).returncode == 0

    killed = str(tmp_path / "killed.db")
    proc = subprocess.Popen(rasid + ["--db", killed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline:  # wait until some, but not all, articles are in
        time.sleep(0.2)
        try:
            con = sqlite3.connect(killed, timeout=1)
            stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            con.close()
        except sqlite3.OperationalError:
            continue
        if stored >= 5:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 5 <= stored < 30, stored
    again = subprocess.run(rasid + ["--db", killed], capture_output=True, text=True)
    assert again.returncode == 0 and "unchanged" in again.stdout
    assert _dump(killed) == _dump(full)
