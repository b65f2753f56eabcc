"""A local RFC 3161 timestamp authority for tests: certomancer's TSA, served over HTTP on a port the system picks."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from certomancer.services import TimeStamper
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["LocalTsa", "local_tsa"]

TSA_NAME = "Labsys Test Timestamp Authority"


@dataclass
class LocalTsa:
    """A running timestamp authority: its URL, its certificate (PEM file), the time it stamps, and what it did."""

    url: str
    certificate: Path
    stamps_at: dt.datetime
    requests: list[bytes] = field(default_factory=list)


def _tsa_certificate(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    name = x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "KR"), x509.NameAttribute(NameOID.COMMON_NAME, TSA_NAME)]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )


@contextmanager
def local_tsa(directory: Path, stamps_at: dt.datetime) -> Iterator[LocalTsa]:
    """Serve a timestamp authority that stamps every request with ``stamps_at`` (a time no clock here shows, so a
    test can tell its timestamp from the signer's own clock), until the block ends.

    Args:
        directory: Where to write its certificate.
        stamps_at: The time in every token (UTC).
    """
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _tsa_certificate(key)
    stamper = TimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        fixed_dt=stamps_at,
    )
    path = directory / "tsa.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    requests: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(body)
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class names it so
            """Quiet: a test's output is its assertions."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="test-tsa", daemon=True)
    thread.start()
    try:
        yield LocalTsa(f"http://127.0.0.1:{server.server_address[1]}/", path, stamps_at, requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
