"""Text the lab cannot store is refused at the door: the NUL character, anywhere in a request.

PostgreSQL cannot hold NUL in text and SQLite can, so a company name or a sample label carrying it would be a
server error on one database and a stored value on the other (and then in a signed certificate). The request's
path and query are checked before anything else; its body as the handler will read it (every string of a JSON
body, every field of a form), by :mod:`api.request_body`. A file's bytes (a PDF to check) are not text and are
left alone.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from labsys.errors import InvalidInput

__all__ = ["refuse_nul_in_address", "refuse_nul_in_body"]

_NUL = "\x00"


def refuse_nul_in_address(request: Request[Any, Any, Any]) -> None:
    """422 if the request's path or query carries the NUL character (``%00``).

    Raises:
        InvalidInput: naming where the NUL is (``path`` or ``query``).
    """
    if _NUL in request.scope["path"]:
        raise _refused("path")
    if b"%00" in request.scope["query_string"]:
        raise _refused("query")


def refuse_nul_in_body(value: Any) -> None:
    """422 if a body as parsed (JSON values, or a form's fields) holds the NUL character in a key or a string.

    Raises:
        InvalidInput: naming the ``body``.
    """
    if _holds_nul(value):
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
