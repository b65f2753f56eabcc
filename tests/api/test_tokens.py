"""A token's signature is checked once per process; its expiry on every request."""

from __future__ import annotations

from collections.abc import Callable

import jwt
import pytest
from sqlmodel import Session

from api import tokens
from labsys.companies.models import Role, User
from tests.api.conftest import Client
from tests.factories import make_user

pytestmark = pytest.mark.integration


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def test_a_token_accepted_before_is_refused_once_it_has_expired(
    client: Client, session: Session, login: Callable[[User], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = login(make_user(session, Role.ENGINEER))
    assert client.get("/api/users/me", headers=headers).status_code == 200
    expires = jwt.decode(_token(headers), options={"verify_signature": False})["exp"]
    monkeypatch.setattr(tokens.time, "time", lambda: expires + 1.0)
    response = client.get("/api/users/me", headers=headers)
    assert response.status_code == 401


def test_a_token_changed_after_it_was_accepted_is_refused(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    headers = login(make_user(session, Role.ENGINEER))
    assert client.get("/api/users/me", headers=headers).status_code == 200
    header, claims, signature = _token(headers).split(".")
    forged = jwt.encode(
        {**jwt.decode(_token(headers), options={"verify_signature": False}), "role": "admin"}, "another key " * 4
    )
    resigned = f"{header}.{forged.split('.')[1]}.{signature}"  # the accepted signature on other claims
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {resigned}"}).status_code == 401
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert claims != forged.split(".")[1]


def test_the_same_token_is_read_from_memory_until_it_expires(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    headers = login(make_user(session, Role.ENGINEER))
    before = tokens._signed_claims.cache_info()
    for _ in range(3):
        assert client.get("/api/users/me", headers=headers).status_code == 200
    after = tokens._signed_claims.cache_info()
    checked_in_full = after.misses - before.misses  # none if an identical token was checked before
    assert checked_in_full <= 1
    assert after.hits - before.hits == 3 - checked_in_full
