"""ethicsflow policy."""
