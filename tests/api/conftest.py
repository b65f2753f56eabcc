"""An app on a fresh database, and clients signed in as each role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.app import create_app
from labsys.companies.models import User
from labsys.db import Database, create_lab_engine
from labsys.models import metadata
from labsys.settings import Settings, load_settings
from tests.api.records import CompanyRecords, make_company_records
from tests.api.servers import running_server
from tests.factories import PASSWORD, Lab, make_lab

Client = TestClient[Litestar]


@pytest.fixture
def app(settings: Settings, db: Database) -> Litestar:
    """The lab's app on the test's database."""
    return create_app(settings, db=db)


@pytest.fixture
def client(app: Litestar) -> Iterator[Client]:
    """An HTTP client that nobody has signed in to."""
    with TestClient(app) as client:
        yield client


@pytest.fixture
def login(client: Client) -> Callable[[User], dict[str, str]]:
    """Sign ``user`` in through the API and return the Authorization header."""

    def sign_in(user: User) -> dict[str, str]:
        response = client.post("/api/auth/token", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return sign_in


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def race_database(request: pytest.FixtureRequest) -> str:
    """The database a server races on."""
    database: str = request.param
    return database


@pytest.fixture
def race_engine(race_database: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The database the server races on: a SQLite file, or the test's PostgreSQL schema."""
    if race_database == "postgresql":
        pg_engine: Engine = request.getfixturevalue("engine")
        assert pg_engine.dialect.name == "postgresql"
        yield pg_engine
        return
    engine = create_lab_engine(f"sqlite:///{tmp_path / 'race.sqlite3'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def race_lab(race_engine: Engine) -> Lab:
    with Session(race_engine, expire_on_commit=False) as session:
        return make_lab(session)


@pytest.fixture
def base_url(race_engine: Engine, race_lab: Lab, tmp_path: Path) -> Iterator[str]:
    settings = load_settings(data_dir=tmp_path / "data", booking_weekly_quota=100)
    with running_server(create_app(settings, db=Database(race_engine))) as url:
        yield url


@pytest.fixture
def company_records(lab: Lab, session: Session, settings: Settings) -> CompanyRecords:
    """Beside the small lab, one more company's booking, sample, completed run (with its file) and issued
    certificate."""
    return make_company_records(session, settings)
