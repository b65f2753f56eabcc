"""Companies."""
