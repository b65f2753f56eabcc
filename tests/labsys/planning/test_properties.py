"""Over generated small labs and workloads, neither the planner nor the baseline ever breaks a rule of the lab."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labsys.planning.generate import LabShape, generated_problem
from labsys.planning.greedy import first_free_schedule
from labsys.planning.proposal import plan
from labsys.planning.validity import violations

small_labs = st.builds(
    LabShape,
    instruments=st.integers(3, 8),
    engineers=st.integers(1, 4),
    bookings=st.integers(1, 12),
    horizon_days=st.integers(3, 7),
    methods=st.integers(1, 4),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), shape=small_labs)
def test_a_proposal_keeps_every_rule_of_the_lab(seed: int, shape: LabShape) -> None:
    problem = generated_problem(seed, shape)
    proposal = plan(problem, time_limit_s=1.0, workers=1)
    assert violations(problem, proposal.schedule) == []
    assert {c.booking_id for c in proposal.changes} == {b.id for b in problem.bookings}
    assert all(c.reason for c in proposal.of("unplaceable"))


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), shape=small_labs)
def test_the_baseline_keeps_every_rule_of_the_lab(seed: int, shape: LabShape) -> None:
    problem = generated_problem(seed, shape)
    assert violations(problem, first_free_schedule(problem)) == []
