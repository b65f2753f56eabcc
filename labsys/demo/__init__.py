"""The demo lab: seeded data, the demo catalog and the simulated bench's instruments as the lab's equipment.

:mod:`labsys.demo.lab` starts it; it is the only runtime module that imports the simulated bench.
"""

from labsys.demo.seed import DEMO_PASSWORD, DemoLogin, is_empty, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoLogin", "is_empty", "seed_demo"]
