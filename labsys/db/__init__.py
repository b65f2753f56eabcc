"""The database: engines, read and write transactions, and the column types every model shares."""

from labsys.db.database import Database
from labsys.db.engine import create_lab_engine
from labsys.db.types import UTCDateTime, utcnow

__all__ = ["Database", "UTCDateTime", "create_lab_engine", "utcnow"]
