"""The station ``labsys serve`` starts: ``labsys station`` in a process of its own, watched by the server.

A run transfers, writes and analyses its records on the CPU and in memory. In a process of its own the station
neither takes the server's interpreter from the pages while it runs nor leaves what it allocated in the server's
process when the run ends. The two share nothing but the database and the data folder.

The server starts the station once its API listens, with its own settings passed as ``LABSYS_*`` variables, and
its output goes to the server's console. A station that ends on its own is reported and started again (after a
pause that grows while it keeps failing at once). When the server stops, the station gets SIGTERM, the time to
end its run, then SIGKILL. Should the server die without stopping it, the station sees its standard input close
and stops by itself.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from labsys.settings import Settings

__all__ = ["StationProcess", "wait_until_listening"]

#: How long a stopping station may take to end its run before it is killed: longer than it waits itself.
STOP_TIMEOUT_S = 45.0
#: A station that lived this long before it ended is started again after the first pause, not a longer one.
SETTLED_S = 60.0


class StationProcess:
    """``labsys station`` run as a child of this process, started again if it ends on its own.

    Args:
        settings: the settings the station runs with (the server's own).
        echo: where the server reports the station's starts and ends.
        pauses_s: the pause before the first restart, and the longest pause while it keeps failing.
    """

    def __init__(
        self, settings: Settings, *, echo: Callable[[str], None] = print, pauses_s: tuple[float, float] = (1.0, 60.0)
    ) -> None:
        self.settings = settings
        self.echo = echo
        self.pauses_s = pauses_s
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    def command(self) -> list[str]:
        """What runs the station: this interpreter, ``-m labsys station --attached``."""
        return [sys.executable, "-m", "labsys", "station", "--attached"]

    def environment(self) -> dict[str, str]:
        """This process's environment with the station's settings in place of any ``LABSYS_*`` variable."""
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("LABSYS_")}
        return {**inherited, **self.settings.as_environment()}

    def start_when_listening(self, address: tuple[str, int]) -> None:
        """Start the station once something accepts connections at ``address`` (the API), and keep it running."""
        self._thread = threading.Thread(target=self._supervise, args=(address,), name="station-process", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the station: SIGTERM, up to :data:`STOP_TIMEOUT_S` for it to end its run, then SIGKILL."""
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.echo(f"warning: station {self.settings.station_name} did not stop within {STOP_TIMEOUT_S:.0f} s")
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join()
        if process is not None and process.stdin is not None:
            process.stdin.close()

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            previous = self._process
            if previous is not None and previous.stdin is not None:
                previous.stdin.close()
            # A process group of its own: the Ctrl-C a person types reaches the server, which stops the station.
            self._process = subprocess.Popen(  # noqa: S603 - this interpreter running labsys, no shell
                self.command(), env=self.environment(), stdin=subprocess.PIPE, process_group=0
            )
            self.echo(f"station {self.settings.station_name}: starting in process {self._process.pid}")
            return self._process

    def _supervise(self, address: tuple[str, int]) -> None:
        wait_until_listening(address, unless=self._stopping)
        first_pause_s, longest_pause_s = self.pauses_s
        pause_s = first_pause_s
        while (process := self._spawn()) is not None:
            began = time.monotonic()
            code = process.wait()
            if self._stopping.is_set():
                return
            lived_s = time.monotonic() - began
            if lived_s >= SETTLED_S:
                pause_s = first_pause_s
            self.echo(
                f"error: station {self.settings.station_name} (process {process.pid}) ended on its own with exit code "
                f"{code} after {lived_s:.0f} s; starting it again in {pause_s:.0f} s"
            )
            self._stopping.wait(pause_s)
            pause_s = min(2 * pause_s, longest_pause_s)


def wait_until_listening(
    address: tuple[str, int], *, within_s: float = 60.0, unless: threading.Event | None = None
) -> None:
    """Return once something accepts connections at ``address``, once ``unless`` is set, or after ``within_s``,
    whatever happened."""
    host, port = address
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline and not (unless is not None and unless.is_set()):
        try:
            with socket.create_connection(("127.0.0.1" if host in {"0.0.0.0", "::", ""} else host, port), timeout=1):  # noqa: S104
                return
        except OSError:
            time.sleep(0.05)
