"""The database: engine, sessions and the column types every model shares."""

from labsys.db.engine import answers_locally, create_lab_engine, reader_engine, session_factory
from labsys.db.types import UTCDateTime, utcnow

__all__ = ["UTCDateTime", "answers_locally", "create_lab_engine", "reader_engine", "session_factory", "utcnow"]
