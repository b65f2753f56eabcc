"""Over HTTP, every scheduling rule refuses a new booking and a reschedule with 409, the rule and the next slot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from api.app import create_app
from labsys.companies.models import User
from labsys.db import Database
from labsys.settings import Settings, load_settings
from tests.api.conftest import Client
from tests.factories import PASSWORD, Lab, lab_start

pytestmark = pytest.mark.integration

Headers = dict[str, str]


def _start(days: int, hour: int = 10) -> datetime:
    return lab_start(datetime.now(UTC) + timedelta(days=days), at=time(hour, 0))


def _next_saturday() -> datetime:
    day = _start(3)
    return day + timedelta(days=(5 - day.weekday()) % 7 or 7)


class Http:
    """A client on an app with the case's settings, and sign-in for the lab's people."""

    def __init__(self, client: Client, lab: Lab) -> None:
        self.client, self.lab = client, lab
        self._tokens: dict[str, Headers] = {}

    def login(self, user: User) -> Headers:
        if user.email not in self._tokens:
            response = self.client.post("/api/auth/token", json={"email": user.email, "password": PASSWORD})
            self._tokens[user.email] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self._tokens[user.email]

    def book(self, user: User, start: datetime) -> dict[str, object]:
        body = {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": start.isoformat()}
        response = self.client.post("/api/bookings", json=body, headers=self.login(user))
        return {**response.json(), "http_status": response.status_code}


def _smu_maintenance(http: Http) -> None:
    change = {"status": "maintenance", "reason": "source drifting"}
    response = http.client.post("/api/instruments/SMU-01/status", json=change, headers=http.login(http.lab.admin))
    assert response.status_code == 201, response.text


def _calibration_lapses_before(start: datetime) -> Callable[[Http], None]:
    def lapse(http: Http) -> None:
        today = datetime.now(UTC).date()
        record = {
            "calibrated_on": today.isoformat(),
            "calibration_due": (start.date() - timedelta(days=1)).isoformat(),
            "certificate": "KOLAS-C-SHORT",
        }
        headers = http.login(http.lab.engineer)
        response = http.client.post("/api/instruments/SMU-01/calibrations", json=record, headers=headers)
        assert response.status_code == 201, response.text

    return lapse


def _engineer_loses_smu(http: Http) -> None:
    path = f"/api/users/{http.lab.engineer.id}/qualifications"
    response = http.client.put(path, json={"qualifications": ["dmm"]}, headers=http.login(http.lab.admin))
    assert response.status_code == 200, response.text


def _booked_by(start: datetime, *, other: bool) -> Callable[[Http], None]:
    def prepare(http: Http) -> None:
        user = http.lab.other_customer if other else http.lab.customer
        assert http.book(user, start)["http_status"] == 201

    return prepare


@dataclass(frozen=True)
class Case:
    rule: str
    bad_start: datetime
    prepare: Callable[[Http], None] = lambda _http: None
    good_start: datetime = field(default_factory=lambda: _start(3, 16))
    settings: dict[str, object] = field(default_factory=dict)


_CALIBRATION_START = _start(5)
CASES = {
    "closed_day": Case("closed_day", _next_saturday()),
    "opening_hours": Case("opening_hours", _start(4, 17) + timedelta(minutes=30)),
    "minimum_notice": Case(
        "minimum_notice", _start(3), good_start=_start(12, 16), settings={"booking_min_notice_hours": 240}
    ),
    "maximum_advance": Case("maximum_advance", _start(14), settings={"booking_max_advance_days": 9}),
    "weekly_quota": Case(
        "weekly_quota",
        _start(3, 14),
        _booked_by(_start(3), other=False),
        good_start=_start(17, 16),
        settings={"booking_weekly_quota": 1},
    ),
    "instrument_in_service": Case("instrument_in_service", _start(5), _smu_maintenance),
    "calibration": Case("calibration", _CALIBRATION_START, _calibration_lapses_before(_CALIBRATION_START)),
    "engineer_qualification": Case("engineer_qualification", _start(5), _engineer_loses_smu),
    "slot_taken": Case("slot_taken", _start(5), _booked_by(_start(5), other=True)),
}


@pytest.fixture(params=CASES.values(), ids=CASES.keys())
def case(request: pytest.FixtureRequest) -> Case:
    value: Case = request.param
    return value


@pytest.fixture
def http(case: Case, settings: Settings, engine: Engine, lab: Lab) -> Iterator[Http]:
    overridden = load_settings(data_dir=settings.data_dir, database_url=settings.database_url, **case.settings)
    with TestClient(create_app(overridden, db=Database(engine))) as client:
        yield Http(client, lab)


def _assert_refused(response: dict[str, object], case: Case) -> None:
    assert response["http_status"] == 409, response
    extra = response["extra"]
    assert isinstance(extra, dict)
    assert extra["rule"] == case.rule
    assert "next_slot" in extra
    assert str(response["detail"]).startswith(case.rule)


def test_a_new_booking_breaking_the_rule_is_refused_with_409_naming_it(http: Http, case: Case) -> None:
    case.prepare(http)
    _assert_refused(http.book(http.lab.customer, case.bad_start), case)


def test_a_reschedule_breaking_the_rule_is_refused_with_409_naming_it(http: Http, case: Case) -> None:
    booking = http.book(http.lab.customer, case.good_start)
    assert booking["http_status"] == 201, booking
    case.prepare(http)
    response = http.client.post(
        f"/api/bookings/{booking['id']}/reschedule",
        json={"start": case.bad_start.isoformat()},
        headers=http.login(http.lab.customer),
    )
    _assert_refused({**response.json(), "http_status": response.status_code}, case)
    after = http.client.get(f"/api/bookings/{booking['id']}", headers=http.login(http.lab.customer)).json()
    assert after["starts_at"] == booking["starts_at"]
