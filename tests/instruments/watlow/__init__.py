"""Tests of instruments.watlow."""
