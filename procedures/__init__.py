"""One PyMeasure procedure per test method, and the headless runner."""
