"""The OpenAPI document the app serves: Litestar's, completed with what it cannot read from a handler's signature.

For every operation, from the handler's guards, parameters and body:

- who may call it: public operations (``opt={"exclude_from_auth": True}``) carry no security requirement; the
  others need a bearer token, and name the roles their guards admit (OpenAPI 3.1 lets a requirement that is not
  OAuth list role names);
- every error it can answer, each with the error schema (``Error``; ``InternalError`` for 500, with its request
  id): 401 without a valid token; 403 for a role the guards refuse; 404 for a record named in the path (or, signed
  in, in the body); 400, 413 and 415 for a JSON body that is not JSON, too large, or not sent as JSON; 409 and 503
  where a signed-in caller changes the lab's records; 422 for invalid parameters or body. A handler adds the
  errors only it answers with ``opt={"errors": {status: "why"}}`` (:data:`api.statuses.ERRORS_OPT`: an unknown
  method in a query, a sign-in that fails);
- a redirect it may answer (302, its body's schema without the redirect's), and response headers as they are
  sent: ``Last-Modified`` is an HTTP date (``Wed, 02 Dec 2026 09:00:00 GMT``), not the RFC 3339 time Litestar
  documents.

The document is completed once, when it is first served; the interactive page (Swagger UI) shows the same one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIType
from litestar.response import Redirect
from litestar.routes import HTTPRoute

import labsys
from api.auth import RoleGuard
from api.errors import REQUEST_ID_HEADER
from api.request_body import BodyKind, body_kind
from api.statuses import ERRORS_OPT
from labsys.bounds import DB_INT_MAX, integer_bounds
from labsys.companies.models import Role

__all__ = ["SECURITY_SCHEME", "contract", "openapi_config"]

#: The name of the bearer-token security scheme.
SECURITY_SCHEME = "BearerToken"

_SWAGGER = "/static/vendor/swagger-ui-5.32.0"
_STATE_KEY = "openapi_contract"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})

#: An HTTP date (RFC 9110, IMF-fixdate), as ``Last-Modified`` carries it.
_HTTP_DATE = (
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} GMT$"
)

_ERROR = Schema(
    type=OpenAPIType.OBJECT,
    description="What went wrong: `detail` says it for a person; `extra` holds the facts a program needs "
    "(the field, the rule, the next free slot).",
    properties={
        "status_code": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "extra": Schema(type=OpenAPIType.OBJECT, additional_properties=True),
    },
    required=["status_code", "detail"],
)
_INTERNAL_ERROR = Schema(
    type=OpenAPIType.OBJECT,
    description="A failure on the lab's side; the log keeps it under `request_id`, as does the X-Request-ID header.",
    properties={
        "status_code": Schema(type=OpenAPIType.INTEGER, const=500),
        "detail": Schema(type=OpenAPIType.STRING, const="internal error"),
        "request_id": Schema(type=OpenAPIType.STRING, pattern="^[0-9a-f]{32}$"),
    },
    required=["status_code", "detail", "request_id"],
)


def openapi_config() -> OpenAPIConfig:
    """The OpenAPI document at ``/schema/openapi.json`` and the interactive docs at ``/schema/``, every asset
    served by the app itself (a lab's LAN may have no internet)."""
    return OpenAPIConfig(
        title="labsys",
        version=labsys.__version__,
        description="The verification lab's API: catalog, bookings, runs, certificates.",
        path="/schema",
        render_plugins=[
            _ContractSwagger(
                path="/",
                js_url=f"{_SWAGGER}/swagger-ui-bundle.js",
                css_url=f"{_SWAGGER}/swagger-ui.css",
                standalone_preset_js_url=f"{_SWAGGER}/swagger-ui-standalone-preset.js",
                favicon='<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">',
            ),
            _ContractJson(path="/openapi.json"),
        ],
        components=Components(
            security_schemes={
                SECURITY_SCHEME: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT",
                    description="A bearer token from POST /api/auth/token. An operation's requirement names the "
                    "roles it admits; none named, any signed-in user.",
                )
            },
        ),
    )


class _ContractJson(JsonRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, contract(request.app))


class _ContractSwagger(SwaggerRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, contract(request.app))


def contract(app: Litestar) -> dict[str, Any]:
    """The app's OpenAPI document, completed (once per document Litestar builds), as JSON-ready data."""
    openapi = app.openapi_schema
    done: tuple[OpenAPI, dict[str, Any]] | None = app.state.get(_STATE_KEY)
    if done is None or done[0] is not openapi:
        openapi.components.schemas = {
            **(openapi.components.schemas or {}), "Error": _ERROR, "InternalError": _INTERNAL_ERROR
        }  # fmt: skip
        for path, method, handler in _operations(app):
            item = openapi.paths.get(path) if openapi.paths else None
            operation = getattr(item, method.lower(), None)
            if isinstance(operation, Operation):
                _complete(operation, handler)
                _bound_body_integers(operation, openapi.components.schemas)
        done = (openapi, openapi.to_schema())
        app.state[_STATE_KEY] = done
    return done[1]


def _operations(app: Litestar) -> Iterator[tuple[str, str, HTTPRouteHandler]]:
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                if handler.resolve_include_in_schema():
                    for method in handler.http_methods:
                        yield route.path_format or "/", method, handler


