"""At least 95 % of the stock drivers' calls work on the bench; each driver's test shows the rest are the ones a real
instrument refuses too, so the catalogues' counts are what the bench does."""

from __future__ import annotations

import pytest

from tests.instruments.stock import (
    test_agilent33500,
    test_agilent34410a,
    test_agilente4980,
    test_keithley2450,
    test_keysight_dsox1102g,
)

pytestmark = pytest.mark.unit

CATALOGUES = (test_keithley2450, test_agilent34410a, test_agilent33500, test_agilente4980, test_keysight_dsox1102g)


def test_at_least_95_percent_of_the_stock_drivers_calls_work() -> None:
    tried = sum(len(catalogue.CALLS) for catalogue in CATALOGUES)
    refused = sum(len(catalogue.REFUSED) for catalogue in CATALOGUES)
    assert tried >= 160
    assert (tried - refused) / tried >= 0.95, f"{tried - refused} of {tried} work"


def test_every_refused_call_is_in_its_catalogue_with_a_reason() -> None:
    for catalogue in CATALOGUES:
        names = {call.name for call in catalogue.CALLS}
        assert set(catalogue.REFUSED) <= names
        assert all(len(reason) > 20 for reason in catalogue.REFUSED.values())
