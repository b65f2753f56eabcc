"""``python -m instruments.sim``: serve the demo (or a given) bench until Ctrl-C."""

import sys

from instruments.sim.runner import main

sys.exit(main())
