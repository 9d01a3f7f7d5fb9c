"""Documents uploaded through the web app: kept as files beside the store, then run through the pipeline."""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

from ..config import Settings
from ..model import Document, Rejection
from ..pipeline import run
from ..store import Store

MAX_UPLOAD_BYTES = 32 * 1024 * 1024
_LOCK = threading.Lock()  # one upload at a time: the pipeline regroups the whole store after storing


@dataclass
class UploadResult:
    file: str
    stored: list[int] = field(default_factory=list)  # ids of the new articles
    skipped: int = 0
    rejected: list[str] = field(default_factory=list)  # one-line reasons
    stories: int = 0


def safe_name(name: str | None) -> str:
    """A file name for the upload that cannot leave its folder: the last path part, word characters, dots, dashes."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = re.sub(r"[^\w.-]+", "_", base).strip("._")[:100]
    return base or "upload.txt"


def upload_dir(db: str) -> Path:
    """Uploads are kept in ``uploads/`` beside an SQLite file (so an article's source stays readable), else in a
    temporary folder."""
    if "://" not in db:
        return Path(db).resolve().parent / "uploads"
    return Path(tempfile.gettempdir()) / "pressespiegel-uploads"


def store_upload(store: Store, db: str, settings: Settings, name: str | None, data: bytes,
                 published: str | None = None) -> UploadResult:
    """Save the uploaded bytes under a safe name and run the pipeline on them (ingest, analyse, store, regroup)."""
    # one folder per upload, the file under its own (safe) name: a date in the name ("…_2026-11-03_…") still counts
    folder = upload_dir(db) / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(name)
    path.write_bytes(data)
    result = UploadResult(file=f"{folder.name}/{path.name}")

    def on_event(kind: str, item: object) -> None:
        if kind == "stored" and isinstance(item, Document) and item.id is not None:
            result.stored.append(item.id)
        elif kind == "rejected" and isinstance(item, Rejection):
            result.rejected.append(f"{PurePath(item.source).name}: {item.reason}")

    with _LOCK:
        summary = run([str(path)], store, settings.with_overrides(published=published), on_event=on_event)
    result.skipped, result.stories = summary.skipped, summary.stories
    if not result.stored:  # nothing new came of it: keep no file
        path.unlink(missing_ok=True)
        folder.rmdir()
    return result
