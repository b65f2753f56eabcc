"""A station process for the kill test: ``python -m tests.labsys.stations.killable_station URL DATA_DIR``."""

from __future__ import annotations

import sys
from pathlib import Path

from labsys.db import Database, create_lab_engine
from labsys.stations import Station
from tests.labsys.stations.programs import FakeConnector, FakeSource, program


def main() -> None:
    url, data_dir = sys.argv[1], Path(sys.argv[2])
    station = Station(
        name="station-1",
        db=Database(create_lab_engine(url)),
        data_dir=data_dir,
        programs={"sweep": program},
        connector=FakeConnector(FakeSource()),
        poll_s=0.05,
        progress_interval_s=0.05,
    )
    station.serve()


if __name__ == "__main__":
    main()
