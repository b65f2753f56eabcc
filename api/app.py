"""The Litestar application: routes, security, error mapping and the OpenAPI document."""

from __future__ import annotations

import gc

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

import labsys
from api.auth import build_auth, create_token
from api.availability import AvailabilityController
from api.bookings import BookingController
from api.certificates import CertificateController
from api.companies import CompanyController
from api.errors import exception_handlers
from api.instruments import InstrumentController
from api.methods import MethodController
from api.reviews import ReviewController
from api.runs import RunController
from api.state import LabState, provide_session, provide_settings
from api.text_input import refuse_nul
from api.users import UserController
from api.verify import VerificationController
from labsys.bookings.intake import BookingIntake, Intake
from labsys.bookings.writer import BookingWriter
from labsys.companies.accounts import AccountReader
from labsys.db import answers_locally, create_lab_engine, reader_engine, session_factory
from labsys.db.checkpoint import WalCheckpointer
from labsys.scheduling import SchedulingPolicy, policy_for
from labsys.settings import Settings, get_settings

__all__ = ["create_app", "create_app_from_environment"]


@get("/api/health", opt={"exclude_from_auth": True}, tags=["service"])
async def health() -> dict[str, str]:
    """Whether the service answers, and its version."""
    return {"status": "ok", "version": labsys.__version__}


def _tune_collector() -> None:
    """Keep the cyclic garbage collector of a server process off the request path.

    What starting made (modules, routes, compiled statements) lives as long as the process: frozen, it is left
    out of the collector's full passes, which otherwise stall requests for 100 ms or more. A request makes
    thousands of short-lived containers (validation, SQL parameters, JSON), nearly all freed by reference
    counting; collecting the youngest generation every 20,000 allocations rather than every 700 spares most of
    the passes that would find nothing.
    """
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _in_a_file(engine: Engine) -> bool:
    """Whether the engine's SQLite database is a file (another connection, or process, can open it by name)."""
    return answers_locally(engine) and engine.url.database not in {None, "", ":memory:"}


def _intake(
    engine: Engine, sessions: sessionmaker[Session], policy: SchedulingPolicy, *, writer_process: bool
) -> Intake:
    """Where new bookings are recorded: a writer process opens the database by name, so it needs a file."""
    if writer_process and _in_a_file(engine):
        return BookingWriter(engine.url.render_as_string(hide_password=False), policy)
    return BookingIntake(sessions, policy, on_loop=answers_locally(engine))


def create_app(settings: Settings, *, engine: Engine | None = None, writer_process: bool = False) -> Litestar:
    """Build the app for ``settings``; configuration errors surface here, not on the first request.

    Args:
        settings: the lab's settings.
        engine: the database engine to use; by default one is made from the settings (the caller migrates it).
        writer_process: on SQLite, record new bookings in a writer process of its own (a server process does:
            see :mod:`labsys.bookings.writer`), rather than on the event loop.
    """
    engine = engine or create_lab_engine(settings.resolved_database_url)
    auth = build_auth(settings)
    readers = reader_engine(engine)
    sessions = session_factory(engine)
    intake = _intake(engine, sessions, policy_for(settings), writer_process=writer_process)
    accounts = AccountReader(readers)
    lab = LabState(settings, engine, sessions, readers, intake, accounts)
    state = State({"lab": lab, "auth": auth})
    checkpointer = WalCheckpointer(engine) if _in_a_file(engine) else None

    def close_readers() -> None:
        if readers is not engine:
            readers.dispose()

    return Litestar(
        route_handlers=[
            health,
            create_token,
            CompanyController,
            UserController,
            MethodController,
            InstrumentController,
            BookingController,
            AvailabilityController,
            RunController,
            ReviewController,
            CertificateController,
            VerificationController,
        ],
        dependencies={
            "db": Provide(provide_session),
            "settings": Provide(provide_settings, sync_to_thread=False),
        },
        exception_handlers=exception_handlers,
        before_request=refuse_nul,
        on_app_init=[auth.on_app_init],
        on_startup=[intake.start, *([checkpointer.start] if checkpointer else [])],
        on_shutdown=[intake.stop, *([checkpointer.stop] if checkpointer else []), accounts.close, close_readers],
        state=state,
        openapi_config=OpenAPIConfig(
            title="labsys",
            version=labsys.__version__,
            description="The verification lab's API: catalog, bookings, runs, certificates.",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin(path="/"), JsonRenderPlugin(path="/openapi.json")],
            components=Components(
                security_schemes={"BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
            ),
        ),
    )


def create_app_from_environment() -> Litestar:
    """The app for the settings in the ``LABSYS_*`` environment, in a server process of its own (what
    ``labsys serve`` runs): on SQLite new bookings are recorded by a writer process beside it, and the process's
    garbage collector is tuned for serving (see :func:`_tune_collector`).
    """
    app = create_app(get_settings(), writer_process=True)
    gc.collect()  # what starting left for the collector goes now, not frozen with the rest
    _tune_collector()
    return app
