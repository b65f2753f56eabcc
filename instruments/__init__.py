"""The instrument layer: drivers, the driver catalogue and the simulated bench."""
