"""Bearer tokens whose signature is checked once per process, and whose expiry is checked on every request.

A signed-in client sends the same token with every request until it expires. Checking its signature (and
decoding it) again each time gives the same answer every time, so the claims of a token that passed are kept,
keyed by the token itself and the key and rules it was checked with; the time claims are checked again on every
use, so an expired token is refused exactly as before. A token that fails is never kept. Whether its user may
still sign in is not decided here: the account is read afresh on every request (:mod:`api.auth`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import jwt
from litestar.security.jwt import Token
from litestar.security.jwt.token import JWTDecodeOptions

__all__ = ["VerifiedToken"]

_Hashable = str | tuple[str, ...] | None


class VerifiedToken(Token):
    """A bearer token decoded through a per-process memory of the tokens whose signature held."""

    @classmethod
    def decode_payload(  # noqa: PLR0917 - the signature Litestar's Token.decode calls
        cls,
        encoded_token: str,
        secret: str,
        algorithms: list[str],
        issuer: str | Sequence[str] | None = None,
        audience: str | Sequence[str] | None = None,
        options: JWTDecodeOptions | None = None,
    ) -> Any:
        """The token's claims, if its signature holds and it is within its time limits (as PyJWT judges them).

        Raises:
            jwt.InvalidTokenError: the token is not valid (Litestar answers 401).
        """
        settings: dict[str, Any] = dict(options or {})
        claims = _signed_claims(
            encoded_token,
            secret,
            tuple(algorithms),
            issuer=_frozen(issuer),
            audience=_frozen(audience),
            options=tuple(sorted(settings.items())),
        )
        now = time.time()
        if settings.get("verify_exp", True) and "exp" in claims and int(claims["exp"]) <= now:
            raise jwt.ExpiredSignatureError("Signature has expired")
        if settings.get("verify_nbf", True) and "nbf" in claims and int(claims["nbf"]) > now:
            raise jwt.ImmatureSignatureError("The token is not yet valid (nbf)")
        return dict(claims)  # the caller reshapes what it is given


def _frozen(value: str | Sequence[str] | None) -> _Hashable:
    return value if value is None or isinstance(value, str) else tuple(value)


@lru_cache(maxsize=4096)
def _signed_claims(
    encoded_token: str,
    secret: str,
    algorithms: tuple[str, ...],
    *,
    issuer: _Hashable,
    audience: _Hashable,
    options: tuple[tuple[str, Any], ...],
) -> Mapping[str, Any]:
    """The claims of a token checked by PyJWT in full (signature, claims' types, time limits); never a failure."""
    claims: Mapping[str, Any] = jwt.decode(
        encoded_token,
        key=secret,
        algorithms=list(algorithms),
        issuer=issuer,
        audience=audience,
        options=dict(options),  # type: ignore[arg-type]
    )
    return claims
