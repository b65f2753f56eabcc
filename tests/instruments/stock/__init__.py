"""PyMeasure's own drivers of the bench's models, driven against the simulated bench."""
