"""URL helpers shared by the readers and the metadata extraction."""

from __future__ import annotations

from urllib.parse import urlsplit


def domain_of(url: str | None) -> str | None:
    """`https://www.taz.de/!123/` → `taz.de`; None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None
