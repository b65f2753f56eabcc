"""The lab's equipment over HTTP: usable today, calibrations and status changes (audited)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from labsys.audit import SYSTEM, verify_chain
from labsys.audit.models import AuditEvent
from labsys.companies.models import Role, User
from labsys.equipment.models import InstrumentCreate
from labsys.equipment.service import add_instrument
from labsys.timeutil import lab_today
from tests.api.conftest import Client
from tests.factories import make_user

pytestmark = pytest.mark.integration

TODAY = lab_today(ZoneInfo("Asia/Seoul"))

Login = Callable[[User], dict[str, str]]


def _instrument(tag: str, due: date | None) -> InstrumentCreate:
    return InstrumentCreate(
        asset_tag=tag,
        kind="dmm",
        manufacturer="Keysight Technologies",
        model="34410A",
        serial=f"MY{tag}",
        resource="TCPIP0::127.0.0.1::5025::SOCKET",
        driver="agilent34410a",
        station="station-1",
        calibrated_on=due - timedelta(days=365) if due else None,
        calibration_due=due,
        calibration_certificate="KOLAS-C-2026-001" if due else "",
    )


@pytest.fixture
def equipment(session: Session) -> None:
    today = TODAY
    add_instrument(session=session, instrument_in=_instrument("DMM-01", today + timedelta(days=200)), actor=SYSTEM)
    add_instrument(session=session, instrument_in=_instrument("DMM-02", today - timedelta(days=3)), actor=SYSTEM)
    add_instrument(session=session, instrument_in=_instrument("DMM-03", today + timedelta(days=10)), actor=SYSTEM)
    session.commit()


@pytest.mark.usefixtures("equipment")
def test_the_equipment_list_says_which_instrument_is_usable_today(
    client: Client, session: Session, login: Login
) -> None:
    response = client.get("/api/instruments", headers=login(make_user(session, Role.ENGINEER)))
    assert response.status_code == 200
    rows = {i["asset_tag"]: i for i in response.json()["data"]}
    assert (rows["DMM-01"]["calibration_state"], rows["DMM-01"]["usable_today"]) == ("valid", True)
    assert (rows["DMM-02"]["calibration_state"], rows["DMM-02"]["usable_today"]) == ("overdue", False)
    assert (rows["DMM-03"]["calibration_state"], rows["DMM-03"]["usable_today"]) == ("due_soon", True)


@pytest.mark.usefixtures("equipment")
def test_recording_a_calibration_makes_an_overdue_instrument_usable_and_is_audited(
    client: Client, session: Session, login: Login
) -> None:
    engineer = make_user(session, Role.ENGINEER)
    today = TODAY
    body = {
        "calibrated_on": today.isoformat(),
        "calibration_due": (today + timedelta(days=365)).isoformat(),
        "certificate": "KOLAS-C-2026-777",
    }
    response = client.post("/api/instruments/DMM-02/calibrations", json=body, headers=login(engineer))
    assert response.status_code == 201, response.text
    assert response.json()["usable_today"] is True
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "instrument.calibrated")).one()
    assert event.actor == engineer.email
    assert event.before is not None
    assert event.after is not None
    assert event.before["calibration_certificate"] == "KOLAS-C-2026-001"
    assert event.after["calibration_certificate"] == "KOLAS-C-2026-777"
    assert verify_chain(session)[1] is None


@pytest.mark.usefixtures("equipment")
def test_a_calibration_due_before_it_was_done_is_422(client: Client, session: Session, login: Login) -> None:
    body = {"calibrated_on": "2026-01-10", "calibration_due": "2026-01-01", "certificate": "X"}
    response = client.post(
        "/api/instruments/DMM-01/calibrations", json=body, headers=login(make_user(session, Role.ENGINEER))
    )
    assert response.status_code == 422
    assert "calibration_due" in response.json()["detail"]


@pytest.mark.usefixtures("equipment")
def test_taking_an_instrument_out_of_service_makes_it_unusable_with_the_reason(
    client: Client, session: Session, login: Login
) -> None:
    headers = login(make_user(session, Role.ENGINEER))
    body = {"status": "maintenance", "reason": "input fuse blown"}
    response = client.post("/api/instruments/DMM-01/status", json=body, headers=headers)
    assert response.status_code == 201
    assert response.json()["usable_today"] is False
    assert response.json()["status_reason"] == "input fuse blown"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "instrument.status_changed")).one()


@pytest.mark.usefixtures("equipment")
def test_an_unknown_asset_tag_is_404(client: Client, session: Session, login: Login) -> None:
    body = {"status": "maintenance", "reason": "x"}
    response = client.post("/api/instruments/NOPE/status", json=body, headers=login(make_user(session, Role.ADMIN)))
    assert response.status_code == 404


def test_only_an_admin_adds_an_instrument(client: Client, session: Session, login: Login) -> None:
    body = _instrument("SMU-09", TODAY + timedelta(days=100)).model_dump(mode="json")
    engineer = login(make_user(session, Role.ENGINEER))
    assert client.post("/api/instruments", json=body, headers=engineer).status_code == 403
    admin = login(make_user(session, Role.ADMIN))
    assert client.post("/api/instruments", json=body, headers=admin).status_code == 201
    assert client.post("/api/instruments", json=body, headers=admin).status_code == 409


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"kind": "banana"}, "kind", "unknown kind 'banana'"),
        ({"driver": "no_such_driver"}, "driver", "no driver 'no_such_driver' in the catalogue"),
        (
            {"driver": "keithley2450"},
            "driver",
            "drives a smu, not a dmm; the catalogue's dmm drivers are agilent34410a",
        ),
        ({"resource": "this is not a VISA resource"}, "resource", "is not a VISA resource string"),
    ],
)
def test_an_instrument_the_lab_cannot_drive_is_refused_with_the_reason(
    client: Client, session: Session, login: Login, change: dict[str, str], field: str, said: str
) -> None:
    body = {**_instrument("DMM-09", TODAY + timedelta(days=100)).model_dump(mode="json"), **change}
    response = client.post("/api/instruments", json=body, headers=login(make_user(session, Role.ADMIN)))
    assert response.status_code == 422, response.text
    assert said in response.json()["detail"]
    assert response.json()["extra"]["field"] == field
    assert client.get("/api/instruments", headers=login(make_user(session, Role.ADMIN))).json()["count"] == 0


@pytest.mark.parametrize(
    "resource",
    ["USB0::0x0957::0x0607::MY12345678::INSTR", "GPIB0::22::INSTR", "TCPIP0::192.168.10.31::hislip0::INSTR"],
)
def test_usb_gpib_and_hislip_instruments_are_registered(
    client: Client, session: Session, login: Login, resource: str
) -> None:
    body = {**_instrument("DMM-10", TODAY + timedelta(days=100)).model_dump(mode="json"), "resource": resource}
    response = client.post("/api/instruments", json=body, headers=login(make_user(session, Role.ADMIN)))
    assert response.status_code == 201, response.text
    assert response.json()["resource"] == resource
