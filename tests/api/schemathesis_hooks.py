"""Schemathesis hooks for :mod:`tests.api.test_openapi_conformance` (loaded through ``SCHEMATHESIS_HOOKS``).

``POST /verify/{number}`` takes a PDF as the raw body: Schemathesis sends the bytes it generates as they are.
"""

from __future__ import annotations

import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")
