"""The review web app (Starlette): corpus view, report view, corrections; a JSON twin for every page.

Routes
    GET  /                       corpus (HTML)          GET /reports.json      the same as JSON
    GET  /report/<name>          report (HTML)          GET /report/<name>.json
    POST /report/<name>/corrections   JSON {"corrections": [{op, path, new, expect?}], "reviewer"?}
    GET  /next?after=<name>&...  redirect to the next unreviewed report in the corpus order
Every error, HTML or JSON, has one shape: code + one-line message ({"error": {"code", "message"}}).
POSTs need the per-session CSRF token (cookie + X-CSRF-Token header or csrf_token form field).
"""
from __future__ import annotations

import hmac
import json
import secrets
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .store import SORTS, Corpus, ReviewError, select, valid_name
from .views import report_view

HERE = Path(__file__).parent
CSRF_COOKIE = "reportnlp_csrf"
CSRF_HEADER = "x-csrf-token"
MAX_BODY = 1_000_000


def _wants_json(request: Request) -> bool:
    if request.url.path.endswith(".json") or request.method != "GET":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _list_args(request: Request) -> dict:
    qp = request.query_params
    desc = qp.get("desc")
    return {
        "sort": qp.get("sort", "failed") if qp.get("sort", "failed") in SORTS else "failed",
        "desc": None if desc in (None, "") else desc in ("1", "true", "yes"),
        "status": qp.get("status", "")[:20],
        "template": qp.get("template", "")[:20],
        "q": qp.get("q", "")[:200],
    }


def _list_query(args: dict) -> str:
    """The corpus view's query string, carried to report pages so next/prev follow the reviewer's order."""
    keep = {k: ("1" if v is True else "0" if v is False else v) for k, v in args.items() if v not in (None, "")}
    if keep.get("sort") == "failed":
        keep.pop("sort")
    return urlencode(keep)


