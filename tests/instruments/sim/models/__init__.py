"""Tests of instruments.sim.models."""
