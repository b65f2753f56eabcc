"""Settings read once from ``LABSYS_*`` environment variables.

The service refuses to start on a bad value: :func:`load_settings` raises
:class:`~labsys.errors.ConfigurationError` naming the variable.
"""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from labsys.errors import ConfigurationError

__all__ = ["DEFAULT_PUBLIC_URL", "DEMO_SECRET_KEY", "Mode", "Settings", "get_settings", "load_settings"]

#: The secret the demo lab signs its tokens with. A production lab must set its own.
DEMO_SECRET_KEY = "labsys-demo-secret-not-for-production-use"  # noqa: S105 - refused in production mode


class Mode(StrEnum):
    """Where the service runs: a development or demo machine, or the lab's production server."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


#: The address certificates print for verification unless the lab sets its own: this machine only.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class Settings(BaseSettings):
    """Every setting of the lab service, with its environment variable ``LABSYS_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="LABSYS_", frozen=True, extra="forbid")

    mode: Mode = Mode.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str = ""
    secret_key: Annotated[str, Field(min_length=16)] = DEMO_SECRET_KEY
    token_ttl_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] = 12 * 60
    timezone: str = "Asia/Seoul"
    lab_name: str = "Industrial Complex Verification Center for Materials, Parts and Equipment"
    lab_address: str = "1 Sandan-ro, Industrial Complex, Republic of Korea"
    public_url: str = DEFAULT_PUBLIC_URL
    station_name: str = "station-1"
    # The longest wait for one instrument reply, in ms; unset, each driver's own (its stock PyMeasure driver's: 30 s
    # for the E4980A, 6 s for the scope, 5 s otherwise).
    instrument_timeout_ms: Annotated[int, Field(ge=100, le=600_000)] | None = None
    # The VISA library instruments are opened through: "@py" (pyvisa-py: sockets, VXI-11 and HiSLIP as installed;
    # USB needs pyusb, GPIB gpib-ctypes or linux-gpib) or the path of a vendor's VISA library (NI-VISA, Keysight).
    visa_library: Annotated[str, Field(min_length=1)] = "@py"
    # The demo's simulated bench: unset, the ports of its description (5101-5107); 0, ports the system picks (two
    # demos on one machine, tests); N, the ports N, N+1, ...
    demo_bench_port: Annotated[int, Field(ge=0, le=65_535)] | None = None
    # Certificates: the report's lab lines, the number prefix, and the signing PKI (``labsys keys init``).
    # Unset key paths mean the files ``labsys keys init`` writes in ``<data_dir>/keys/``.
    lab_accreditation: str = "ISO/IEC 17025:2017 testing laboratory"
    lab_accreditation_body: str = "KOLAS (Korea Laboratory Accreditation Scheme)"
    lab_accreditation_number: str = ""  # as the accreditation body issued it, e.g. "KT-123"; printed on reports
    lab_test_site: str = "Permanent laboratory, at the address above"
    certificate_prefix: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{0,9}$")] = "LAB"
    signing_key: Path | None = None
    signing_certificate: Path | None = None
    ca_certificate: Path | None = None
    # Public verification of an uploaded PDF (``POST /verify``): the largest file taken (an issued report is well
    # under 1 MB), and how many checks one client address may ask for per minute.
    verify_upload_max_bytes: Annotated[int, Field(ge=100_000, le=100_000_000)] = 4_000_000
    verify_uploads_per_minute: Annotated[int, Field(gt=0, le=10_000)] = 10
    # An RFC 3161 timestamp authority (http:// or https://) that timestamps each signature (PAdES B-T); "" for none:
    # signatures then carry only the signing machine's clock (B-B).
    tsa_url: str = ""
    # Scheduling: when the lab takes bookings, in its own zone (``timezone``).
    opening_time: time = time(9, 0)
    closing_time: time = time(18, 0)
    closed_weekdays: frozenset[Annotated[int, Field(ge=0, le=6)]] = frozenset({5, 6})  # Monday is 0
    holiday_country: str = "KR"  # public holidays of this country close the lab; "" for none
    extra_closed_dates: frozenset[date] = frozenset()
    booking_min_notice_hours: Annotated[int, Field(ge=0, le=24 * 30)] = 24
    booking_max_advance_days: Annotated[int, Field(gt=0, le=730)] = 90
    booking_weekly_quota: Annotated[int, Field(gt=0)] = 10  # bookings per company per lab week
    slot_grid_min: Annotated[int, Field(gt=0, le=24 * 60)] = 30
    # A booking whose slot began this many minutes ago with no run started is a no-show: its slot is released.
    no_show_minutes: Annotated[int, Field(gt=0, le=24 * 60)] = 60

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            msg = f"unknown time zone {value!r}"
            raise ValueError(msg) from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            msg = "only sqlite:/// and postgresql+psycopg:// URLs are supported"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _open_before_closing(self) -> Settings:
        if self.opening_time >= self.closing_time:
            msg = "the lab's opening_time must come before its closing_time"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _no_demo_secrets_in_production(self) -> Settings:
        if self.mode is Mode.PRODUCTION and (self.secret_key == DEMO_SECRET_KEY or len(self.secret_key) < 32):
            msg = "production mode needs its own LABSYS_SECRET_KEY of at least 32 characters"
            raise ValueError(msg)
        return self

    @field_validator("tsa_url")
    @classmethod
    def _timestamp_authority(cls, value: str) -> str:
        if value and (not value.startswith(("http://", "https://")) or not value.split("://", 1)[1].strip("/")):
            msg = "the timestamp authority must be an http:// or https:// address, e.g. http://tsa.example.kr/tsa"
            raise ValueError(msg)
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or len(value.split("://", 1)[1].strip("/")) == 0:
            msg = "the public URL must be an http:// or https:// address, e.g. https://lab.example.kr"
            raise ValueError(msg)
        return value

    def warnings(self) -> list[str]:
        """What a lab in production has left at a default that its certificates would print."""
        if self.mode is not Mode.PRODUCTION:
            return []
        found = []
        if self.public_url == DEFAULT_PUBLIC_URL:
            found.append(
                f"LABSYS_PUBLIC_URL is the default {DEFAULT_PUBLIC_URL}: certificates' QR codes and verification "
                "addresses would point at this machine, not at the lab's public address"
            )
        if not self.lab_accreditation_number:
            found.append("LABSYS_LAB_ACCREDITATION_NUMBER is not set: certificates say the number is 'not stated'")
        return found

    def as_environment(self) -> dict[str, str]:
        """These settings as the ``LABSYS_*`` variables that :func:`load_settings` reads back into equal settings
        (in another process: ``labsys serve`` starts its station so). Unset optional settings are left out."""
        environment = {}
        for name, value in self.model_dump(mode="json").items():
            if value is None:
                continue
            text = value if isinstance(value, str) else json.dumps(value)
            environment[f"LABSYS_{name.upper()}"] = text
        return environment

    @property
    def resolved_database_url(self) -> str:
        """The database URL: the configured one, or an SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'labsys.sqlite3').resolve()}"

    @property
    def no_show_after(self) -> timedelta:
        """How long after a slot begins it is released if no run has started."""
        return timedelta(minutes=self.no_show_minutes)

    @property
    def zone(self) -> ZoneInfo:
        """The lab's time zone, used only where times meet people."""
        return ZoneInfo(self.timezone)


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment (and explicit overrides).

    Raises:
        ConfigurationError: a variable has a bad value; the message names it.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"LABSYS_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigurationError(problems) from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return load_settings()
