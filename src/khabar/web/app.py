"""``khabar serve``: the knowledge base as a local web app.

>>> app = create_app("khabar.db")                    # doctest: +SKIP
>>> serve("khabar.db", host="127.0.0.1", port=8000)  # doctest: +SKIP

HTML pages (:mod:`khabar.web.pages`), a read API under ``/api/`` (:mod:`khabar.web.api`)
with its OpenAPI schema at ``/openapi.json`` and a plain list of endpoints at ``/api/docs``,
and the app's own stylesheet and script under ``/static/``. Nothing is fetched from
anywhere else. :mod:`khabar.web.security` guards every request.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar.errors import KhabarError
from khabar.store import Store
from khabar.web import api, correct, exports, pages, people
from khabar.web.security import SecurityMiddleware, allowed_hosts_for, bind_problem

__all__ = ["create_app", "serve", "bind_problem"]

_HERE = Path(__file__).resolve().parent


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (path.startswith("/api/") and path != "/api/docs") or path == "/openapi.json"


def create_app(db_path: str | os.PathLike[str], *, token: str | None = None, host: str = "127.0.0.1",
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app over the knowledge base at ``db_path``.

    ``token``: when set, every request must carry it (see :mod:`khabar.web.security`); a
    ``host`` that is not loopback requires one. ``allowed_hosts`` adds names the ``Host``
    header may carry besides 127.0.0.1, localhost and ``host`` (also from the
    comma-separated ``KHABAR_ALLOWED_HOSTS``).
    """
    problem = bind_problem(host, token)
    if problem:
        raise ValueError(problem)
    db = Path(db_path)
    if str(db_path) != ":memory:" and not db.exists():
        raise KhabarError("E300", f"no knowledge base at {db_path}")
    Store(db_path).close()  # a folder, a corrupt file or another program's database: E309 now, not 500s later
    app = FastAPI(title="khabar", version="1", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="The read API of a khabar knowledge base: actors, ties with their evidence, "
                              "events, attributed judgments, documents, full-text search.")
    app.state.db_path = str(db)
    extra = list(allowed_hosts or []) + os.environ.get("KHABAR_ALLOWED_HOSTS", "").split(",")
    app.add_middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts_for(host, extra))
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(correct.router)  # the analyst's correction forms, under /correct/
    app.include_router(exports.router)  # lists and the network as files: /export/FMT
    app.include_router(people.router)  # persons: /people, /people/{person}, /api/people

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such page"
        return pages.render_error(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors: list[dict[str, Any]] = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")}
                                        for e in exc.errors()]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        text = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:]) or 'request'}: {e['msg']}" for e in errors)
        return pages.render_error(request, 400, text or "invalid request")

    @app.exception_handler(KhabarError)
    async def khabar_error(request: Request, exc: KhabarError) -> Response:
        status = 404 if exc.code in ("E301", "E304", "E306", "E307") else 400
        if exc.code == "E300":
            status = 503
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return pages.render_error(request, status, str(exc))

    return app


def serve(db_path: str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          workers: int = 1) -> None:
    """Run the app with uvicorn until interrupted (``khabar serve``).

    ``workers`` > 1 runs that many processes (pages are CPU-bound Python: threads share one
    core through the GIL, processes do not); each builds its app from the environment."""
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    print(f"khabar: serving {db_path} at http://{shown}:{port}/"
          + (f" with {workers} worker processes" if workers > 1 else "")
          + ("  (token required: open /?token=TOKEN once)" if token else ""), flush=True)
    options = {"host": host, "port": port, "log_level": "info", "proxy_headers": False, "server_header": False,
               "timeout_graceful_shutdown": 5}
    if workers <= 1:
        uvicorn.run(create_app(db_path, token=token, host=host), **options)
        return
    os.environ["KHABAR_SERVE_DB"] = str(db_path)
    os.environ["KHABAR_SERVE_HOST"] = host
    os.environ["KHABAR_SERVE_TOKEN"] = token or ""
    uvicorn.run("khabar.web.app:app_from_environment", factory=True, workers=workers, **options)


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``serve(workers > 1)``."""
    return create_app(os.environ["KHABAR_SERVE_DB"], token=os.environ.get("KHABAR_SERVE_TOKEN") or None,
                      host=os.environ.get("KHABAR_SERVE_HOST", "127.0.0.1"))
