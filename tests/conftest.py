from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))


PG_ENV = "PRESSESPIEGEL_TEST_PG"  # a PostgreSQL URL where test databases may be created (.ci/run starts a server)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request, tmp_path):
    """A fresh, empty store location on each backend: an SQLite file, or a new PostgreSQL database on the server that
    PRESSESPIEGEL_TEST_PG names (dropped afterwards). Without that variable the PostgreSQL case is skipped."""
    if request.param == "sqlite":
        yield str(tmp_path / "t.db")
    else:
        with pg_database() as url:
            yield url


@contextmanager
def pg_database():
    """A new, empty PostgreSQL database for one test; its URL."""
    import uuid

    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from pressespiegel.store.sql import engine_for

    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://… naming a server where databases may be created "
                    "(.ci/run starts one)")
    name = f"pressespiegel_test_{uuid.uuid4().hex[:12]}"
    admin = engine_for(admin_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
