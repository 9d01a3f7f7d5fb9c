"""Explicit configuration: defaults here, overridden by a TOML file (`--config`) and then by CLI flags."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Input limits: hostile or accidental input is rejected with a reason instead of exhausting the machine."""

    max_document_bytes: int = 8 * MB  # one text or HTML document (an article is rarely above 1 MB)
    max_container_bytes: int = 256 * MB  # a feed or JSON Lines file, read item by item
    max_line_bytes: int = 8 * MB  # one JSON Lines record
    max_decompressed_bytes: int = 256 * MB  # a .gz file, decompressed
    max_items_per_container: int = 1_000_000


@dataclass(frozen=True)
class Web:
    """`pressespiegel serve`: the web app is read-only unless a token is set; uploads must carry it."""

    token: str | None = None


MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class Settings:
    limits: Limits = Limits()
    published: str | None = None  # reference date when a document carries none
    clean: bool = False  # input is already clean article text
    kb: str | None = None  # a knowledge base (JSON Lines: id, label, aliases, type, description) to link entities to
    watchlists: str | None = None  # the watchlists file of the digest (default: watchlists.toml beside the store)
    web: Web = Web()  # [web] token: the secret that write requests of `pressespiegel serve` must carry

    def with_overrides(self, **kwargs: Any) -> Settings:
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})


def load_settings(path: Path | None) -> Settings:
    """Read `[limits]`, `[linking] kb` and `[digest] watchlists` from a TOML file; unknown keys are an error so
    typos do not pass silently. Relative paths (knowledge base, watchlists) are taken from the settings file's folder."""
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    known = {f.name for f in fields(Limits)}
    raw_limits = data.get("limits", {})
    unknown = set(raw_limits) - known
    if unknown:
        raise ValueError(f"unknown [limits] keys in {path}: {', '.join(sorted(unknown))}")
    bad = [k for k, v in raw_limits.items() if not isinstance(v, int) or isinstance(v, bool) or v <= 0]
    if bad:
        raise ValueError(f"[limits] values must be positive whole numbers of bytes or items: {', '.join(bad)}")
    linking = data.get("linking", {})
    if set(linking) - {"kb"}:
        raise ValueError(f"unknown [linking] keys in {path}: {', '.join(sorted(set(linking) - {'kb'}))}")
    kb = linking.get("kb")
    if kb is not None and not isinstance(kb, str):
        raise ValueError(f"[linking] kb must be a path to a JSON Lines file in {path}")
    digest = data.get("digest", {})
    if not isinstance(digest, dict):
        raise ValueError(f"[digest] must be a table in {path}")
    if set(digest) - {"watchlists"}:
        raise ValueError(f"unknown [digest] keys in {path}: {', '.join(sorted(set(digest) - {'watchlists'}))}")
    watchlists = digest.get("watchlists")
    if watchlists is not None and (not isinstance(watchlists, str) or not watchlists.strip()):
        raise ValueError(f"[digest] watchlists must be a path to a TOML file in {path}")
    return Settings(limits=Limits(**raw_limits), kb=str(path.parent / kb) if kb else None,
                    watchlists=str(path.parent / watchlists) if watchlists else None, web=_web(data, path))


def _web(data: dict, path: Path) -> Web:
    """`[web] token = "…"`: without it the web app is read-only; with it, uploads must carry it."""
    web = data.get("web", {})
    if not isinstance(web, dict):
        raise ValueError(f"[web] must be a table in {path}")
    if set(web) - {"token"}:
        raise ValueError(f"unknown [web] keys in {path}: {', '.join(sorted(set(web) - {'token'}))}")
    token = web.get("token")
    if token is not None and (not isinstance(token, str) or len(token.strip()) < MIN_TOKEN_CHARS):
        raise ValueError(f"[web] token must be a string of at least {MIN_TOKEN_CHARS} characters in {path}")
    return Web(token=token.strip() if token else None)
