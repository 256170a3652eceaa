from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="session")
def articles() -> Path:
    return ARTICLES


@pytest.fixture(scope="session")
def records():
    """Document records of the bundled articles, by id (computed once)."""
    from rasid import extract

    return {d.id: d for d in extract([str(ARTICLES)])}


@pytest.fixture()
def kb(tmp_path):
    from rasid.kb.store import KnowledgeBase

    with KnowledgeBase(str(tmp_path / "kb.db")) as k:
        yield k
