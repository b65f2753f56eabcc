"""The lab's own small PKI: a root certificate authority and the document-signing certificate it issues.

A lab that has a certificate from a public or national trust service uses that instead; this one lets a new
lab (and every test) sign reports that any PDF reader can check against the lab's published root.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from results.certificates.keys import LabPki, LabPkiPaths, write_private

__all__ = ["DOCUMENT_SIGNING_OID", "LabPki", "LabPkiPaths", "create_lab_pki", "new_lab_pki"]

DOCUMENT_SIGNING_OID = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
"""id-kp-documentSigning (RFC 9336): the certificate signs documents."""

_CA_YEARS = 20
_SIGNING_YEARS = 3


#: X.509 (RFC 5280) limits a common name to 64 characters.
_COMMON_NAME_MAX = 64


def _name(lab_name: str, role: str) -> x509.Name:
    """The subject of one of the lab's certificates: the lab's whole name as the organisation, what the certificate
    is for as the unit, and a common name that readers show as the signer (the name and role if they fit X.509's
    64 characters, else the name, else the role: never a name cut short)."""
    common = next(
        (cn for cn in (f"{lab_name} {role}", lab_name, role) if len(cn) <= _COMMON_NAME_MAX),
        role,
    )
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, lab_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def _ca_certificate(lab_name: str, key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    name = _name(lab_name, "Root CA")
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * _CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _signing_certificate(
    lab_name: str,
    key: ec.EllipticCurvePrivateKey,
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    now: dt.datetime,
) -> x509.Certificate:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_name(lab_name, "Test Report Signing"))
        .issuer_name(ca.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * _SIGNING_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        # emailProtection too: NSS (poppler's pdfsig) checks signers for the S/MIME-signer usage.
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING_OID, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def new_lab_pki(lab_name: str) -> LabPki:
    """Make a lab root CA and a document-signing certificate it issued, in memory.

    Keys are ECDSA P-256; the root is valid for 20 years, the signing certificate for 3. Both certificates name the
    lab in full as their organisation (``O``), whatever its length; their common names say what each is for.

    Args:
        lab_name: The lab's name.
    """
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    signing_key = ec.generate_private_key(ec.SECP256R1())
    ca = _ca_certificate(lab_name, ca_key, now)
    signing = _signing_certificate(lab_name, signing_key, ca, ca_key, now)
    return LabPki(
        ca_certificate=ca.public_bytes(serialization.Encoding.PEM),
        ca_key=_key_pem(ca_key),
        signing_certificate=signing.public_bytes(serialization.Encoding.PEM),
        signing_key=_key_pem(signing_key),
    )


def create_lab_pki(directory: Path, lab_name: str) -> LabPkiPaths:
    """Make a lab PKI (:func:`new_lab_pki`) and write its four PEM files in ``directory``.

    Private keys are written unencrypted with mode 0600. A lab keeps the root's key offline: ``labsys keys init``
    never writes it beside the others (this function is for tests and benchmarks, which need the whole set).

    Args:
        directory: Where to write; created if missing. Existing files of the same names are replaced.
        lab_name: The lab's name.

    Returns:
        The paths of the four files.
    """
    directory.mkdir(parents=True, exist_ok=True)
    pki = new_lab_pki(lab_name)
    paths = LabPkiPaths(
        ca_certificate=directory / "lab-ca.pem",
        ca_key=directory / "lab-ca.key.pem",
        signing_certificate=directory / "lab-signing.pem",
        signing_key=directory / "lab-signing.key.pem",
    )
    write_private(paths.ca_key, pki.ca_key)
    write_private(paths.signing_key, pki.signing_key)
    paths.ca_certificate.write_bytes(pki.ca_certificate)
    paths.signing_certificate.write_bytes(pki.signing_certificate)
    return paths
