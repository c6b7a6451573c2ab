"""ethicsflow models."""
