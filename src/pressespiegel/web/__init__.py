"""The web app and REST API over a store (``pressespiegel serve``): FastAPI, Jinja2 pages, SVG charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..config import Settings


def create_app(db: str, config: Settings | None = None, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The FastAPI application over the store at ``db`` (see ``web.app.create_app``)."""
    from .app import create_app as _create

    return _create(db, config, allowed_hosts=allowed_hosts)


__all__ = ["create_app"]