def _complete(operation: Operation, handler: HTTPRouteHandler) -> None:
    public = bool(handler.opt.get("exclude_from_auth"))
    roles = _admitted(handler)
    operation.security = [] if public else [{SECURITY_SCHEME: sorted(r.value for r in roles or ())}]
    _record_ids(operation)
    responses = {status: answer for status, answer in (operation.responses or {}).items() if status < "400"}
    if handler.parsed_fn_signature.return_type.has_inner_subclass_of(Redirect):
        _redirects(responses)
    for answer in responses.values():
        if isinstance(answer, OpenAPIResponse):
            _http_dates(answer)
    for status, why in sorted(_errors(operation, handler, public=public, roles=roles).items()):
        schema = "InternalError" if status == 500 else "Error"
        responses[str(status)] = OpenAPIResponse(
            description=why,
            content={"application/json": OpenAPIMediaType(schema=Reference(ref=f"#/components/schemas/{schema}"))},
            headers={REQUEST_ID_HEADER: OpenAPIHeader(schema=Schema(type=OpenAPIType.STRING))}
            if status == 500
            else None,
        )
    operation.responses = responses


def _record_ids(operation: Operation) -> None:
    """An integer in a path names a record: from 1 to what the database holds (beyond, 404 with no lookup)."""
    for parameter in operation.parameters or ():
        schema = getattr(parameter, "schema", None)
        in_path = getattr(parameter, "param_in", None) == "path"
        if in_path and isinstance(schema, Schema) and schema.type == OpenAPIType.INTEGER:
            schema.minimum, schema.maximum = 1, DB_INT_MAX


def _bound_body_integers(operation: Operation, components: dict[str, Schema]) -> None:
    """Every integer of a JSON body lies within what the database holds (:mod:`api.request_body` refuses the
    others): stated where a field states no bound of its own (Litestar drops a list's item bounds), by the field's
    name as the body's check reads it (money up to ``MONEY_MAX_KRW``)."""
    body = operation.request_body
    if not isinstance(body, RequestBody):
        return
    pending: list[tuple[Schema | Reference | None, str]] = [(media.schema, "") for media in body.content.values()]
    seen: set[str] = set()
    while pending:
        schema, field = pending.pop()
        if isinstance(schema, Reference):
            name = schema.ref.rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                pending.append((components[name], field))
            continue
        if not isinstance(schema, Schema):
            continue
        if schema.type == OpenAPIType.INTEGER:
            least, greatest = integer_bounds(field)
            if schema.maximum is None and schema.exclusive_maximum is None:
                schema.maximum = greatest
            if schema.minimum is None and schema.exclusive_minimum is None:
                schema.minimum = least
        pending += [(item, key) for key, item in (schema.properties or {}).items()]
        pending += [(item, field) for item in (*(schema.one_of or []), *(schema.any_of or []))]
        pending += [(schema.items, field)] if schema.items is not None else []


def _redirects(responses: dict[str, OpenAPIResponse | Reference]) -> None:
    """A handler that answers a body or a redirect: the body's schema without the redirect's (an empty schema,
    which any body matches), and the redirect as a 302 of its own."""
    for answer in responses.values():
        for content in (answer.content or {}).values() if isinstance(answer, OpenAPIResponse) else ():
            schema = content.schema
            if isinstance(schema, Schema) and schema.one_of:
                kept = [s for s in schema.one_of if not (isinstance(s, Schema) and s == Schema())]
                content.schema = kept[0] if len(kept) == 1 else Schema(one_of=kept)
    responses.setdefault(
        "302",
        OpenAPIResponse(
            description="Redirect Response",
            headers={"location": OpenAPIHeader(schema=Schema(type=OpenAPIType.STRING), description="where to go")},
        ),
    )


def _admitted(handler: HTTPRouteHandler) -> frozenset[Role] | None:
    """The roles every guard of ``handler`` admits; ``None``: any signed-in user."""
    admitted: frozenset[Role] | None = None
    for guard in handler.resolve_guards():
        if isinstance(guard, RoleGuard):
            admitted = guard.roles if admitted is None else admitted & guard.roles
    return None if admitted == frozenset(Role) else admitted


def _errors(
    operation: Operation, handler: HTTPRouteHandler, *, public: bool, roles: frozenset[Role] | None
) -> dict[int, str]:
    """The statuses ``operation`` answers besides success, each with why."""
    in_path = any(getattr(p, "param_in", None) == "path" for p in operation.parameters or ())
    has_body = operation.request_body is not None
    errors: dict[int, str] = {}
    if not public:
        errors[401] = "no valid bearer token: sign in with POST /api/auth/token"
    if roles is not None:
        errors[403] = f"only {', '.join(sorted(r.value for r in roles))} may do this"
    if in_path or (has_body and not public):
        errors[404] = "no such record, or none that you may see"
    if operation.parameters or has_body:
        errors[422] = "a parameter or the body is invalid: `detail` names each field and what is wrong"
    if has_body:
        errors[413] = "the body is larger than this address takes"
    if body_kind(handler) is BodyKind.JSON:
        errors[400] = "the body is not valid JSON"
        errors[415] = "the body was not sent as application/json"
    if not public and not handler.http_methods <= _READS:
        errors[409] = "the lab's records do not allow it now (a wrong step, a taken slot or name, a rule): `detail`"
        errors[503] = "the lab cannot do it at the moment (its database is busy, or it lacks its signing keys)"
    errors[500] = "a failure on the lab's side, logged under the request id the answer carries"
    errors.update(handler.opt.get(ERRORS_OPT, {}))
    return errors


def _http_dates(answer: OpenAPIResponse) -> None:
    for name, header in (answer.headers or {}).items():
        if name.lower() == "last-modified" and isinstance(header, OpenAPIHeader):
            header.schema = Schema(type=OpenAPIType.STRING, pattern=_HTTP_DATE)
            header.description = "when the file last changed, as an HTTP date: Wed, 02 Dec 2026 09:00:00 GMT"
