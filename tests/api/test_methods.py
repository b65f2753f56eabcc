"""The public catalog."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from labsys.audit import SYSTEM
from labsys.demo.methods import DEMO_METHODS
from labsys.methods.service import add_method
from tests.api.conftest import Client

pytestmark = pytest.mark.integration


@pytest.fixture
def catalog(session: Session) -> None:
    for method in DEMO_METHODS:
        add_method(session=session, method_in=method, actor=SYSTEM)
    session.commit()


@pytest.mark.usefixtures("catalog")
def test_anyone_lists_the_methods_with_fees_durations_and_limits(client: Client) -> None:
    response = client.get("/api/methods")
    assert response.status_code == 200
    methods = {m["code"]: m for m in response.json()}
    assert set(methods) == {"DIODE-IV", "RES-4W-TCR", "STEP-RISE", "CAP-CD"}
    diode = methods["DIODE-IV"]
    assert diode["fee_krw"] == 180_000
    assert diode["instrument_kinds"] == ["smu"]
    assert diode["decision_rule"] == "guard_band"
    compliance = next(p for p in diode["parameters"] if p["name"] == "compliance_current")
    assert (compliance["unit"], compliance["maximum"]) == ("A", 1.0)
    assert methods["STEP-RISE"]["instrument_kinds"] == ["awg", "scope"]


@pytest.mark.usefixtures("catalog")
def test_one_method_by_code_and_404_for_an_unknown_code(client: Client) -> None:
    response = client.get("/api/methods/CAP-CD")
    assert response.status_code == 200
    limits = {s["metric"]: s for s in response.json()["spec_limits"]}
    assert limits["capacitance_1000Hz"]["unit"] == "F"
    missing = client.get("/api/methods/NOPE")
    assert missing.status_code == 404
    assert "NOPE" in missing.json()["detail"]
