"""Fuzz the REST API from its own OpenAPI schema (schemathesis): no input may cause a 5xx."""
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from rasid import extract  # noqa: E402
from rasid.api.app import create_app  # noqa: E402
from rasid.kb.store import KnowledgeBase  # noqa: E402
from tests_paths import ARTICLES  # noqa: E402

_DB = str(Path(tempfile.mkdtemp(prefix="rasid-fuzz-")) / "kb.db")
with KnowledgeBase(_DB) as _kb:
    for _d in extract([str(ARTICLES / "004_b91d946e27faddc9.txt"), str(ARTICLES / "003_33dc26e51a3d6a6a.txt")]):
        _kb.store(_d)

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_DB, token="fuzz-token"))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_fuzz_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
