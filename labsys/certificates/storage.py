"""Where issued PDFs live, and writing one so that it exists exactly when its certificate row does."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from labsys.errors import NotFound

__all__ = ["certificate_pdf_path", "store_pdf_with_transaction", "stored_pdf"]


def certificate_pdf_path(data_dir: Path, number: str) -> Path:
    """Where the signed PDF of a certificate is kept: ``<data_dir>/certificates/<number>.pdf``."""
    return data_dir / "certificates" / f"{number}.pdf"


def _write_new(path: Path, pdf: bytes) -> None:
    """Write a file that must not exist yet, durably: via a temporary name, fsynced, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        msg = f"{path} already exists: an issued document is never overwritten"
        raise FileExistsError(msg)
    scratch = path.with_name(f".{path.name}.partial")
    with scratch.open("wb") as file:
        file.write(pdf)
        file.flush()
        os.fsync(file.fileno())
    scratch.rename(path)


def store_pdf_with_transaction(session: Session, path: Path, pdf: bytes) -> None:
    """Write ``pdf`` to ``path`` now, and remove it again unless the session's transaction commits.

    The database row that names the file and the file itself then exist together or not at all: a rollback (a
    failed request, a failed commit) or a session closed without committing deletes the file.

    Raises:
        FileExistsError: a document already exists at ``path`` (it is left alone).
    """
    _watch(session)
    _write_new(path, pdf)
    session.info[_PENDING].append(path)


_PENDING = "labsys.certificates.pending_files"


def _watch(session: Session) -> None:
    """Listen once per session: a commit keeps the pending files, the end of any other root transaction drops them."""
    if _PENDING in session.info:
        return
    session.info[_PENDING] = []

    def keep(committed: Session) -> None:
        committed.info[_PENDING].clear()

    def drop(ending: Session, transaction: Any) -> None:
        if transaction.nested or transaction.parent is not None:
            return  # a savepoint ended: the files belong to the outer transaction
        pending: list[Path] = ending.info[_PENDING]
        for path in pending:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        pending.clear()

    event.listen(session, "after_commit", keep)
    event.listen(session, "after_transaction_end", drop)


def stored_pdf(pdf_path: str, data_dir: Path, number: str) -> Path:
    """The stored PDF of a certificate (``pdf_path`` relative to the data folder).

    Raises:
        NotFound: the file is missing from the data folder (restore it from the backup).
    """
    path = data_dir / pdf_path
    if not pdf_path or not path.is_file():
        msg = f"the document of certificate {number} is missing from the lab's data folder"
        raise NotFound(msg)
    return path
