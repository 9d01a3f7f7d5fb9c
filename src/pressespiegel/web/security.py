"""What keeps the web app safe to open on hostile articles: response headers, the write token, CSRF.

- Every response carries a Content-Security-Policy that allows scripts and styles from the app itself only (no
  inline script, no inline style, nothing from elsewhere), forbids framing, and keeps forms on the app.
- Writes (document upload) need the ``[web] token`` of the settings; without one configured the app is read-only.
- The HTML upload form also carries a CSRF token (double submit: a random cookie that only this site can read,
  repeated in a hidden field), and a cross-site ``Origin`` is refused.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
CSRF_COOKIE = "pressespiegel_csrf"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


class SecurityHeaders:
    """ASGI middleware: the headers above on every response (a handler may set its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in HEADERS.items():
                    if key not in headers:
                        headers[key] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def token_ok(configured: str | None, given: str | None) -> bool:
    """Whether a request carries the configured write token (constant-time comparison); False when none is set."""
    if not configured or not given:
        return False
    return hmac.compare_digest(configured.encode("utf-8"), given.strip().encode("utf-8"))


def request_token(request: Request) -> str | None:
    """The token of an API request: ``Authorization: Bearer …`` or ``X-Pressespiegel-Token``."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-pressespiegel-token")


def csrf_token(request: Request) -> tuple[str, bool]:
    """The CSRF token of this browser (from its cookie) or a new one; True when the cookie must be set."""
    current = request.cookies.get(CSRF_COOKIE)
    if current and 20 <= len(current) <= 100:
        return current, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Any, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


def csrf_ok(request: Request, form_value: str | None) -> bool:
    """The form's hidden token matches the cookie, and the request does not come from another site."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not form_value or not hmac.compare_digest(cookie.encode(), form_value.encode()):
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            return False
    return origin != "null"
