"""The Litestar application: routes, security, error mapping and the OpenAPI document."""

from __future__ import annotations

from litestar import Litestar, Router, get
from litestar.datastructures import State

import labsys
from api.auth import build_auth, create_token
from api.availability import AvailabilityController
from api.bookings import BookingController
from api.calendar import CalendarAddressController, SecretCalendar
from api.certificates import CertificateController
from api.companies import CompanyController
from api.downtime import DowntimeController
from api.errors import exception_handlers
from api.instruments import InstrumentController
from api.methods import MethodController
from api.openapi import openapi_config
from api.pages import csrf_config, page_routes, static_routes
from api.pages.rendering import template_config
from api.pages.signing_in import session_auth
from api.plans import PlanController
from api.request_body import MAX_JSON_BYTES
from api.request_checks import check_request
from api.reviews import ReviewController
from api.runs import RunController
from api.state import LabState, service_dependencies
from api.upload_limits import UploadLimits
from api.users import UserController
from api.utilisation import UtilisationController
from api.verify import VerificationController
from labsys.certificates.audit_checkpoints import checkpoint_audit_writes
from labsys.db import Database, create_lab_engine
from labsys.heap import freeze_startup_heap
from labsys.services import LabServices
from labsys.settings import Settings, get_settings

__all__ = ["create_app", "create_app_from_environment"]


@get("/api/health", opt={"exclude_from_auth": True}, tags=["service"])
async def health() -> dict[str, str]:
    """Whether the service answers, and its version."""
    return {"status": "ok", "version": labsys.__version__}


def create_app(settings: Settings, *, db: Database | None = None) -> Litestar:
    """Build the app for ``settings``; configuration errors surface here, not on the first request.

    Args:
        settings: the lab's settings.
        db: the lab's database, closed by the caller; by default one is opened from the settings (the caller
            migrates it) and closed when the app shuts down. Either way its audit chain is checkpointed after each
            write that adds to it.
    """
    owned = db is None  # a database the caller passed in is the caller's to close
    db = db or Database(create_lab_engine(settings.resolved_database_url))
    checkpoint_audit_writes(db, settings)
    auth = build_auth(settings)
    lab = LabState(settings, db, LabServices.build(settings, db))
    uploads = UploadLimits.of(settings)
    api = Router(
        path="/",
        route_handlers=[
            health,
            create_token,
            CompanyController,
            UserController,
            CalendarAddressController,
            SecretCalendar,
            MethodController,
            InstrumentController,
            DowntimeController,
            PlanController,
            BookingController,
            AvailabilityController,
            RunController,
            ReviewController,
            CertificateController,
            UtilisationController,
            uploads.router(VerificationController),
        ],
        middleware=[auth.middleware],
        request_max_body_size=MAX_JSON_BYTES,
    )
    return Litestar(
        route_handlers=[api, page_routes(session_auth(settings), uploads), *static_routes()],
        dependencies=service_dependencies,
        exception_handlers=exception_handlers,
        before_request=check_request,
        template_config=template_config(settings.zone),
        csrf_config=csrf_config(settings),
        on_shutdown=[db.dispose] if owned else [],
        state=State({"lab": lab, "auth": auth}),
        openapi_config=openapi_config(),
    )


def create_app_from_environment() -> Litestar:
    """The app for the settings in the ``LABSYS_*`` environment, in a server process of its own (what
    ``labsys serve`` runs in each worker): what starting made is kept out of the collector's full passes."""
    app = create_app(get_settings())
    freeze_startup_heap()
    return app
