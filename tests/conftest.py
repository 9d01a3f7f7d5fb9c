from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def limits():
    from pressespiegel.config import Limits

    return Limits()


@pytest.fixture(scope="session")
def example_db(tmp_path_factory) -> Path:
    """The example corpus run once into a database, shared by the read-only tests."""
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store

    db = tmp_path_factory.mktemp("db") / "examples.db"
    with open_store(str(db)) as store:
        summary = run([str(EXAMPLES)], store, Settings())
    assert summary.rejected == 0, summary.rejections
    return db
