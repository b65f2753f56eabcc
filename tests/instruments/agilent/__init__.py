"""Tests of instruments.agilent."""
