"""The lab PKI: a root CA and a document-signing certificate that chains to it, keys kept private."""

from __future__ import annotations

import stat

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from results.certificates.pki import DOCUMENT_SIGNING_OID, LabPkiPaths

pytestmark = pytest.mark.unit


def test_root_is_a_self_signed_certificate_authority(lab_pki: LabPkiPaths) -> None:
    root = x509.load_pem_x509_certificate(lab_pki.ca_certificate.read_bytes())
    assert root.subject == root.issuer
    root.verify_directly_issued_by(root)
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert root.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign


def test_signing_certificate_chains_to_the_root(lab_pki: LabPkiPaths) -> None:
    root = x509.load_pem_x509_certificate(lab_pki.ca_certificate.read_bytes())
    signing = x509.load_pem_x509_certificate(lab_pki.signing_certificate.read_bytes())
    assert signing.issuer == root.subject
    signing.verify_directly_issued_by(root)  # raises if the root did not sign it
    assert not signing.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert "Hanbit Shared Verification Lab" in signing.subject.rfc4514_string()


def test_signing_certificate_is_for_signatures_and_non_repudiation_only(lab_pki: LabPkiPaths) -> None:
    signing = x509.load_pem_x509_certificate(lab_pki.signing_certificate.read_bytes())
    usage = signing.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment  # nonRepudiation
    assert not usage.key_cert_sign
    extended = signing.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert DOCUMENT_SIGNING_OID in extended
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in extended


def test_private_keys_are_readable_by_their_owner_only(lab_pki: LabPkiPaths) -> None:
    for key in (lab_pki.ca_key, lab_pki.signing_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
