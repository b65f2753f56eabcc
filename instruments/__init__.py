"""The instrument layer: drivers, connecting to them by name, and the simulated bench."""
