"""The web app: ``create_app(db)`` gives a FastAPI application with the HTML pages, the REST API (``/api``), its
OpenAPI description (``/openapi.json``) and offline interactive docs (``/docs``). ``pressespiegel serve`` runs it with
uvicorn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..config import Settings
from ..store import open_store
from ..store.read import Reader, read_engine
from . import api, pages
from .security import SecurityHeaders
from .upload import MAX_UPLOAD_BYTES, UploadResult, store_upload

STATIC = Path(__file__).parent / "static"


class BodyLimit:
    """ASGI middleware: a request body must declare its length and stay under ``MAX_UPLOAD_BYTES`` (checked before
    anything is read), so no upload can fill the disk or the memory."""

    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOAD_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            length = dict(scope["headers"]).get(b"content-length")
            status = 411 if length is None or not length.isdigit() else 413 if int(length) > self.limit else 0
            if status:
                message = "Länge fehlt" if status == 411 else f"zu groß (höchstens {self.limit // 2**20} MB)"
                await JSONResponse({"detail": message}, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(db: str, config: Settings | None = None, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app over the store at ``db`` (an SQLite file or a database URL). Pages and API only read; uploads
    (``POST /upload``, ``POST /api/documents``) need ``config.web.token``. ``allowed_hosts``: the Host headers to
    answer (``serve`` on a loopback address passes the loopback names, against DNS rebinding)."""
    settings = config or Settings()
    store = open_store(db)  # creates or migrates the schema, as every command does

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.reader.close()
        store.close()

    app = FastAPI(title="pressespiegel", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  openapi_url="/openapi.json",
                  description="Read-only JSON over a pressespiegel store: articles, stories, entities, quotes, "
                              "full-text search. Lists are paginated with `limit` (at most 100) and `offset`.")
    app.state.db = db
    app.state.store = store
    app.state.reader = Reader(read_engine(store.engine))
    app.state.settings = settings
    app.state.templates = pages.templates()
    app.include_router(api.router)
    app.include_router(pages.router)
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/vendor/swagger-ui", StaticFiles(directory=str(swagger_ui_path)), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimit)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return pages.error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": _plain(exc.errors())}, status_code=422)
        where = ", ".join(".".join(str(p) for p in e.get("loc", [])[1:]) or "?" for e in exc.errors())
        return pages.error_page(request, 400, f"Ungültige Angabe: {where}")

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _plain(errors: list) -> list:
    """Validation errors as JSON-safe values (the offending input may be bytes or an exception)."""
    return [{k: (v if isinstance(v, str | int | float | list | type(None)) else str(v)) for k, v in e.items()
             if k != "ctx"} for e in errors]


async def receive_upload(request: Request, file: UploadFile, published: str | None) -> UploadResult:
    """Read an uploaded file (within the size limit) and store it through the pipeline, off the event loop."""
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, f"file too large (at most {MAX_UPLOAD_BYTES // 2**20} MB)")
    if not content.strip():
        raise HTTPException(400, "the file is empty")
    state = request.app.state
    result = await asyncio.to_thread(store_upload, state.store, state.db, state.settings, file.filename, content,
                                     published)
    state.reader.forget()
    return result


def docs_html() -> HTMLResponse:
    """Swagger UI from the swagger-ui-bundle package (no CDN), started by a script file (no inline script)."""
    return HTMLResponse("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>pressespiegel API</title>
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head>
<body><div id="swagger-ui"></div>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>""")
