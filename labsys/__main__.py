"""``python -m labsys``: the same as the ``labsys`` command."""

from labsys.cli import main

main()
