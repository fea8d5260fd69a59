"""What keeps ``khabar serve`` safe to run on an analyst's machine.

One ASGI middleware (:class:`SecurityMiddleware`) sits in front of every route and

* refuses a ``Host`` header that is not one of the allowed hosts (DNS rebinding: a page
  on another site that re-points its own name at 127.0.0.1 still sends its own name);
* when the server has a token, refuses (401) every request that carries neither
  ``Authorization: Bearer TOKEN`` nor the session cookie; visiting any page once with
  ``?token=TOKEN`` sets that cookie (HttpOnly, SameSite=Strict) and redirects to the same
  page without the token in its address;
* gives every visitor a CSRF value in a SameSite=Strict cookie, which each form repeats in
  a hidden field (:func:`require_csrf` compares them), and refuses (403) any unsafe request
  whose ``Origin`` (or, failing that, ``Referer``) is not this very origin;
* adds the security headers (:data:`SECURITY_HEADERS`, with a strict Content Security
  Policy: only the app's own script and stylesheet, no inline code) to every response,
  error pages included.

Tokens and CSRF values are compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import socket
from collections.abc import Iterable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from fastapi import HTTPException, Request

__all__ = [
    "CSP",
    "SECURITY_HEADERS",
    "SESSION_COOKIE",
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "SecurityMiddleware",
    "allowed_hosts_for",
    "bind_problem",
    "csrf_value",
    "has_control",
    "is_loopback",
    "require_csrf",
    "same_origin_location",
    "session_value",
    "token_problem",
]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on form
    # posts, and the same-origin check below would refuse the analyst's own forms
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

SESSION_COOKIE = "khabar_session"
CSRF_COOKIE = "khabar_csrf"
CSRF_FIELD = "csrf"
SCOPE_CSRF = "khabar.csrf"  # where the middleware leaves this request's CSRF value for the templates

_CSRF_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_WILDCARD = {"0.0.0.0", "::", ""}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) only ever means this machine."""
    host = host.strip().strip("[]").lower().rstrip(".")
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# A token is a password to the knowledge base: shorter ones are guessed, and one of blanks or
# control characters cannot be typed back reliably.
MIN_TOKEN = 16


def token_problem(token: str | None) -> str | None:
    """Why ``token`` is refused as a server token, or None (also None for no token)."""
    if token is None:
        return None
    if len(token) < MIN_TOKEN or token != token.strip() or not token.isprintable():
        return (f"a token must be at least {MIN_TOKEN} printable characters, with no blank at either end "
                "(make one with: python -c 'import secrets; print(secrets.token_urlsafe(24))')")
    return None


def bind_problem(host: str, token: str | None) -> str | None:
    """Why serving on ``host`` with ``token`` is refused, or None when it is fine.

    A loopback address needs nothing; any other (0.0.0.0 included) needs a token, since
    anyone on the network could otherwise read and change the knowledge base. A token, where
    given, must be long enough (``token_problem``)."""
    problem = token_problem(token)
    if problem:
        return problem
    if is_loopback(host) or token:
        return None
    return (f"serving on {host or '0.0.0.0'} makes the knowledge base reachable from the network, so a "
            "token is required: pass --token TOKEN or set KHABAR_TOKEN (or bind 127.0.0.1)")


# A path kept in a redirect: percent-encoded but for the characters a path may carry as they are,
# so that no backslash ("/\\host", read by browsers as "//host"), CR or LF reaches a Location header.
_PATH_SAFE = "/-._~!$&'()*+,;=:@"


def same_origin_location(path: str, query: str = "") -> str:
    """A redirect target that can only be a path of this server."""
    location = quote(path or "/", safe=_PATH_SAFE)
    if not location.startswith("/") or location.startswith("//"):
        location = "/"
    return location + (f"?{query}" if query else "")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a NUL or another control character (tab included: no query needs one)."""
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)


def allowed_hosts_for(host: str, extra: Iterable[str] = ()) -> set[str]:
    """The ``Host`` names this server answers to: loopback names, the bound host, ``extra``;
    on a wildcard bind (0.0.0.0, ::) also this machine's name and addresses."""
    allowed = {"127.0.0.1", "localhost", "::1"}
    host = host.strip().strip("[]").lower().rstrip(".")
    if host in _WILDCARD:
        try:
            name = socket.gethostname()
            allowed |= {name.lower(), socket.getfqdn().lower()}
            for info in socket.getaddrinfo(name, None):
                allowed.add(str(info[4][0]).lower())
        except OSError:
            pass
    else:
        allowed.add(host)
    allowed |= {h.strip().strip("[]").lower().rstrip(".") for h in extra if h.strip()}
    return allowed


def session_value(token: str) -> str:
    """The session cookie's value for ``token`` (derived, so the cookie does not hold the token)."""
    return hmac.new(token.encode("utf-8"), b"khabar-session/1", hashlib.sha256).hexdigest()


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def csrf_value(request: Request) -> str:
    """This request's CSRF value (the one the forms of the page being rendered must carry)."""
    return str(request.scope.get(SCOPE_CSRF) or "")


