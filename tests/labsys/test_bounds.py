"""The lab's ranges: ids its database holds, times in its years, and a booking's fee it can record."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from labsys.bookings.models import Urgency
from labsys.bookings.pricing import quote_for
from labsys.bounds import DB_INT_MAX, MONEY_MAX_KRW, RecordId, check_lab_time, integer_bounds, within_lab_years
from labsys.errors import InvalidInput

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2026, 12, 1), date(2100, 12, 31)])
def test_a_date_in_the_labs_years_is_taken_as_it_is(day: date) -> None:
    assert within_lab_years(day) == day


@pytest.mark.parametrize(
    "when", [date(1999, 12, 31), date(2101, 1, 1), datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)]
)
def test_a_time_outside_the_labs_years_is_refused_naming_the_field(when: date) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_lab_time("start", when)
    assert refused.value.field == "start"
    assert refused.value.detail == "start: the year must lie between 2000 and 2100"


def test_a_record_id_is_positive_and_fits_a_postgresql_integer() -> None:
    ids = TypeAdapter(RecordId)
    assert ids.validate_python(DB_INT_MAX) == 2**31 - 1
    for impossible in (0, DB_INT_MAX + 1, 2**63):
        with pytest.raises(ValidationError):
            ids.validate_python(impossible)


def test_a_fee_one_booking_cannot_record_is_refused_and_the_largest_it_can_is_quoted() -> None:
    assert quote_for(unit_fee_krw=MONEY_MAX_KRW, quantity=1, urgency=Urgency.STANDARD).fee_krw == MONEY_MAX_KRW
    with pytest.raises(InvalidInput) as refused:
        quote_for(unit_fee_krw=MONEY_MAX_KRW, quantity=1, urgency=Urgency.URGENT)
    assert refused.value.field == "samples"


def test_a_fee_beyond_what_postgresqls_integer_held_is_quoted_to_the_won() -> None:
    quote = quote_for(unit_fee_krw=3_000_000_001, quantity=3, urgency=Urgency.URGENT)
    assert quote.fee_krw == 13_500_000_005  # 9,000,000,003 × 1.5 = 13,500,000,004.5, half a won rounded up


def test_money_is_bounded_as_json_clients_read_it_exactly_and_every_other_integer_as_postgresql_holds_it() -> None:
    assert integer_bounds("fee_krw") == integer_bounds("unit_fee_krw") == (-(2**53 - 1), 2**53 - 1)
    assert float(MONEY_MAX_KRW) == MONEY_MAX_KRW  # a double holds it to the won
    assert integer_bounds("quantity") == integer_bounds("") == (-(2**31), 2**31 - 1)
