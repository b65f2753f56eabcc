"""The scheduling policy of the test's settings."""

from __future__ import annotations

import pytest

from labsys.scheduling import SchedulingPolicy
from labsys.settings import Settings


@pytest.fixture
def policy(settings: Settings) -> SchedulingPolicy:
    """The lab's default policy: 09:00-18:00 Seoul, weekdays except Korean holidays, 24 h notice, 90 days ahead."""
    return SchedulingPolicy.from_settings(settings)
