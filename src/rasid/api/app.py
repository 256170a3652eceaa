"""FastAPI application: read endpoints open, write endpoints only with the operator's token.

One JSON error shape everywhere: ``{"error": {"code": ..., "message": ...}}``. Inputs are
validated (enums, ISO dates, page sizes) and rejected with 4xx and a reason. The knowledge base
is opened per request (SQLite in WAL mode lets readers run beside the single writer; PostgreSQL,
``create_app("postgresql://…")``, reuses pooled connections; on both a reader only ever sees whole
articles).
"""

# No `from __future__ import annotations` here: FastAPI reads the annotations at run time.
import hmac
import io
import os
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import unquote
from typing import Annotated, Any, Callable, Iterator, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from rasid import __version__
from rasid.api.cache import ResponseCache
from rasid.errors import InputError, NotFoundError, QueryError, RasidError
from rasid.kb import queries as Q
from rasid.kb.export import export
from rasid.kb.store import KnowledgeBase, backend_errors

EventType = Literal["BATTLE", "REMOTE_VIOLENCE", "VIOLENCE_AGAINST_CIVILIANS", "TERRITORY_CHANGE", "SURRENDER",
                    "NEGOTIATION", "AGREEMENT", "PRISONER_EXCHANGE", "ARREST"]
Act = Literal["CLAIM", "DENIAL", "ACCUSATION", "APPEAL", "THREAT", "ANSWER"]
EntityType = Literal["PER", "ORG", "LOC"]
IsoDate = Annotated[str, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


class IngestBody(BaseModel):
    text: str | None = Field(None, description="article text (plain or HTML)")
    html: str | None = None
    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


class SplitBody(BaseModel):
    kb_id: str = Field(..., description="the identity to split")
    doc_ids: list[str] = Field(..., min_length=1, description="articles whose mentions get a new identity")


class MergeBody(BaseModel):
    keep: str = Field(..., description="kb_id that stays")
    merge: str = Field(..., description="kb_id folded into it")


def _err(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def warm_cache(cache: ResponseCache, db_path: str | None, entities: int) -> int:
    """Compute, before the first request, the answers most likely to be asked first: the summary
    and the profiles of the ``entities`` most-mentioned entities (the UI's landing links). Without
    it, the first wave of clients after a start queues behind pages computed one by one (p99 378
    ms under 50 clients at 10,000 articles, against 136 ms once computed). Returns the number of
    answers stored."""
    if entities <= 0 or cache.max_bytes <= 0:
        return 0
    with KnowledgeBase(db_path) as k:
        gen = k.generation()
        top = [r[0] for r in k.execute("SELECT kb_id FROM doc_entities GROUP BY kb_id "
                                       "ORDER BY count(*) DESC, kb_id LIMIT ?", (entities,)).fetchall()]
        cache.get_or_compute(("/api/stats", ()), gen, k.stats)
        for kb_id in top:
            cache.get_or_compute((f"/api/entities/{kb_id}", ()), gen, lambda i=kb_id: Q.entity(k, i))
    return len(top) + 1


def create_app(db_path: str | None = None, token: str | None = None, cache_mb: float | None = None,
               warm: int = 0) -> FastAPI:
    """``cache_mb``: memory for cached read answers (default ``$RASID_API_CACHE_MB`` or 64; 0 turns
    the cache off). Cached answers are only served while the knowledge base is unchanged.
    ``warm``: profiles of that many most-mentioned entities computed at start-up (``warm_cache``;
    ``rasid serve`` uses 50)."""
    if cache_mb is None:
        cache_mb = float(os.environ.get("RASID_API_CACHE_MB", "64"))
    cache = ResponseCache(int(cache_mb * 2**20))

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        warm_cache(cache, db_path, warm)  # before the server accepts connections
        yield

    app = FastAPI(title="rasid", version=__version__, lifespan=lifespan,
                  description="Arabic conflict news knowledge base: articles, entities, roles, quotes, events.")

    def kb() -> Iterator[KnowledgeBase]:
        k = KnowledgeBase(db_path)
        try:
            yield k
        finally:
            k.close()

    def writer(authorization: str | None = Header(None)) -> None:
        if not token:
            raise HTTPException(403, "this server is read-only (start it with --token to allow writes)")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong bearer token")

    KB = Annotated[KnowledgeBase, Depends(kb)]

    def answer(k: KnowledgeBase, request: Request, compute: Callable[[], Any]) -> Response:
        """JSON of ``compute()``, cached under the path and query while the KB is unchanged."""
        key = (unquote(request.url.path), tuple(sorted(request.query_params.multi_items())))
        return Response(cache.get_or_compute(key, k.generation(), compute), media_type="application/json")

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _err(exc.status_code, f"E_HTTP_{exc.status_code}", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        msgs = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _err(422, "E_VALIDATION", msgs)

    async def store_error(_: Request, exc: Exception) -> JSONResponse:
        return _err(503, "E_STORE", f"knowledge base error: {exc}")

    for error in backend_errors(db_path):  # sqlite3.Error, and psycopg.Error for PostgreSQL
        app.add_exception_handler(error, store_error)

    @app.exception_handler(RasidError)
    async def rasid_error(_: Request, exc: RasidError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFoundError) else 400 if isinstance(exc, (QueryError, InputError)) else 500
        return _err(status, exc.code, exc.message)

    @app.get("/api/articles", summary="list articles")
    def list_articles(request: Request, k: KB, outlet: str | None = None, limit: Limit = 50,
                      offset: Offset = 0) -> dict:
        return answer(k, request, lambda: Q.articles(k, outlet, limit, offset))

    @app.get("/api/articles/{doc_id}", summary="one document record (original text and annotations)")
    def get_article(request: Request, k: KB, doc_id: str) -> dict:
        return answer(k, request, lambda: k.record(doc_id))

    @app.get("/api/entities", summary="find entities by any Arabic or English alias")
    def list_entities(request: Request, k: KB, q: str = "", type: EntityType | None = None, limit: Limit = 50,
                      offset: Offset = 0) -> dict:
        return answer(k, request, lambda: Q.find_entities(k, q, type, limit, offset))

    @app.get("/api/entities/{kb_id:path}", summary="entity profile: roles, quotes by/about, events, network")
    def get_entity(request: Request, k: KB, kb_id: str) -> dict:
        return answer(k, request, lambda: Q.entity(k, kb_id))

    @app.get("/api/quotes", summary="statements filtered by speaker, organisation, act, date, outlet")
    def list_quotes(request: Request, k: KB, speaker: str | None = None, org: str | None = None, act: Act | None = None,
                    date_from: IsoDate | None = None, date_to: IsoDate | None = None, outlet: str | None = None,
                    limit: Limit = 50, offset: Offset = 0) -> dict:
        return answer(k, request, lambda: Q.quotes(k, speaker, org, act, date_from, date_to, outlet, limit, offset))

    @app.get("/api/events", summary="events filtered by type, actor, place, governorate, date, bounding box")
    def list_events(request: Request, k: KB, type: EventType | None = None, actor: str | None = None, place: str | None = None,
                    governorate: str | None = None, date_from: IsoDate | None = None,
                    date_to: IsoDate | None = None,
                    bbox: Annotated[str | None, Query(pattern=r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$",
                                                      description="min_lon,min_lat,max_lon,max_lat")] = None,
                    limit: Limit = 100, offset: Offset = 0) -> dict:
        box = tuple(float(x) for x in bbox.split(",")) if bbox else None
        return answer(k, request, lambda: Q.events(k, type, actor, place, governorate, date_from, date_to, box,
                                                   limit, offset))

    @app.get("/api/search", summary="Arabic-aware sentence search")
    def search(request: Request, k: KB, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Limit = 20,
               mode: Literal["hybrid", "keyword", "semantic"] = "hybrid") -> dict:
        def run() -> dict:
            hits = k.search(q, limit, mode)
            return {"total": len(hits), "items": [h.as_dict() for h in hits]}
        return answer(k, request, run)

    @app.get("/api/stats", summary="knowledge base summary")
    def stats(request: Request, k: KB) -> dict:
        return answer(k, request, k.stats)

    @app.get("/api/export/{fmt}", summary="export the knowledge base", response_class=PlainTextResponse)
    def export_kb(k: KB, fmt: Literal["acled-csv", "jsonl", "entities-csv", "quotes-csv", "geojson", "graphml"]
                  ) -> PlainTextResponse:
        buf = io.StringIO()
        export(k.records(), fmt, buf)
        media = {"geojson": "application/geo+json", "graphml": "application/xml", "jsonl": "application/x-ndjson"}
        return PlainTextResponse(buf.getvalue(), media_type=media.get(fmt, "text/csv"))

    @app.post("/api/documents", summary="ingest one article (needs the token)", dependencies=[Depends(writer)])
    def ingest(k: KB, body: IngestBody) -> dict:
        from rasid import Pipeline
        from rasid.ingest import RawArticle, prepare

        text, fmt = (body.text, "text") if body.text else (body.html, "html")
        if not text or not text.strip():
            raise InputError("body needs a non-empty 'text' or 'html'")
        import hashlib
        did = body.id or hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        doc = Pipeline()(prepare(RawArticle(id=did, text=text, fmt=fmt, url=body.url, title=body.title,
                                            published=body.published, outlet=body.outlet)))
        return {"id": doc.id, "status": k.store(doc).status}

    @app.post("/api/entities/merge", summary="merge two entity identities (needs the token)",
              dependencies=[Depends(writer)])
    def merge(k: KB, body: MergeBody) -> dict:
        return {"merged": k.merge_entities(body.keep, body.merge)}

    @app.post("/api/entities/split", summary="split an identity: some articles' mentions get their own "
              "(needs the token)", dependencies=[Depends(writer)])
    def split(k: KB, body: SplitBody) -> dict:
        return {"new_kb_id": k.split_entity(body.kb_id, body.doc_ids)}

    static = resources.files("rasid") / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse((static / "index.html").read_text(encoding="utf-8"))

    return app


def app_from_env() -> FastAPI:
    """The app of one ``rasid serve --workers N`` process: knowledge base and token from
    ``$RASID_DB`` and ``$RASID_TOKEN``."""
    return create_app(os.environ.get("RASID_DB"), os.environ.get("RASID_TOKEN") or None,
                      warm=int(os.environ.get("RASID_API_WARM", "50")))