def create_app(out_dir, reviewer: Optional[str] = None, allowed_hosts: Optional[list[str]] = None) -> Starlette:
    """The ASGI app over a batch output folder. Raises store.OutError if OUT is missing or malformed."""
    corpus = Corpus(out_dir)
    default_reviewer = reviewer or _default_reviewer()
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html
    templates.env.globals["list_query"] = _list_query
    templates.env.filters["num"] = lambda v: "—" if v is None else (
        str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    templates.env.filters["dumps"] = lambda v: json.dumps(v, ensure_ascii=False)  # autoescaped where shown

    def token_of(request: Request) -> str:
        tok = request.cookies.get(CSRF_COOKIE, "")
        if len(tok) == 43 and tok.replace("-", "").replace("_", "").isalnum():
            return tok
        return getattr(request.state, "new_csrf", None) or _new_token(request)

    def _new_token(request: Request) -> str:
        request.state.new_csrf = secrets.token_urlsafe(32)
        return request.state.new_csrf

    def html(request: Request, name: str, ctx: dict, status: int = 200) -> Response:
        tok = token_of(request)
        ctx = {**ctx, "csrf_token": tok, "reviewer": default_reviewer, "out": str(corpus.root)}
        resp = templates.TemplateResponse(request, name, ctx, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != tok:
            resp.set_cookie(CSRF_COOKIE, tok, httponly=True, samesite="strict", path="/")
        resp.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        return resp

    def error(request: Request, code: str, message: str, status: int) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        return html(request, "error.html", {"code": code, "message": message, "status": status}, status)

    def check_csrf(request: Request, form_token: Optional[str]) -> None:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        sent = request.headers.get(CSRF_HEADER) or form_token or ""
        if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
            raise ReviewError("csrf", "missing or wrong CSRF token: reload the page and try again", 403)
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
            raise ReviewError("csrf", f"cross-origin request from {origin} refused", 403)

    # --- pages (plain functions: Starlette runs them in its thread pool, off the event loop) ---

    def corpus_page(request: Request) -> Response:
        args = _list_args(request)
        allrows = corpus.summaries()
        rows = select(allrows, **args)
        counts = {s: sum(1 for r in allrows if r["status"] == s) for s in ("unreviewed", "in_progress", "reviewed")}
        errors = corpus.errors()
        if request.url.path.endswith(".json"):
            return JSONResponse({"out": str(corpus.root), "total": len(allrows), "shown": len(rows),
                                 "counts": counts, "query": args, "reports": rows, "errors": errors})
        templates_seen = sorted({str(r["template"]) for r in allrows})
        return html(request, "corpus.html", {"rows": rows, "args": args, "total": len(allrows), "counts": counts,
                                             "errors": errors, "templates_seen": templates_seen,
                                             "sorts": SORTS, "qs": _list_query(args)})

    def report_page(request: Request) -> Response:
        name = request.path_params["name"]
        as_json = name.endswith(".json")
        if as_json and valid_name(name) and (corpus.json_dir / f"{name}.json").is_file() \
                and not (corpus.json_dir / f"{name[:-5]}.json").is_file():
            as_json = False  # a report whose own name ends in .json (batch names like "a.json" from a.json)
        if as_json:
            name = name[:-5]
        report, info, history = corpus.reviewed(name)
        if as_json:
            return JSONResponse({"name": name, "review": info, "report": report, "corrections": history})
        args = _list_args(request)
        order = [r["name"] for r in select(corpus.summaries(), **args)]
        pos = order.index(name) if name in order else -1
        nav = {
            "prev": order[pos - 1] if pos > 0 else None,
            "next": order[pos + 1] if 0 <= pos < len(order) - 1 else None,
            "pos": pos + 1, "count": len(order),
        }
        view = report_view(report)
        corrected: dict[str, dict] = {}
        for e in history:
            if e.get("op") == "set":
                corrected.setdefault(e.get("path", ""), {"first_old": e.get("old")})
        return html(request, "report.html", {"name": name, "report": report, "info": info, "history": history,
                                             "v": view, "nav": nav, "qs": _list_query(args),
                                             "corrected": corrected})

    def next_unreviewed(request: Request) -> Response:
        args = _list_args(request)
        rows = select(corpus.summaries(), **args)
        after = request.query_params.get("after", "")
        names = [r["name"] for r in rows]
        start = names.index(after) + 1 if after in names else 0
        qs = _list_query(args)
        for r in rows[start:] + rows[:start]:
            if r["status"] != "reviewed" and r["name"] != after:
                url = _report_url(r["name"]) + (f"?{qs}" if qs else "")
                return RedirectResponse(url, status_code=303)
        return RedirectResponse("/" + (f"?{qs}&" if qs else "?") + "done=1", status_code=303)

    async def post_corrections(request: Request) -> Response:
        name = request.path_params["name"]
        corpus.json_path(name)  # 404 before anything else
        length = request.headers.get("content-length") or "0"
        if not length.isdigit() or int(length) > MAX_BODY:
            raise ReviewError("too_large", "request body too large (or a bad Content-Length)", 413)
        ctype = request.headers.get("content-type", "")
        form_token = None
        if ctype.startswith("application/json"):
            body = await request.body()
            if len(body) > MAX_BODY:
                raise ReviewError("too_large", "request body too large", 413)
            try:
                data = json.loads(body)
            except ValueError:
                raise ReviewError("bad_request", "body is not JSON", 400) from None
        elif ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            form_token = form.get("csrf_token")
            # a plain HTML form (no JS): one correction per submit
            data = {"corrections": [{"op": form.get("op", "set"), "path": form.get("path", ""), "new": form.get("new")}],
                    "reviewer": form.get("reviewer")}
        else:
            raise ReviewError("bad_request", "send JSON (application/json) or a form", 415)
        check_csrf(request, form_token if isinstance(form_token, str) else None)
        if not isinstance(data, dict):
            raise ReviewError("bad_request", "body must be a JSON object", 400)
        who = data.get("reviewer")
        who = " ".join(who.split())[:64] if isinstance(who, str) and who.strip() else default_reviewer
        added, info, report = await _in_thread(corpus.add_corrections, name, data.get("corrections"), who)
        if not ctype.startswith("application/json"):
            return RedirectResponse(_report_url(name), status_code=303)
        checks = [c for c in report.get("checks") or [] if isinstance(c, dict)]
        return JSONResponse({"ok": True, "added": added, "review": info,
                             "failed": [c for c in checks if c.get("ok") is False],
                             "passed": sum(1 for c in checks if c.get("ok") is True),
                             "outlets": report.get("media_outlets") or []})

    # --- errors -------------------------------------------------------------------------

    async def on_review_error(request: Request, exc: ReviewError) -> Response:
        return error(request, exc.code, exc.message, exc.status)

    async def on_http(request: Request, exc: HTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}.get(exc.status_code, "http_error")
        msg = {404: f"nothing at {request.url.path[:200]}", 405: f"{request.method} not allowed here"}.get(
            exc.status_code, str(exc.detail))
        return error(request, code, msg, exc.status_code)

    async def on_crash(request: Request, exc: Exception) -> Response:
        return error(request, "internal", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300], 500)

    middleware = [Middleware(_Guard, allowed_hosts=allowed_hosts)]
    routes = [
        Route("/", corpus_page, name="corpus"),
        Route("/reports", corpus_page),
        Route("/reports.json", corpus_page, name="corpus_json"),
        Route("/next", next_unreviewed),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/report/{name}", report_page, name="report"),
        Route("/report/{name}/corrections", post_corrections, methods=["POST"], name="corrections"),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ReviewError: on_review_error, HTTPException: on_http, Exception: on_crash},
    )
    app.state.corpus = corpus
    app.state.reviewer = default_reviewer
    return app


class _Guard:
    """Refuse a Host header we do not serve (DNS rebinding, when bound to loopback) in the one error
    shape, and send no-sniff / no-referrer headers with every response, JSON and static included."""

    def __init__(self, app, allowed_hosts: Optional[list[str]] = None):
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _SECURITY_HEADERS]
                message = {**message, "headers": headers + list(_SECURITY_HEADERS.items())}
            await send(message)

        if self.allowed is not None:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.allowed:
                resp = JSONResponse({"error": {"code": "bad_host", "message": f"host {host[:80]!r} not served here"}},
                                    status_code=400)
                return await resp(scope, receive, send_with_headers)

        await self.app(scope, receive, send_with_headers)


_SECURITY_HEADERS = {b"x-content-type-options": b"nosniff", b"referrer-policy": b"no-referrer",
                     b"x-frame-options": b"DENY"}


def _report_url(name: str) -> str:
    return "/report/" + quote(name, safe="")


async def _in_thread(fn, *args):
    # the corrections write blocks on a file lock: keep it off the event loop
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


def _default_reviewer() -> str:
    import getpass

    try:
        return getpass.getuser() or "reviewer"
    except Exception:
        return "reviewer"
