"""A request's body, checked as its handler will read it, before the handler parses it.

A handler that takes JSON gets ``application/json`` and nothing else (415): text, a form or bytes under another
type used to be parsed as JSON anyway, past every check below. No string of it may hold NUL, and no integer of it
may lie beyond what the database holds (422, naming where it is): an amount of money (a field named ``…_krw``) up
to ``labsys.bounds.MONEY_MAX_KRW``, any other integer within SQL ``INTEGER``. The JSON may nest
:data:`MAX_JSON_DEPTH` levels deep, which no request of the lab comes near; deeper, it is refused before it is
parsed (the parser's own limit is Python's recursion limit, a server error). Its size, :data:`MAX_JSON_BYTES`, is
the API's ``request_max_body_size``: Litestar stops reading past it (413). A handler that takes a form (the pages)
gets its fields checked; a raw body (a PDF to check) is bytes, not text, and is left to its handler.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import SerializationException
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg

from api.text_input import refuse_nul_in_body
from labsys.bounds import MONEY_SUFFIX, integer_bounds
from labsys.errors import InvalidInput, MalformedInput, UnsupportedMediaType

__all__ = ["MAX_JSON_BYTES", "MAX_JSON_DEPTH", "BodyKind", "body_kind", "check_body"]

#: The largest JSON body the API takes, in bytes: a booking of a hundred samples, each fully described, is a tenth.
MAX_JSON_BYTES = 1 << 20
#: How deep a JSON body may nest objects and arrays (a booking, the deepest request, nests three levels).
MAX_JSON_DEPTH = 32

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class BodyKind(Enum):
    """What a handler reads from a request's body."""

    JSON = "json"
    FORM = "form"
    NONE = "none"  # nothing, or bytes as they came


def body_kind(handler: HTTPRouteHandler) -> BodyKind:
    """What ``handler`` reads from the body: its ``data`` parameter's media type (JSON unless it says otherwise)."""
    data = handler.parsed_data_field
    if data is None:
        return BodyKind.NONE
    kwarg = data.kwarg_definition
    media_type = kwarg.media_type if isinstance(kwarg, BodyKwarg) else RequestEncodingType.JSON
    if media_type == RequestEncodingType.JSON:
        return BodyKind.JSON
    if media_type in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
        return BodyKind.FORM
    return BodyKind.NONE


async def check_body(request: Request[Any, Any, Any]) -> None:
    """Read and check the body the request's handler takes; the handler then reads it from the request's cache.

    Raises:
        UnsupportedMediaType: the handler takes JSON and the body comes as another type (415).
        InvalidInput: the JSON nests deeper than :data:`MAX_JSON_DEPTH`, or the body holds the NUL character.
        MalformedInput: the body is not JSON (400).
        litestar.exceptions.RequestEntityTooLarge: the body is larger than the route takes (413).
    """
    kind = body_kind(request.route_handler)
    if kind is BodyKind.JSON:
        value = await _json(request)
        refuse_nul_in_body(value)
        _refuse_unstorable_integers(value, "body")
    elif kind is BodyKind.FORM:
        form = await request.form()
        refuse_nul_in_body([text for pair in form.multi_items() for text in pair if isinstance(text, str)])


async def _json(request: Request[Any, Any, Any]) -> Any:
    media_type, _options = request.content_type
    if media_type != RequestEncodingType.JSON:
        sent = f"it came as {media_type}" if media_type else "it came with no Content-Type"
        raise UnsupportedMediaType("body", f"send the body as JSON, with Content-Type: application/json ({sent})")
    if _nests_too_deep(await request.body()):
        raise InvalidInput("body", f"the body's JSON nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return await request.json()
    except SerializationException as exc:
        raise MalformedInput("body", f"the body is not valid JSON: {exc}") from exc


def _refuse_unstorable_integers(value: Any, where: str, field: str = "") -> None:
    """Every integer of a JSON body within what the database holds, whatever field it is in (a list of ids, a
    field that states no bound of its own): the OpenAPI document states this bound for every integer a body
    carries. ``field`` is the name of the field ``value`` is in (or whose list it is in): it tells money."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        least, greatest = integer_bounds(field)
        if not least <= value <= greatest:
            kind = "amounts of money" if field.endswith(MONEY_SUFFIX) else "integers"
            raise InvalidInput(where, f"{where}: {value} is beyond the {kind} the lab stores ({least} to {greatest})")
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable_integers(item, f"{where}.{key}", str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_unstorable_integers(item, f"{where}[{index}]", field)


def _nests_too_deep(body: bytes) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than :data:`MAX_JSON_DEPTH` (brackets inside
    strings do not count)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return False  # too few openings to nest too deep: the common case, decided without a scan
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b'""', body)):
        depth += 1 if bracket[0] in (b"[", b"{") else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False
