"""The app checkpoints the audit chain's head after each change it commits, signed with the lab's key."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from labsys.audit.checkpoints import Checkpoint
from labsys.audit.models import AuditEvent
from labsys.certificates.audit_checkpoints import checkpoint_log, signing_certificate
from labsys.settings import Settings
from tests.api.conftest import Client
from tests.api.test_companies import registration

pytestmark = pytest.mark.integration


def test_a_change_made_through_the_api_leaves_a_signed_checkpoint_of_the_chain_s_head_in_the_data_folder(
    client: Client, session: Session, settings: Settings
) -> None:
    response = client.post("/api/companies", json=registration())
    assert response.is_success, response.text

    newest = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert newest is not None
    entries = [entry for _, entry in checkpoint_log(settings).read()]
    assert len(entries) == 1
    [checkpoint] = entries
    assert isinstance(checkpoint, Checkpoint)
    assert (checkpoint.sequence, checkpoint.head) == (newest.id, newest.hash)
    assert checkpoint.signed_by(signing_certificate(settings))
    assert checkpoint_log(settings).path.is_relative_to(settings.data_dir)
