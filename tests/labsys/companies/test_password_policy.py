"""The password policy: zxcvbn's score of 3 or more, with the person's own details counted as easy guesses."""

from __future__ import annotations

import pytest

from labsys.companies.password_policy import MIN_SCORE, check_password
from labsys.demo.seed import _COMPANIES, DEMO_PASSWORD
from labsys.errors import InvalidInput
from tests.factories import PASSWORD

pytestmark = pytest.mark.unit

KIM = ("minjun.kim@hanbit.example.com", "김민준", "(주)한빛소재")


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "password12", "qwertyuiop", "1234567890", "iloveyou123"])
def test_common_and_repetitive_passwords_are_refused_saying_why(password: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password(password, user_inputs=KIM)
    assert refused.value.field == "password"
    assert refused.value.extra["rule"] == "password_strength"
    assert refused.value.extra["score"] < MIN_SCORE
    assert refused.value.detail.startswith("this password is too easy to guess (strength ")


def test_a_password_made_of_the_persons_own_details_is_refused_though_it_would_pass_for_a_stranger() -> None:
    check_password("hanbitminjun", user_inputs=())
    with pytest.raises(InvalidInput):
        check_password("hanbitminjun", user_inputs=KIM)


def test_the_field_the_password_was_typed_in_is_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password("password12", user_inputs=(), field="new_password")
    assert refused.value.field == "new_password"


@pytest.mark.parametrize("password", ["correct horse battery", "quiet orchard lantern 42", "x7#Lq9!vR2@m" * 10])
def test_long_unpredictable_passwords_pass_however_long(password: str) -> None:
    check_password(password, user_inputs=KIM)


def test_the_demo_and_test_passwords_pass_the_policy_for_every_demo_company() -> None:
    for company in _COMPANIES:
        inputs = (company.contact_email, company.contact_name, company.name)
        check_password(DEMO_PASSWORD, user_inputs=inputs)
        check_password(PASSWORD, user_inputs=inputs)