def require_csrf(request: Request, submitted: str | None) -> None:
    """403 unless the form's CSRF field equals the visitor's CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not _CSRF_SHAPE.match(cookie) or not submitted or not _same(submitted, cookie):
        raise HTTPException(status_code=403, detail="the form's CSRF check failed: reload the page and try again")


def _host_name(host_header: str) -> str:
    """The name or address of a ``Host`` header, without its port."""
    host = host_header.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else ""
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _is_page(path: str) -> bool:
    """Whether ``path`` is an HTML page (which may carry forms), not a static file or JSON."""
    return not (path.startswith("/static/") or path == "/openapi.json"
                or (path.startswith("/api/") and path != "/api/docs"))


def _cookie(name: str, value: str, secure: bool) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")


class SecurityMiddleware:
    """Host check, token check, CSRF cookie, same-origin check for unsafe methods, security headers."""

    def __init__(self, app: Any, *, token: str | None = None, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.token = token or None
        self.session = session_value(token) if token else None
        self.allowed_hosts = {h.lower() for h in allowed_hosts}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        extra: list[tuple[bytes, bytes]] = []
        started = False

        head = scope.get("method", "GET").upper() == "HEAD"
        if head:  # HEAD answers as GET does, without the body
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _ in message.get("headers", [])}
                out = list(message.get("headers", []))
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in have:
                        out.append((name.lower().encode(), value.encode()))
                if b"cache-control" not in have:
                    out.append((b"cache-control", b"no-store"))
                out += extra
                message = {**message, "headers": out}
            await send(message)

        async def reply(status: int, detail: str, more: dict[str, str] | None = None) -> None:
            path = scope.get("path", "")
            if path.startswith("/api") or path == "/openapi.json":
                body, kind = json.dumps({"detail": detail}).encode(), b"application/json"
            else:
                body, kind = f"{status}: {detail}\n".encode(), b"text/plain; charset=utf-8"
            hdrs = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
            hdrs += [(k.lower().encode(), v.encode()) for k, v in (more or {}).items()]
            await send_with_headers({"type": "http.response.start", "status": status, "headers": hdrs})
            await send_with_headers({"type": "http.response.body", "body": body})

        if _host_name(headers.get("host", "")) not in self.allowed_hosts:
            await reply(400, "this server does not answer to that host name (use 127.0.0.1 or localhost; "
                             "allow more names with KHABAR_ALLOWED_HOSTS)")
            return
        raw_query = scope.get("query_string", b"").decode("latin-1")
        if has_control(unquote(raw_query)) or has_control(scope.get("path", "")):
            await reply(400, "control characters (NUL, CR, LF ...) are not allowed in an address or a query")
            return
        cookies = self._cookies(headers.get("cookie", ""))
        secure = scope.get("scheme") == "https"
        method = scope.get("method", "GET").upper()

        if self.token:
            query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            offered = [v for k, v in query if k == "token"]
            auth = headers.get("authorization", "")
            bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None
            if offered and method in ("GET", "HEAD") and _same(offered[-1], self.token):
                rest = urlencode([(k, v) for k, v in query if k != "token"])
                location = same_origin_location(scope.get("path") or "/", rest)
                extra.append((b"set-cookie", _cookie(SESSION_COOKIE, self.session or "", secure).encode()))
                await reply(303, "signed in", {"location": location})
                return
            if not (_same(bearer, self.token) or _same(cookies.get(SESSION_COOKIE), self.session or "")):
                await reply(401, "this khabar server needs its token: open /?token=TOKEN once, "
                                 "or send the header 'Authorization: Bearer TOKEN'",
                            {"www-authenticate": 'Bearer realm="khabar"'})
                return

        csrf = cookies.get(CSRF_COOKIE, "")
        if not _CSRF_SHAPE.match(csrf):
            csrf = secrets.token_urlsafe(32)
            if _is_page(scope.get("path", "")):  # not on a stylesheet racing the page that set one
                extra.append((b"set-cookie", _cookie(CSRF_COOKIE, csrf, secure).encode()))
        scope[SCOPE_CSRF] = csrf

        if method in _UNSAFE and not self._same_origin(headers, scope):
            await reply(403, "cross-origin request refused (the Origin or Referer must be this server)")
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await reply(500, "internal error (see the server's log)")
            raise

    @staticmethod
    def _cookies(header: str) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except Exception:  # a malformed cookie header is as good as none
            return {}
        return {k: m.value for k, m in jar.items()}

    @staticmethod
    def _same_origin(headers: dict[str, str], scope: dict[str, Any]) -> bool:
        """Whether the request's Origin (else its Referer) is this server's own origin."""
        mine = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        origin = headers.get("origin")
        if origin is not None:
            return origin.strip().lower() == mine
        referer = headers.get("referer")
        if not referer:
            return False
        parts = urlsplit(referer.strip())
        return f"{parts.scheme}://{parts.netloc}".lower() == mine
