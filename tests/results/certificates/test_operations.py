"""The package's render, sign, check and key functions: the same calls as the modules that do the work."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from results import certificates
from results.certificates import pki, render, signature_check, signing
from results.certificates.specimen import specimen_report
from tests.results.certificates.conftest import LAB_NAME

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("offered", "worker"),
    [
        (certificates.render_report, render.render_report),
        (certificates.load_signer, signing.load_signer),
        (certificates.sign_pdf, signing.sign_pdf),
        (certificates.create_lab_pki, pki.create_lab_pki),
        (certificates.new_lab_pki, pki.new_lab_pki),
        (certificates.check_signature, signature_check.check_signature),
        (certificates.async_check_signature, signature_check.async_check_signature),
    ],
    ids=lambda function: function.__name__,
)
def test_each_function_the_package_offers_takes_what_the_module_doing_the_work_takes(
    offered: Callable[..., Any], worker: Callable[..., Any]
) -> None:
    assert inspect.signature(offered) == inspect.signature(worker)
    assert inspect.iscoroutinefunction(offered) == inspect.iscoroutinefunction(worker)


def test_a_report_rendered_signed_and_checked_through_the_package_is_authentic(tmp_path: Path) -> None:
    keys = certificates.create_lab_pki(tmp_path, LAB_NAME)
    signer = certificates.load_signer(keys.signing_key, keys.signing_certificate, keys.ca_certificate)

    signed = certificates.sign_pdf(certificates.render_report(specimen_report()), signer)

    assert certificates.check_signature(signed, [keys.ca_certificate]).ok
    assert asyncio.run(certificates.async_check_signature(signed, [keys.ca_certificate])).ok


def test_a_missing_key_file_is_refused_through_the_package(tmp_path: Path) -> None:
    with pytest.raises(certificates.SigningKeyError, match="does not exist"):
        certificates.load_signer(tmp_path / "absent.key.pem", tmp_path / "absent.pem")
