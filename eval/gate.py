"""Evaluation gate: score `rasid extract` on the seed articles with the official scorer and fail
when a metric drops below its committed floor (eval/floors.json).

    python eval/gate.py            # check floors (used by `make test`)
    python eval/gate.py --report   # print every metric as well
    python eval/gate.py --set probe  # only the probe set (eval/probe, floors in eval/probe/floors.json)

The scorer and gold come from ../shared/eval when present (the official copy), else from the
copy in eval/ (kept in sync; see eval/README.md).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _paths() -> tuple[Path, Path, Path]:
    if (SHARED / "eval" / "score.py").exists() and (SHARED / "corpus" / "seeds").exists():
        return SHARED / "eval" / "score.py", SHARED / "eval" / "dev", SHARED / "corpus" / "seeds"
    return ROOT / "eval" / "score.py", ROOT / "eval" / "dev", ROOT / "examples" / "articles"


def _flatten(res: dict) -> dict[str, float]:
    flat: dict[str, float] = {}
    for k, v in res.items():
        if isinstance(v, dict) and "f1" in v:
            flat[f"{k}.f1"] = v["f1"]
        elif isinstance(v, dict):
            for t, x in v.items():
                flat[f"{k}.{t}.f1"] = x["f1"]
        elif isinstance(v, (int, float)):
            flat[k] = v
    return flat


def _check(name: str, scorer: Path, gold: Path, articles: Path, floors_path: Path, report: bool) -> bool:
    """Score ``rasid extract`` on ``articles`` against ``gold``; True when every floor holds."""
    rasid = Path(sys.executable).parent / "rasid"
    out = subprocess.run([str(rasid), "extract", str(articles), "--format", "jsonl"],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        print(f"eval gate ({name}): rasid extract failed", file=sys.stderr)
        return False
    spec = importlib.util.spec_from_file_location("rasid_scorer", scorer)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    records = {}
    for line in out.stdout.splitlines():
        if line.strip():
            r = json.loads(line)
            records[r["id"]] = r
    flat = _flatten(mod.score(gold, records))
    floors = json.loads(floors_path.read_text(encoding="utf-8"))
    failed = []
    for k, floor in floors.items():
        if k.startswith("_"):
            continue
        val = flat.get(k)
        if k == "entity_duplicates":
            ok = val is not None and val <= floor
        else:
            ok = val is not None and val >= floor
        if not ok:
            failed.append(f"{k}: {val} (floor {floor})")
    if report or failed:
        print(f"== {name} ({gold})")
        for k, v in flat.items():
            print(f"{k:32} {v}")
    if failed:
        print(f"eval gate ({name}) FAILED:\n  " + "\n  ".join(failed), file=sys.stderr)
        return False
    print(f"eval gate ({name}): {len([k for k in floors if not k.startswith('_')])} metrics at or above their floors")
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--set", choices=("dev", "probe", "all"), default="all",
                    help="dev: the seed articles and their official gold; probe: eval/probe (articles "
                         "written to probe other outlets and conflicts); all (default): both")
    a = ap.parse_args()
    scorer, gold, seeds = _paths()
    ok = True
    if a.set in ("dev", "all"):
        ok &= _check("dev", scorer, gold, seeds, ROOT / "eval" / "floors.json", a.report)
    if a.set in ("probe", "all"):
        probe = ROOT / "eval" / "probe"
        ok &= _check("probe", scorer, probe / "gold", probe / "articles", probe / "floors.json", a.report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
