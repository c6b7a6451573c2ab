"""ethicsflow flows."""
