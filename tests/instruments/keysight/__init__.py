"""Tests of instruments.keysight."""
