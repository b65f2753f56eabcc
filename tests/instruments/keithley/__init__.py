"""Tests of instruments.keithley."""
