"""The one check every request passes before its handler, for the JSON API and the pages alike.

In order: no NUL character in the path or the query; every integer in the path an id the database can hold; the
body as the handler will read it (:mod:`api.request_body`). What a request's fields mean (a booking's start, a
sample's quantity) is checked by the request types of the services (:mod:`labsys.bounds` has the shared ranges).
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from api.request_body import check_body
from api.text_input import refuse_nul_in_address
from labsys.bounds import DB_INT_MAX
from labsys.errors import NotFound

__all__ = ["check_request", "refuse_impossible_ids"]


async def check_request(request: Request[Any, Any, Any]) -> None:
    """A ``before_request`` hook: refuse what no handler could take (it runs after the route's guards).

    Raises:
        labsys.errors.LabError: as :func:`refuse_impossible_ids`, :func:`api.text_input.refuse_nul_in_address` and
            :func:`api.request_body.check_body` raise.
    """
    refuse_nul_in_address(request)
    refuse_impossible_ids(request)
    await check_body(request)


def refuse_impossible_ids(request: Request[Any, Any, Any]) -> None:
    """404 for an integer in the path that no record can have: below 1, or beyond what the database holds.

    Raises:
        NotFound: naming the path parameter.
    """
    for name, value in request.path_params.items():
        if isinstance(value, int) and not 1 <= value <= DB_INT_MAX:
            raise NotFound(f"no record has the {name} {value}: ids run from 1 to {DB_INT_MAX}", field=name)
