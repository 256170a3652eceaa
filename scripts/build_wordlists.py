"""Build the word lists rasid derives from ANERcorp (CC BY-SA 4.0, Benajiba 2007).

    python scripts/build_wordlists.py [ANERCORP_TRAIN_FILE]

- ``given_names.txt``: tokens that begin person names (B-PERS) at least twice and are tagged
  as a non-entity less often than as a name start; these let rules find a person after a role
  phrase ("قائد جيش الإسلام عصام بويضاني").
- ``common_words.txt``: tokens mostly tagged O (non-entity) and frequent; a one-word place or
  organisation alias that is a common word needs a head noun (مدينة الباب) to count.
Forms are folded with rasid.normalize.fold. Deterministic: sorted output.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from rasid.normalize import fold  # noqa: E402

DEFAULT = ROOT / "data" / "anercorp" / "train.txt"  # the train split only: nothing from test


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    b_pers, tag_o, entity = Counter(), Counter(), Counter()
    for line in src.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, tag = fold(parts[0]), parts[-1]
        if not word.isalpha():
            continue
        if tag == "B-PERS":
            b_pers[word] += 1
        if tag == "O":
            tag_o[word] += 1
        else:
            entity[word] += 1
    given = sorted(w for w, n in b_pers.items() if n >= 2 and tag_o[w] < n and len(w) >= 2)
    common = sorted(w for w, n in tag_o.items() if n >= 3 and n > 2 * entity[w])
    head = "# derived from ANERcorp (CC BY-SA 4.0) by scripts/build_wordlists.py\n"
    (ROOT / "src/rasid/data/given_names.txt").write_text(head + "\n".join(given) + "\n", encoding="utf-8")
    (ROOT / "src/rasid/data/common_words.txt").write_text(head + "\n".join(common) + "\n", encoding="utf-8")
    print(f"given names: {len(given)}, common words: {len(common)}")


if __name__ == "__main__":
    main()
