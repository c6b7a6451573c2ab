"""ethicsflow app."""
