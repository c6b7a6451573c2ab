"""ethicsflow templates."""
