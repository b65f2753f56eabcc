"""An app on a fresh database, and clients signed in as each role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine

from api.app import create_app
from labsys.companies.models import User
from labsys.settings import Settings
from tests.factories import PASSWORD

Client = TestClient[Litestar]


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Litestar:
    """The lab's app on the test's database."""
    return create_app(settings, engine=engine)


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
