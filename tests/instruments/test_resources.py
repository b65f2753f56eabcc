"""Resource strings and VISA libraries: what pyvisa cannot parse, and a missing backend that says what to install."""

from __future__ import annotations

import importlib.util

import pytest

from instruments.drivers import connect
from instruments.errors import InvalidResourceName, VisaBackendMissing
from instruments.resources import check_resource_name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "resource",
    [
        "TCPIP0::192.168.1.20::5025::SOCKET",
        "TCPIP0::192.168.1.20::inst0::INSTR",
        "TCPIP0::192.168.1.20::hislip0::INSTR",
        "USB0::0x0957::0x1796::MY12345678::INSTR",
        "GPIB0::22::INSTR",
    ],
)
def test_the_resource_kinds_a_lab_cables_are_accepted(resource: str) -> None:
    assert check_resource_name(resource) == resource


def test_text_that_is_not_a_resource_is_refused_with_examples() -> None:
    with pytest.raises(
        InvalidResourceName, match=r"not a VISA resource string .*TCPIP0::192\.168\.1\.20::inst0::INSTR"
    ):
        check_resource_name("this is not a VISA resource")


def test_connecting_to_text_that_is_not_a_resource_is_refused_before_anything_opens() -> None:
    with pytest.raises(InvalidResourceName):
        connect("keithley2450", "this is not a VISA resource")


@pytest.mark.skipif(importlib.util.find_spec("usb") is not None, reason="pyusb is installed: nothing is missing")
def test_a_usb_instrument_without_pyusb_says_to_install_pyusb() -> None:
    with pytest.raises(VisaBackendMissing, match="install pyusb") as raised:
        connect("agilent34410a", "USB0::0x0957::0x0607::MY12345678::INSTR", timeout_ms=500)
    assert raised.value.resource == "USB0::0x0957::0x0607::MY12345678::INSTR"


@pytest.mark.skipif(importlib.util.find_spec("gpib") is not None, reason="a GPIB library is installed")
def test_a_gpib_instrument_without_a_gpib_library_says_to_install_one() -> None:
    with pytest.raises(VisaBackendMissing, match="gpib-ctypes"):
        connect("keithley2450", "GPIB0::22::INSTR", timeout_ms=500)


def test_a_vendor_visa_library_that_is_not_there_says_so() -> None:
    with pytest.raises(VisaBackendMissing, match=r"'/opt/no-such-vendor/libvisa\.so' cannot open"):
        connect("keithley2450", "GPIB0::22::INSTR", visa_library="/opt/no-such-vendor/libvisa.so")
