"""Tests of instruments.sim."""
