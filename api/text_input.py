"""Text the lab cannot store is refused at the door: the NUL character, anywhere in a request.

PostgreSQL cannot hold NUL in text and SQLite can, so a company name or a sample label carrying it would be a
server error on one database and a stored value on the other (and then in a signed certificate). Every request
is checked once, before its handler: its path, its query and, for a JSON body, every string in it. A JSON body
can carry NUL only as the escape ``\\u0000``, so a body without that sequence is passed after one search.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from labsys.errors import InvalidInput

__all__ = ["refuse_nul"]

_NUL = "\x00"


async def refuse_nul(request: Request[Any, Any, Any]) -> None:
    """A ``before_request`` hook: 422 if the request carries the NUL character.

    Raises:
        InvalidInput: naming where the NUL is (``path``, ``query`` or ``body``).
    """
    if _NUL in request.scope["path"]:
        raise _refused("path")
    if b"%00" in request.scope["query_string"]:
        raise _refused("query")
    if request.content_type[0] != "application/json":
        return
    body = await request.body()  # kept by the request: the handler's parsing reads it from there
    if b"\\u0000" in body and _holds_nul(await request.json()):
        raise _refused("body")


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return _NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _refused(where: str) -> InvalidInput:
    return InvalidInput(where, f"the request's {where} holds the NUL character (\\u0000), which no text may hold")
