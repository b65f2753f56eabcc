"""The equipment page: every instrument's status and calibration; overdue and due-soon stand out in words."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from labsys.companies.models import User
from labsys.scheduling.models import Downtime, DowntimeKind
from labsys.timeutil import lab_today
from tests.api.pages.conftest import Client
from tests.factories import Lab, make_instrument

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]


def _row(html: str, asset_tag: str) -> str:
    found = re.search(rf'<tr class="calibration-[a-z_]+">\s*<th scope="row">{asset_tag}</th>.*?</tr>', html, re.S)
    assert found, f"no row for {asset_tag}"
    return found.group(0)


def test_an_overdue_instrument_and_one_due_within_30_days_are_flagged_in_words(
    client: Client, session: Session, lab: Lab, sign_in_page: SignIn
) -> None:
    today = lab_today(ZoneInfo("Asia/Seoul"))
    make_instrument(session, "dmm", "DMM-OLD", calibration_due=today - timedelta(days=3))
    make_instrument(session, "scope", "SCOPE-SOON", calibration_due=today + timedelta(days=10))
    sign_in_page(lab.engineer)

    response = client.get("/equipment")

    assert response.status_code == 200
    overdue, soon, fine = (
        _row(response.text, "DMM-OLD"),
        _row(response.text, "SCOPE-SOON"),
        _row(response.text, "SMU-01"),
    )
    assert 'class="badge bad"' in overdue
    assert "교정 기한 지남" in overdue
    assert "기한 3일 지남" in overdue
    assert 'class="badge warn"' in soon
    assert "10일 남음" in soon
    assert "교정 유효" in fine
    notices = response.text.split("<table")[0]
    assert "DMM-OLD" in notices
    assert "SCOPE-SOON" in notices


def test_a_customer_may_not_see_the_equipment(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)

    assert client.get("/equipment", headers={"Accept": "text/html"}).status_code == 403


def test_the_page_shows_the_maintenance_and_repair_blocks_not_yet_ended(
    client: Client, session: Session, lab: Lab, sign_in_page: SignIn
) -> None:
    now = datetime.now(UTC)
    for kind, starts, reason in (
        (DowntimeKind.REPAIR, now + timedelta(days=1), "출력 릴레이 교체"),
        (DowntimeKind.MAINTENANCE, now - timedelta(days=3), "지난 점검"),
    ):
        block = Downtime(
            instrument_id=lab.instruments["SMU-01"].id or 0, kind=kind, starts_at=starts,
            ends_at=starts + timedelta(hours=4), reason=reason,
        )  # fmt: skip
        session.add(block)
    session.commit()
    sign_in_page(lab.engineer)

    html = client.get("/equipment").text

    assert "점검과 수리" in html
    assert "출력 릴레이 교체" in html
    assert "수리" in html
    assert "지난 점검" not in html  # ended: no longer shown
