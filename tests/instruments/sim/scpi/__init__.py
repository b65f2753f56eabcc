"""Tests of instruments.sim.scpi."""
