"""A request that writes holds the lab's write lock; one that reads, or signs in, never waits for it."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from labsys.companies.models import User
from labsys.db import Database
from tests.api.conftest import Client
from tests.factories import PASSWORD, Lab

pytestmark = pytest.mark.integration


def test_a_sign_in_and_a_list_of_bookings_complete_while_a_write_transaction_holds_the_lock(
    client: Client, db: Database, lab: Lab, login: Callable[[User], dict[str, str]]
) -> None:
    headers = login(lab.customer)
    with db.writing() as session:
        session.connection()  # the lab's write lock is held from here until the block ends
        began = time.monotonic()
        signed_in = client.post("/api/auth/token", json={"email": lab.engineer.email, "password": PASSWORD})
        listed = client.get("/api/bookings", headers=headers)
        available = client.get("/api/availability", params={"method": "DIODE-IV"}, headers=headers)
        waited = time.monotonic() - began
    assert (signed_in.status_code, listed.status_code, available.status_code) == (200, 200, 200)
    assert listed.json() == {"data": [], "count": 0}
    assert waited < 10  # a writer waits up to 30 s for the lock: these never asked for it
